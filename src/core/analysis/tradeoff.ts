/**
 * Trade-off curve: SQNR versus bits per element for format × granularity
 * configurations of one tensor (one quantize + one metrics pass each).
 */
import { getFormat } from '../formats/registry.ts';
import { formatGranularity } from '../quant/options.ts';
import { computeMetrics } from '../stats/metrics.ts';
import type { Tensor2D } from '../tensor.ts';
import type { AnalysisDeps, SharedQuantOptions, TradeoffConfig, TradeoffPoint } from './types.ts';

export function tradeoffPoints(
  x: Tensor2D, configs: readonly TradeoffConfig[], quant: Omit<SharedQuantOptions, 'granularity'>, deps: AnalysisDeps,
  onProgress?: (done: number, total: number) => void,
): TradeoffPoint[] {
  const out = new Float32Array(x.data.length);
  const points: TradeoffPoint[] = [];
  configs.forEach((c, i) => {
    const q = deps.quantize(x, { ...quant, format: c.format, granularity: c.granularity }, out);
    const m = computeMetrics(x.data, q.xhat);
    points.push({
      format: c.format,
      label: getFormat(c.format).label,
      granularity: formatGranularity(c.granularity),
      bitsPerElement: deps.bitsPerElement(c.format, c.granularity, x.cols, x.rows, quant.scale),
      sqnrDb: m.sqnrDb,
      mse: m.mse,
      saturated: q.saturated,
    });
    onProgress?.(i + 1, configs.length);
  });
  return points;
}

/**
 * Pareto front (higher SQNR at no more bits) of the points: indices into
 * `points`, by bits ascending.
 */
export function paretoFront(points: readonly Pick<TradeoffPoint, 'bitsPerElement' | 'sqnrDb'>[]): number[] {
  const order = points.map((_, i) => i).sort((a, b) => points[a].bitsPerElement - points[b].bitsPerElement || points[b].sqnrDb - points[a].sqnrDb);
  const front: number[] = [];
  let best = -Infinity;
  for (const i of order) {
    if (points[i].sqnrDb > best) { front.push(i); best = points[i].sqnrDb; }
  }
  return front;
}
