/** Fake job results for lesson tests (shapes of src/state/resultTypes.ts). */
import type { FormatId } from '../../../src/core/formats/registry.ts';
import type { MetricsData } from '../../../src/state/resultTypes.ts';

export function fakeMetrics(rows: { format: FormatId; sqnrDb: number; bits: number; saturated?: number; blocks?: number; blocksSaturated?: number }[]): MetricsData {
  const edges = new Float64Array([-2, -1, 0, 1, 2]);
  const perFormat = rows.map((r) => ({
    format: r.format,
    label: r.format,
    metrics: { mse: 0.25, sqnrDb: r.sqnrDb, cosine: 1, maxAbsErr: 1, relErr: 0.1, count: 100, nonfinite: 0 },
    saturated: r.saturated ?? 0,
    bitsPerElement: r.bits,
    // errors −0.5 ×30, +0.5 ×30, +1.5 ×40: mean = 0.6
    errorCounts: new Uint32Array([0, 30, 30, 40]),
  }));
  return {
    rows: rows.map((r, i) => ({
      format: r.format,
      metrics: perFormat[i].metrics,
      saturated: r.saturated ?? 0,
      blocksSaturated: r.blocksSaturated ?? 0,
      blocks: r.blocks ?? 0,
      ms: 1,
      split: false,
    })),
    failures: [],
    options: 'granularity row, scale absmax, transform none',
    tensor: 'act [256, 256]',
    analysis: {
      rows: 1024,
      cols: 1024,
      perFormat,
      errorBinEdges: edges,
      errorRange: 2,
      valueHistogram: { edges: new Float64Array([0, 1]), counts: new Uint32Array([1]), outside: 0, nonfinite: 0 },
      absMax: 1,
    },
  } as unknown as MetricsData;
}
