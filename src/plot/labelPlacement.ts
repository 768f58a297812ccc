/**
 * Point labels that do not overlap (trade-off chart: formats at the same bits
 * per element sit close). Greedy, in the order given: each label takes the
 * first of four spots around its point (right-above, right-below, left-above,
 * left-below) whose box overlaps no label placed before it and no other point;
 * a label with no free spot is hidden (its point keeps its tooltip). Boxes are
 * estimated from the text length (≈ 0.6 em per character), in pixels.
 */
export interface LabelItem {
  /** the point, in pixels */
  x: number;
  y: number;
  text: string;
}

export interface PlacedLabel {
  /** text anchor position relative to the point, in pixels */
  dx: number;
  dy: number;
  anchor: 'start' | 'end';
  visible: boolean;
}

interface Box { x0: number; y0: number; x1: number; y1: number }

const GAP = 5;
const POINT_R = 4;

export function placeLabels(items: readonly LabelItem[], fontSize: number, bounds?: { width: number; height: number }): PlacedLabel[] {
  const placed: Box[] = [];
  const points: Box[] = items.map((p) => ({ x0: p.x - POINT_R, y0: p.y - POINT_R, x1: p.x + POINT_R, y1: p.y + POINT_R }));
  return items.map((p, i) => {
    const w = 0.6 * fontSize * p.text.length;
    const h = fontSize;
    const spots: PlacedLabel[] = [
      { dx: GAP, dy: -GAP, anchor: 'start', visible: true },
      { dx: GAP, dy: GAP + h, anchor: 'start', visible: true },
      { dx: -GAP, dy: -GAP, anchor: 'end', visible: true },
      { dx: -GAP, dy: GAP + h, anchor: 'end', visible: true },
    ];
    for (const s of spots) {
      const x0 = s.anchor === 'start' ? p.x + s.dx : p.x + s.dx - w;
      // dy is the text baseline: the box spans one line above it
      const box = { x0, y0: p.y + s.dy - h, x1: x0 + w, y1: p.y + s.dy + 2 };
      if (bounds && (box.x1 > bounds.width || box.x0 < 0 || box.y0 < -GAP || box.y1 > bounds.height + GAP)) continue;
      if (placed.some((b) => overlaps(b, box)) || points.some((b, k) => k !== i && overlaps(b, box))) continue;
      placed.push(box);
      return s;
    }
    return { dx: GAP, dy: -GAP, anchor: 'start', visible: false };
  });
}

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
