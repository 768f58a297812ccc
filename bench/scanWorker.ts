/**
 * worker_threads side of the scan benchmark: quantize a row slice of a tensor
 * held in a SharedArrayBuffer and return its metric sums (merged exactly by the
 * main thread, src/core/stats/metrics.ts mergeSums).
 */
import { parentPort } from 'node:worker_threads';
import { quantize } from '../src/core/quant/quantize.ts';
import { accumulateSums, emptySums } from '../src/core/stats/metrics.ts';
import type { QuantOptions } from '../src/core/quant/options.ts';

let scratch = new Float32Array(0);

parentPort!.on('message', (m: { sab: SharedArrayBuffer; cols: number; r0: number; r1: number; opts: QuantOptions; tensorAmax?: number }) => {
  const n = (m.r1 - m.r0) * m.cols;
  const x = new Float32Array(m.sab, m.r0 * m.cols * 4, n);
  if (scratch.length < n) scratch = new Float32Array(n);
  const out = scratch.subarray(0, n);
  const r = quantize({ data: x, rows: m.r1 - m.r0, cols: m.cols, shape: [m.r1 - m.r0, m.cols] }, m.opts, out, { rowOffset: m.r0, ...(m.tensorAmax === undefined ? {} : { tensorAmax: m.tensorAmax }) });
  parentPort!.postMessage({ sums: accumulateSums(x, out, emptySums()), saturated: r.saturated });
});
