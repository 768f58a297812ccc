/** Fused metrics + error-histogram pass (the analysis view's hot loop) versus the copy baseline. */
import { accumulateErrorPass, emptyErrorBuckets, histogram, sharedBinEdges } from '../src/core/stats/histogram.ts';
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
