/**
 * The kernels of a transform change's heatmaps (issue 5): the Hadamard rotation
 * X' = X·H_G/√G, the max-|x| pooling onto the view's 256×512 cells with the
 * channel absmax made in the same pass, and the error heatmap's pooling of
 * x̂ − x, on the whole 4096×4096 sample, one core, next to the copy baseline
 * measured in the same run.
 */
import type { Tensor2D } from '../src/core/tensor.ts';
import { hadamardForward, hadamardSpec } from '../src/core/transforms/hadamard.ts';
import { fullViewport, poolMaxAbs } from '../src/core/stats/pooling.ts';
import { hadamardSimdAvailable, useHadamardSimd } from '../src/core/transforms/hadamardSimd.ts';
import { poolBandSimdFor, usePoolBandSimd } from '../src/core/stats/poolBandSimd.ts';
import { bestAndMedianMs, pad, padEnd } from './timing.ts';

export function benchViewKernels(x: Tensor2D, runs: number, copyRate: number): void {
  const n = x.data.length;
  const out = new Float32Array(n);
  const line = (name: string, t: { best: number; median: number }) => {
    const rate = n / t.best / 1e3;
    console.log(`${padEnd(name, 52)} ${pad(t.best.toFixed(1), 7)} ms = ${pad(rate.toFixed(0), 4)} M elements/s, best of ${runs} (median ${(n / t.median / 1e3).toFixed(0)}; ÷copy ${(rate / copyRate).toFixed(3)})`);
  };
  const simd = hadamardSimdAvailable() && poolBandSimdFor(x.cols);
  // a stand-in x̂ for the error pooling: x on a grid of step 1/8 (its cost does not depend on the format)
  const xhat = x.data.map((v) => Math.round(v * 8) / 8);
  for (const js of simd ? [false, true] : [true]) {
    const how = js ? (simd ? ', JS fallback' : '') : ', SIMD';
    useHadamardSimd(!js);
    usePoolBandSimd(!js);
    for (const [g, random] of [[128, false], [128, true], [x.cols, false]] as const) {
      const spec = hadamardSpec(g, x.cols, random, 0);
      line(`${random ? 'random-' : ''}hadamard:${g} rotation${how}`, bestAndMedianMs(runs, () => hadamardForward(x, spec, out)));
    }
    const vp = fullViewport(x.rows, x.cols);
    line(`|x| pooling 256×512 + channel absmax${how}`, bestAndMedianMs(runs, () => {
      poolMaxAbs(x.data, x.rows, x.cols, vp, 256, 512, 'value', undefined, undefined, { col: new Float32Array(x.cols), row: new Float32Array(x.rows) });
    }));
    line(`error x̂ − x pooling 256×512${how}`, bestAndMedianMs(runs, () => {
      poolMaxAbs(x.data, x.rows, x.cols, vp, 256, 512, 'error', xhat);
    }));
  }
  useHadamardSimd(true);
  usePoolBandSimd(true);
}
