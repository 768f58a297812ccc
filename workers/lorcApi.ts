/**
 * LoRC worker API (DOMAIN §5): the rank curve of one weight runs on its own
 * worker, so a long SVD never holds up the pool, and cancel is immediate: the
 * engine terminates this worker (squoosh's abort) and starts a fresh one for
 * the next request. Progress comes back through a comlink-proxied callback.
 *
 * Two LoRC workers share one curve: the engine links them with a
 * MessageChannel (`servePart` on one end, `attachHelper` on the other); the
 * coordinator then hands the lower half of E's rows to the helper and the
 * decomposition's products run on both (core topSingularRowParts).
 */
import { expose, transfer, wrap, type Remote } from 'comlink';
import type { QuantOptions } from '../src/core/quant/options.ts';
import type { SampleSpec } from '../src/core/samples/samples.ts';
import { generateSample } from '../src/core/samples/samples.ts';
import { quantize } from '../src/core/quant/quantize.ts';
import { lorc, lorcRowParts, type LorcOptions } from '../src/core/transforms/lorc.ts';
import { localRowPart, mulRowsByA, mulRowsByAt, type Matrix32, type RowPart } from '../src/core/linalg/topSingular.ts';
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
  /** LoRC workers that computed the decomposition's products */
  workers: number;
}

export interface LorcApi {
  lorcCurve(req: LorcRequest, onProgress: (fraction: number) => void): Promise<LorcReply>;
  /** Serve row blocks of another LoRC worker's E on `port` (this worker becomes its helper). */
  servePart(port: MessagePort): void;
  /** Share the products with the helper serving on `port`. */
  attachHelper(port: MessagePort): void;
}

/** What a helper worker does with the rows it holds (row-major [rows, cols] float32). */
export interface LorcPartApi {
  hold(data: Float32Array, rows: number, cols: number): void;
  mulAt(b: Float64Array, k: number): Float64Array;
  mulA(y: Float64Array, k: number): Float64Array;
}

function createLorcPartApi(): LorcPartApi {
  let held: Matrix32 | null = null;
  const rows = (): Matrix32 => {
    if (!held) throw new Error('the LoRC helper holds no rows');
    return held;
  };
  return {
    hold(data, r, c) { held = { data, rows: r, cols: c }; },
    mulAt(b, k) { const out = mulRowsByAt(rows(), b, k); return transfer(out, [out.buffer]); },
    mulA(y, k) { const out = mulRowsByA(rows(), y, k); return transfer(out, [out.buffer]); },
  };
}

/** Local rows [0, h) and the helper's [h, rows): h a multiple of 4 (the kernels' row block). */
async function splitWithHelper(e: Tensor2D, helper: Remote<LorcPartApi>, opts: LorcOptions): Promise<RowPart[]> {
  const h = Math.min(e.rows, Math.ceil(e.rows / 8) * 4);
  const lower = e.data.slice(h * e.cols);
  await helper.hold(transfer(lower, [lower.buffer]), e.rows - h, e.cols);
  const copy = (x: Float64Array) => transfer(x, [x.buffer]);
  return [
    {
      r0: h, r1: e.rows,
      // the sent vectors are copies: the iteration keeps its own
      mulAt: (b, k) => helper.mulAt(copy(b.slice()), k) as Promise<Float64Array>,
      mulA: (y, k) => helper.mulA(copy(y), k) as Promise<Float64Array>,
    },
    localRowPart(e, 0, h, opts),
  ];
}

export function createLorcApi(): LorcApi {
  let helper: Remote<LorcPartApi> | null = null;
  return {
    servePart(port) { expose(createLorcPartApi(), port); },
    attachHelper(port) { helper = wrap<LorcPartApi>(port); },
    async lorcCurve(req, onProgress) {
      const t0 = performance.now();
      const w: Tensor2D = 'sample' in req.weight
        ? generateSample(req.weight.sample)
        : { data: req.weight.data, rows: req.weight.rows, cols: req.weight.cols, shape: [req.weight.rows, req.weight.cols] };
      const q = quantize(w, req.opts);
      let last = -1;
      let workers = 1;
      const opts: LorcOptions = {
        maxRank: req.maxRank,
        seed: req.seed,
        onProgress: (f) => {
          // at most ~100 messages
          if (f - last >= 0.01 || f === 1) { last = f; void onProgress(f); }
        },
      };
      const link = helper;
      const r = link
        ? await lorcRowParts(w, q.xhat, (e) => { workers = 2; return splitWithHelper(e, link, opts); }, opts)
        : lorc(w, q.xhat, opts);
      return {
        ranks: r.ranks,
        relErr: r.weight.map((e) => e.relErr),
        sqnrDb: r.weight.map((e) => e.sqnrDb),
        extraBytes: r.extraBytes,
        rows: w.rows,
        cols: w.cols,
        ms: performance.now() - t0,
        workers,
      };
    },
  };
}
