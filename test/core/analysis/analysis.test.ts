import { describe, expect, it } from 'vitest';
import { analyzeFormats, formatPartials, mergeFormatPartials, finishFormats } from '../../../src/core/analysis/analyzeFormats.ts';
import { compareHeatmaps, errorHeatmap, saturatedPerCell } from '../../../src/core/analysis/heatmap.ts';
import { paretoFront, tradeoffPoints } from '../../../src/core/analysis/tradeoff.ts';
import { scaledGridLines } from '../../../src/core/analysis/gridLines.ts';
import type { AnalysisDeps, AnalyzeOptions, QuantizeFn } from '../../../src/core/analysis/types.ts';
import { computeMetrics } from '../../../src/core/stats/metrics.ts';
import { fullViewport } from '../../../src/core/stats/pooling.ts';
import { DEFAULT_QUANT_OPTIONS } from '../../../src/core/quant/options.ts';
import { tensor2D } from '../../../src/core/tensor.ts';

/** Hand-checkable fake formats: round to a fixed step, clamp at ±cap (saturated when clamped). */
const STEP: Record<string, [number, number]> = { int8: [0.25, 100], int4: [1, 3], fp8_e4m3: [0.5, 100] };
const fakeQuantize: QuantizeFn = (x, opts, out = new Float32Array(x.data.length)) => {
  const [step, cap] = STEP[opts.format] ?? (() => { throw new Error(`fake: no ${opts.format}`); })();
  let saturated = 0;
  for (let i = 0; i < x.data.length; i++) {
    let y = Math.round(x.data[i] / step) * step;
    if (Math.abs(y) > cap) { y = Math.sign(y) * cap; saturated++; }
    out[i] = y;
  }
  return { xhat: out, saturated };
};
const deps: AnalysisDeps = { quantize: fakeQuantize, bitsPerElement: (f) => (f === 'int4' ? 4 : 8) };
const opts: AnalyzeOptions = { quant: DEFAULT_QUANT_OPTIONS, errorBins: 8, valueBins: 4 };

// [2, 4]: values chosen so the errors are simple binary fractions
const X = tensor2D(Float32Array.from([0.1, -0.6, 2.2, 5, -1.3, 0, 0.75, -4]), [2, 4]);

