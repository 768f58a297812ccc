/**
 * The randomized SVD's two row products (LoRC's and SVDQuant's cost: a LoRC
 * curve to r = 64 is 11 of them per worker), on one LoRC worker's half of a
 * 4096×4096 weight (2048×4096) with k = 74 vectors, WebAssembly SIMD beside the
 * JavaScript loops it replaces, measured in the same run (same bits); and
 * matmul.ts's Y = X·Wᵀ (the W×A table, AWQ, SVDQuant) through the same kernel,
 * 256 tokens × a 4096×4096 weight.
 */
import { mulRowsByA, mulRowsByAt } from '../src/core/linalg/topSingular.ts';
import { matmulXWt } from '../src/core/linalg/matmul.ts';
import { rowProductsSimdAvailable, useRowProductsSimd } from '../src/core/linalg/rowProductsSimd.ts';
import { bestAndMedianMs, padEnd } from './timing.ts';

export function benchRowProducts(runs: number): void {
  const m = 2048, n = 4096, k = 74;
  const a = { data: new Float32Array(m * n).map((_, i) => Math.sin(i * 0.37) * 0.01), rows: m, cols: n };
  const b = new Float64Array(k * n).map((_, i) => Math.cos(i));
  const y = new Float64Array(k * m).map((_, i) => Math.cos(i * 0.3));
  const gmac = (m * n * k) / 1e9;
  console.log(`\nrandomized-SVD row products, ${m}×${n} float32 × ${k} float64 vectors (G multiply-adds/s, best of ${runs}):`);
  const rates = (simd: boolean) => {
    useRowProductsSimd(simd);
    const at = bestAndMedianMs(runs, () => mulRowsByAt(a, b, k));
    const ay = bestAndMedianMs(runs, () => mulRowsByA(a, y, k));
    useRowProductsSimd(true);
    return [gmac / at.best * 1e3, gmac / ay.best * 1e3];
  };
  const js = rates(false);
  const simd = rowProductsSimdAvailable() ? rates(true) : null;
  const row = (name: string, i: number) => console.log(`${padEnd(name, 30)} JavaScript ${js[i].toFixed(2)}` +
    (simd ? `, WebAssembly SIMD ${simd[i].toFixed(2)} (${(simd[i] / js[i]).toFixed(1)}× the JavaScript)` : ' (no WebAssembly SIMD here)'));
  row('A·bₜ (mulRowsByAt)', 0);
  row('Y·A (mulRowsByA)', 1);
  const T = 256;
  const x = { data: a.data.subarray(0, T * n), rows: T, cols: n, shape: [T, n] };
  const w = { data: new Float32Array(n * n).map((_, i) => Math.cos(i * 0.3) * 0.02), rows: n, cols: n, shape: [n, n] };
  const mm = (simd: boolean) => {
    useRowProductsSimd(simd);
    const t = bestAndMedianMs(1, () => matmulXWt(x, w));
    useRowProductsSimd(true);
    return (T * n * n) / t.best / 1e6;
  };
  const mmJs = mm(false);
  const mmSimd = simd ? mm(true) : 0;
  console.log(`${padEnd(`Y = X·Wᵀ, ${T}×${n} · (${n}×${n})ᵀ`, 30)} JavaScript ${mmJs.toFixed(2)}` +
    (simd ? `, WebAssembly SIMD ${mmSimd.toFixed(2)} (${(mmSimd / mmJs).toFixed(1)}× the JavaScript)` : ''));
}
