/** worker_threads side of the pool benchmark: quantize a row range of a shared tensor. */
import { parentPort } from 'node:worker_threads';
import { quantize } from '../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS } from '../src/core/quant/options.ts';
import type { FormatId } from '../src/core/formats/registry.ts';

parentPort!.on('message', (m: { x: SharedArrayBuffer; out: SharedArrayBuffer; rows: number; cols: number; r0: number; r1: number; format: FormatId }) => {
  const x = new Float32Array(m.x, m.r0 * m.cols * 4, (m.r1 - m.r0) * m.cols);
  const out = new Float32Array(m.out, m.r0 * m.cols * 4, (m.r1 - m.r0) * m.cols);
  quantize({ data: x, rows: m.r1 - m.r0, cols: m.cols, shape: [m.r1 - m.r0, m.cols] }, { ...DEFAULT_QUANT_OPTIONS, format: m.format }, out, { rowOffset: m.r0 });
  parentPort!.postMessage('done');
});
