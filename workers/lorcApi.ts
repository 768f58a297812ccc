/**
 * LoRC worker API (DOMAIN §5): the rank curve of one weight runs on its own
 * worker, so a long SVD never holds up the pool, and cancel is immediate: the
 * engine terminates this worker (squoosh's abort) and starts a fresh one for
 * the next request. Progress comes back through a comlink-proxied callback.
 */
import type { QuantOptions } from '../src/core/quant/options.ts';
import type { SampleSpec } from '../src/core/samples/samples.ts';
import { generateSample } from '../src/core/samples/samples.ts';
import { quantize } from '../src/core/quant/quantize.ts';
import { lorc } from '../src/core/transforms/lorc.ts';
import type { Tensor2D } from '../src/core/tensor.ts';

export interface LorcRequest {
  /** a built-in sample (generated here) or rows handed over (transferred) */
  weight: { sample: SampleSpec } | { data: Float32Array; rows: number; cols: number };
  opts: QuantOptions;
  /** largest rank (capped at min(rows, cols)) */
  maxRank: number;
  seed?: number;
}

export interface LorcReply {
  ranks: number[];
  relErr: number[];
  sqnrDb: number[];
  extraBytes: number[];
  rows: number;
  cols: number;
  ms: number;
}

export interface LorcApi {
  lorcCurve(req: LorcRequest, onProgress: (fraction: number) => void): Promise<LorcReply>;
}

export function createLorcApi(): LorcApi {
  return {
    async lorcCurve(req, onProgress) {
      const t0 = performance.now();
      const w: Tensor2D = 'sample' in req.weight
        ? generateSample(req.weight.sample)
        : { data: req.weight.data, rows: req.weight.rows, cols: req.weight.cols, shape: [req.weight.rows, req.weight.cols] };
      const q = quantize(w, req.opts);
      let last = -1;
      const r = lorc(w, q.xhat, {
        maxRank: req.maxRank,
        seed: req.seed,
        onProgress: (f) => {
          // at most ~100 messages
          if (f - last >= 0.01 || f === 1) { last = f; void onProgress(f); }
        },
      });
      return {
        ranks: r.ranks,
        relErr: r.weight.map((e) => e.relErr),
        sqnrDb: r.weight.map((e) => e.sqnrDb),
        extraBytes: r.extraBytes,
        rows: w.rows,
        cols: w.cols,
        ms: performance.now() - t0,
      };
    },
  };
}
