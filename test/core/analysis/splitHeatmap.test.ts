/** A heatmap side pooled in row slices and merged equals heatmapSide over the whole tensor, value for value. */
import { describe, expect, it } from 'vitest';
import { heatmapSide } from '../../../src/core/analysis/heatmap.ts';
import { heatmapSidePart, mergeHeatmapSideParts } from '../../../src/core/analysis/splitHeatmap.ts';
import { generateSample } from '../../../src/core/samples/samples.ts';
import type { Viewport } from '../../../src/core/stats/pooling.ts';

const rows = 96, cols = 80;
const base = generateSample({ kind: 'activation', size: 256, seed: 5 });
const data = new Float32Array(rows * cols);
for (let r = 0; r < rows; r++) data.set(base.data.subarray(r * 256, r * 256 + cols), r * cols);
// NaNs, an all-NaN stretch, ties of equal magnitude and opposite sign, signed zeros
data[5 * cols + 7] = NaN;
for (let c = 40; c < 48; c++) for (let r = 30; r < 36; r++) data[r * cols + c] = NaN;
data[10 * cols + 3] = 500;
data[11 * cols + 2] = -500;
data[60 * cols + 70] = -0;
data[3 * cols + 60] = Infinity;

const tensor = { data, rows, cols, shape: [rows, cols] };
const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as Float32Array) : x)));

describe('heatmap side from row slices', () => {
  const viewports: [string, Viewport, number, number][] = [
    ['whole, cells of 3×5 rows/cols', { row0: 0, row1: rows, col0: 0, col1: cols }, 32, 16],
    ['zoomed, uneven cells', { row0: 7, row1: 71, col0: 5, col1: 66 }, 9, 13],
    ['one element per cell', { row0: 28, row1: 40, col0: 38, col1: 50 }, 64, 64],
  ];
  const splits: number[][] = [[0], [0, 48], [0, 31, 32, 80], [0, 11, 12]];
  for (const [name, vp, oR, oC] of viewports) {
    for (const starts of splits) {
      it(`${name}, slices starting at rows ${starts.join(', ')}`, () => {
        const whole = heatmapSide(tensor, vp, oR, oC);
        const parts = starts.map((s, i) => {
          const e = i + 1 < starts.length ? starts[i + 1] : rows;
          return heatmapSidePart(data.subarray(s * cols, e * cols), s, rows, cols, vp, oR, oC);
        });
        // merge order must not matter
        const merged = mergeHeatmapSideParts([...parts].reverse(), rows);
        expect(plain(merged)).toEqual(plain(whole));
      });
    }
  }

  it('refuses parts that do not cover the rows exactly', () => {
    const vp = { row0: 0, row1: rows, col0: 0, col1: cols };
    const a = heatmapSidePart(data.subarray(0, 40 * cols), 0, rows, cols, vp, 8, 8);
    expect(() => mergeHeatmapSideParts([a], rows)).toThrow(/cover 40 of 96 rows/);
  });
});
