/**
 * worker_threads side of the scan benchmark: quantize a row slice of a tensor
 * held in a SharedArrayBuffer, band by band (src/core/model/bandedMeasure.ts,
 * as the app's scan does), and return its metric sums (merged exactly by the
 * main thread, src/core/stats/metrics.ts mergeSums).
 */
import { parentPort } from 'node:worker_threads';
import { accumulateInBands, type BandScratch } from '../src/core/model/bandedMeasure.ts';
import { emptySums } from '../src/core/stats/metrics.ts';
import type { QuantOptions } from '../src/core/quant/options.ts';

const scratch: BandScratch = { buf: new Float32Array(0) };

parentPort!.on('message', (m: { sab: SharedArrayBuffer; cols: number; r0: number; r1: number; opts: QuantOptions; tensorAmax?: number }) => {
  const rows = m.r1 - m.r0;
  const x = new Float32Array(m.sab, m.r0 * m.cols * 4, rows * m.cols);
  const sums = emptySums();
  const saturated = accumulateInBands({ data: x, rows, cols: m.cols, shape: [rows, m.cols] }, m.opts, scratch, sums,
    { rowOffset: m.r0, ...(m.tensorAmax === undefined ? {} : { tensorAmax: m.tensorAmax }) });
  parentPort!.postMessage({ sums, saturated });
});
