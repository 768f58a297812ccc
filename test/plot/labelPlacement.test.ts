import { describe, expect, it } from 'vitest';
import { placeLabels, type LabelItem, type PlacedLabel } from '../../src/plot/labelPlacement.ts';

/** The label's box as placeLabels estimates it (0.6 em per character, one line above the baseline). */
function box(p: LabelItem, s: PlacedLabel, fontSize: number) {
  const w = 0.6 * fontSize * p.text.length;
  const x0 = s.anchor === 'start' ? p.x + s.dx : p.x + s.dx - w;
  return { x0, x1: x0 + w, y0: p.y + s.dy - fontSize, y1: p.y + s.dy + 2 };
}
const overlap = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

describe('placeLabels: point labels that do not overlap', () => {
  it('keeps a lone label right of and above its point', () => {
    expect(placeLabels([{ x: 50, y: 50, text: 'INT8' }], 10)).toEqual([{ dx: 5, dy: -5, anchor: 'start', visible: true }]);
  });

  it('moves the label of a point next to another one to a free spot', () => {
    const items = [{ x: 100, y: 100, text: 'MXFP4' }, { x: 104, y: 98, text: 'NVFP4' }];
    const s = placeLabels(items, 10);
    expect(s.every((l) => l.visible)).toBe(true);
    expect(overlap(box(items[0], s[0], 10), box(items[1], s[1], 10))).toBe(false);
  });

  it('hides labels with no free spot, and no two visible labels overlap', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ x: 200 + (i % 3), y: 100 + (i % 4), text: `format ${i}` }));
    const s = placeLabels(items, 10);
    const shown = items.map((p, i) => ({ p, s: s[i] })).filter((v) => v.s.visible);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(items.length);
    for (let a = 0; a < shown.length; a++) {
      for (let b = a + 1; b < shown.length; b++) expect(overlap(box(shown[a].p, shown[a].s, 10), box(shown[b].p, shown[b].s, 10))).toBe(false);
    }
  });

  it('keeps labels inside the bounds (a point at the right edge labels to its left)', () => {
    const items = [{ x: 295, y: 50, text: 'FP8 E4M3' }];
    const [s] = placeLabels(items, 10, { width: 300, height: 200 });
    expect(s).toMatchObject({ anchor: 'end', visible: true });
    expect(box(items[0], s, 10).x1).toBeLessThanOrEqual(300);
  });
});