describe('analyzeFormats', () => {
  const res = analyzeFormats(X, ['int8', 'int4', 'fp8_e4m3'], opts, deps);

  it('matches computeMetrics and the fake quantizer per format', () => {
    for (const f of res.perFormat) {
      const q = fakeQuantize(X, { ...DEFAULT_QUANT_OPTIONS, format: f.format });
      expect(f.metrics).toEqual(computeMetrics(X.data, q.xhat));
      expect(f.saturated).toBe(q.saturated);
    }
    expect(res.perFormat.map((f) => [f.format, f.label, f.saturated, f.bitsPerElement])).toEqual([
      ['int8', 'INT8', 0, 8], ['int4', 'INT4', 2, 4], ['fp8_e4m3', 'FP8 E4M3', 0, 8],
    ]);
  });

  it('bins every format on one shared symmetric range', () => {
    // worst error: int4 clamps 5 → 3 and −4 → −3, so max |e| = 2 and the range is 4
    expect(res.errorRange).toBe(4);
    expect(Array.from(res.errorBinEdges)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    for (const f of res.perFormat) {
      const q = fakeQuantize(X, { ...DEFAULT_QUANT_OPTIONS, format: f.format });
      const want = new Array(8).fill(0);
      for (let i = 0; i < 8; i++) {
        const e = Math.fround(q.xhat[i] - X.data[i]);
        const m = Math.min(3, Math.floor(Math.abs(e)));
        want[e < 0 ? 3 - m : 4 + m]++;
      }
      expect(Array.from(f.errorCounts)).toEqual(want);
    }
  });

  it('value histogram over [min, max] and absmax', () => {
    expect(res.absMax).toBe(5);
    expect(Array.from(res.valueHistogram.edges)).toEqual([-4, -1.75, 0.5, 2.75, 5]);
    expect(Array.from(res.valueHistogram.counts)).toEqual([1, 4, 2, 1]);
  });

  it('reports a failing format without losing the others', () => {
    const r = analyzeFormats(X, ['int8', 'mxfp4'], opts, deps);
    expect(r.perFormat.map((f) => f.format)).toEqual(['int8']);
    expect(r.failures).toEqual([{ format: 'mxfp4', message: 'fake: no mxfp4' }]);
  });

  it('row-split partials merge to the whole-tensor result', () => {
    const top = tensor2D(X.data.slice(0, 4), [1, 4]), bottom = tensor2D(X.data.slice(4), [1, 4]);
    const merged = mergeFormatPartials(formatPartials(top, ['int8', 'int4'], opts, deps), formatPartials(bottom, ['int8', 'int4'], opts, deps));
    const whole = finishFormats(formatPartials(X, ['int8', 'int4'], opts, deps), 2, 4, opts, deps);
    const split = finishFormats(merged, 2, 4, opts, deps);
    expect(split.errorRange).toBe(whole.errorRange);
    split.perFormat.forEach((f, i) => {
      expect(Array.from(f.errorCounts)).toEqual(Array.from(whole.perFormat[i].errorCounts));
      expect(f.metrics.count).toBe(whole.perFormat[i].metrics.count);
      expect(f.metrics.mse).toBeCloseTo(whole.perFormat[i].metrics.mse, 12);
    });
  });
});

describe('heatmaps', () => {
  const before = tensor2D(Float32Array.from([1, 8, 1, 1, -1, 9, 1, 1]), [2, 4]);
  const after = tensor2D(Float32Array.from([2, 3, 2, 2, -2, 3, 2, 2]), [2, 4]);

  it('an infinite element leaves the colour and bar domains to the finite values (it draws at their top)', () => {
    const withInf = tensor2D(Float32Array.from([1, 8, 1, -Infinity, -1, 9, 1, 1]), [2, 4]);
    const r = compareHeatmaps(withInf, after, fullViewport(2, 4), 2, 4);
    expect(r.colourDomain).toEqual([0, 9]);
    expect(r.before.grid.values[3]).toBe(-Infinity);
    expect(r.barDomain).toEqual([1, 9]);
  });

  it('before/after share one colour domain and keep outliers', () => {
    const r = compareHeatmaps(before, after, fullViewport(2, 4), 1, 2, { kind: 'topk', k: 1 });
    expect(r.colourDomain).toEqual([0, 9]);
    expect(Array.from(r.before.grid.values)).toEqual([9, 1]);
    expect(Array.from(r.after!.grid.values)).toEqual([3, 2]);
    expect(Array.from(r.before.profile.colAbsMax)).toEqual([1, 9, 1, 1]);
    expect(r.before.profile.colMaxMedianRatio).toBe(9);
    expect(r.after!.profile.colMaxMedianRatio).toBe(1.5);
    expect(Array.from(r.before.outlierCells)).toEqual([1, 0]);
    expect(Array.from(r.before.colBars.values)).toEqual([9, 1]);
    expect(r.barDomain).toEqual([1, 9]);
    // row bars: rowAbsMax [8, 9] before, [3, 3] after, max-pooled onto the grid's one row cell;
    // one domain over both sides
    expect(Array.from(r.before.profile.rowAbsMax)).toEqual([8, 9]);
    expect(Array.from(r.before.rowBars.values)).toEqual([9]);
    expect(Array.from(r.after!.rowBars.values)).toEqual([3]);
    expect(r.rowBarDomain).toEqual([3, 9]);
  });

  it('rejects mismatched shapes', () => {
    expect(() => compareHeatmaps(before, tensor2D(new Float32Array(8), [4, 2]), fullViewport(2, 4), 2, 2)).toThrow(/shapes differ/);
  });

  it('error heatmap pools the signed error and saturated blocks', () => {
    const xhat = Float32Array.from([1, 6, 1, 1, -1, 9, 1, 0.5]);
    const r = errorHeatmap(before, { xhat, saturatedPerBlock: Uint16Array.from([1, 0, 0, 2]), blocksPerRow: 2 }, fullViewport(2, 4), 2, 2, 'abs', 2);
    expect(Array.from(r.grid.values)).toEqual([-2, 0, 0, -0.5]);
    expect(Array.from(r.saturatedCells!)).toEqual([1, 0, 0, 2]);
    expect(r.saturatedInView).toBe(3);
  });

  it("error heatmap 'cellRel': the cell's worst error over the cell's max |x|", () => {
    // [2, 4] in 1×2 cells of 2×2 elements: cell (0,0) holds 1, -2, 3, 4 (max |x| 4); worst error −2 at [0,1] → −0.5
    const x = tensor2D(Float32Array.from([1, -2, 8, 0, 3, 4, 0, 0]), [2, 4]);
    const xhat = Float32Array.from([1, -4, 8, 0, 3, 4, 0, 0]);
    const r = errorHeatmap(x, { xhat }, fullViewport(2, 4), 1, 2, 'cellRel');
    expect(Array.from(r.grid.values)).toEqual([-0.5, 0]);
    expect(r.grid.index[0]).toBe(1); // the worst-error element [0, 1]
    expect(r.grid.absMax).toBe(0.5);
    // per element ('rel') the same error is −2/2 = −1
    expect(errorHeatmap(x, { xhat }, fullViewport(2, 4), 1, 2, 'rel').grid.values[0]).toBe(-1);
  });

  it('saturated blocks spanning two cells count in both', () => {
    // one row of 6 columns, blocks of 4 → blocks [0,4) and [4,6); cells of 3 columns
    const cells = saturatedPerCell(Uint16Array.from([5, 1]), 2, 4, 6, Int32Array.from([0, 1]), Int32Array.from([0, 3, 6]));
    expect(Array.from(cells)).toEqual([5, 6]);
  });
});

describe('trade-off', () => {
  it('one point per config, and the Pareto front', () => {
    const pts = tradeoffPoints(X, [{ format: 'int4', granularity: { kind: 'row' } }, { format: 'int8', granularity: { kind: 'group', size: 2 } }], DEFAULT_QUANT_OPTIONS, deps);
    expect(pts.map((p) => [p.format, p.granularity, p.bitsPerElement])).toEqual([['int4', 'row', 4], ['int8', 'group:2', 8]]);
    expect(pts[1].sqnrDb).toBeGreaterThan(pts[0].sqnrDb);
    expect(paretoFront([{ bitsPerElement: 4, sqnrDb: 10 }, { bitsPerElement: 8, sqnrDb: 9 }, { bitsPerElement: 8, sqnrDb: 30 }])).toEqual([0, 2]);
  });
  it('grid lines: scaled values inside the range', () => {
    expect(scaledGridLines([-6, -1, 0, 1, 6], 0.5, -1, 1)).toEqual([-0.5, 0, 0.5]);
  });
});
