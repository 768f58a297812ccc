/**
 * `npm run bench -- --heavy` (issue 9): AWQ α search and SVDQuant rank 32 on a
 * 4096×4096 weight with a 2048×4096 activation, next to one plain matmul of the
 * same size measured in the same run.
 */
import { generateSample } from '../src/core/samples/samples.ts';
import { matmulXWt } from '../src/core/linalg/matmul.ts';
import { awqSearch } from '../src/core/transforms/awq.ts';
import { svdQuant } from '../src/core/transforms/svdquant.ts';
import { quantize } from '../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS } from '../src/core/quant/options.ts';
import { parseGranularity } from '../src/core/quant/options.ts';
import type { Tensor2D } from '../src/core/tensor.ts';

export async function benchHeavy(): Promise<void> {
  const full = generateSample({ kind: 'activation', size: 4096, seed: 0 });
  const x: Tensor2D = { data: full.data.subarray(0, 2048 * 4096), rows: 2048, cols: 4096, shape: [2048, 4096] };
  const w = generateSample({ kind: 'weight', size: 4096, seed: 0 });
  let t0 = performance.now();
  matmulXWt(x, w);
  const mm = performance.now() - t0;
  console.log(`\nheavy: one matmul 2048×4096 · (4096×4096)ᵀ: ${(mm / 1000).toFixed(2)} s`);
  const qw = (t: Tensor2D) => quantize(t, { ...DEFAULT_QUANT_OPTIONS, format: 'int4', granularity: parseGranularity('group:128') }).xhat;
  const qx = (t: Tensor2D) => quantize(t, { ...DEFAULT_QUANT_OPTIONS, format: 'int4' }).xhat;
  t0 = performance.now();
  const a = awqSearch(x, w, qw);
  const awqS = (performance.now() - t0) / 1000;
  console.log(`AWQ α search (21 α, int4 group:128): ${awqS.toFixed(2)} s = ${(awqS / (mm / 1000)).toFixed(1)} matmuls (target < 5 s); chose α = ${a.bestAlpha}`);
  t0 = performance.now();
  svdQuant(x, w, 32, qx, qw, { curveRanks: [32] });
  const svdS = (performance.now() - t0) / 1000;
  console.log(`SVDQuant rank 32 (W4A4 int4): ${svdS.toFixed(2)} s = ${(svdS / (mm / 1000)).toFixed(1)} matmuls (target < 5 s)`);
}
