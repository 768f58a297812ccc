/** Fused metrics + error-histogram pass (the analysis view's hot loop) versus the copy baseline. */
import { accumulateErrorPass, castAndAccumulateErrorPass, emptyErrorBuckets, histogram, sharedBinEdges } from '../src/core/stats/histogram.ts';
import { quantize } from '../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS } from '../src/core/quant/options.ts';
import type { Tensor2D } from '../src/core/tensor.ts';
import { errorPassSimdAvailable, useErrorPassSimd } from '../src/core/stats/errorPassSimd.ts';
import { emptySums } from '../src/core/stats/metrics.ts';
import { bestAndMedianMs, medianMs } from './timing.ts';

export function benchFused(x: Float32Array, xhat: Float32Array, runs: number, copyRate: number): void {
  const n = x.length;
  const buckets = emptyErrorBuckets();
  const measure = (label: string) => {
    const t = bestAndMedianMs(runs, () => { buckets.fill(0); accumulateErrorPass(x, xhat, emptySums(), buckets); });
    const rate = n / t.best / 1e3;
    console.log(`metrics + error histogram, fused, ${label} ${t.best.toFixed(1)} ms = ${rate.toFixed(0)} M elements/s, best of ${runs} (median ${(n / t.median / 1e3).toFixed(0)}; ÷copy ${(rate / copyRate).toFixed(3)}; target ≥ 300 M/s: ${rate >= 300 ? 'yes' : 'NO'})`);
  };
  if (errorPassSimdAvailable()) measure('WebAssembly SIMD (copies in included)');
  else console.log('metrics + error histogram: no WebAssembly SIMD in this runtime');
  useErrorPassSimd(false);
  measure('JavaScript (the fallback)');
  useErrorPassSimd(true);
  const edges = sharedBinEdges([x], 256);
  const hms = medianMs(runs, () => histogram(x, edges));
  console.log(`256-bin value histogram          ${hms.toFixed(1)} ms = ${(n / hms / 1e3).toFixed(0)} M elements/s (numpy ≈ 163 M/s on this machine per issue 3)`);
}

/**
 * What a metrics request does per format (workers/engineApi.ts quantSlice): quantize, then the fused
 * metrics + error-histogram pass; apart, and with the pass measuring each cast window in the cast
 * kernel's memory, x̂ not kept (castAndAccumulateErrorPass, as quantSlice). Four default formats, stochastic rounding, 2M-element chunks.
 */
export function benchCastAndMeasure(x: Tensor2D, runs: number, copyRate: number): void {
  const chunkRows = Math.max(1, Math.floor((1 << 21) / x.cols));
  const scratch = new Float32Array(chunkRows * x.cols);
  const formats = ['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4'] as const;
  const pass = (fused: boolean) => {
    for (const format of formats) {
      const opts = { ...DEFAULT_QUANT_OPTIONS, format, rounding: 'stochastic' as const, seed: 1 };
      for (let r0 = 0; r0 < x.rows; r0 += chunkRows) {
        const r1 = Math.min(x.rows, r0 + chunkRows);
        const data = x.data.subarray(r0 * x.cols, r1 * x.cols);
        const part = { data, rows: r1 - r0, cols: x.cols, shape: [r1 - r0, x.cols] };
        const out = scratch.subarray(0, data.length);
        const cast = () => quantize(part, opts, out, { rowOffset: r0 }).xhat;
        if (fused) castAndAccumulateErrorPass(data, out, emptySums(), emptyErrorBuckets(), cast, false);
        else accumulateErrorPass(data, cast(), emptySums(), emptyErrorBuckets());
      }
    }
  };
  const n = x.data.length * formats.length;
  const apart = bestAndMedianMs(runs, () => pass(false));
  const fused = bestAndMedianMs(runs, () => pass(true));
  const rate = (ms: number) => n / ms / 1e3;
  console.log(`quantize + metrics pass, 4 default formats, stochastic: apart ${apart.best.toFixed(0)} ms = ${rate(apart.best).toFixed(0)} M elem/s, fused ${fused.best.toFixed(0)} ms = ${rate(fused.best).toFixed(0)} M elem/s (${(apart.best / fused.best).toFixed(2)}×; ÷copy ${(rate(fused.best) / copyRate).toFixed(3)})`);
}
