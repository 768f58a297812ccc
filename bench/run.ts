/**
 * `npm run bench`: quantization throughput of every format on a 4096×4096
 * LLM-like activation (seeded), next to a plain typed-array copy of the same
 * bytes measured in the same run, so the figures are ratios that survive a
 * noisy machine. Also: fused metrics+histogram, the transform-change kernels
 * (Hadamard rotation, heatmap pooling: bench/viewKernels.ts), the randomized SVD's row
 * products behind LoRC and SVDQuant (bench/rowProducts.ts), a 2-worker pool versus one
 * worker, and the CLI end to end versus numpy when python3+numpy exist.
 * Then a whole-checkpoint scan (~1 GB, generated) versus the raw read rate.
 * `npm run bench -- --quick` uses 2048×2048 and skips the scan; `--heavy` adds AWQ/SVDQuant.
 */
import type { Worker } from 'node:worker_threads';
import { tsWorker } from './tsWorker.ts';
import { FORMATS, type FormatId } from '../src/core/formats/registry.ts';
import type { Tensor2D } from '../src/core/tensor.ts';
import { quantize } from '../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS } from '../src/core/quant/options.ts';
import { generateSample } from '../src/core/samples/samples.ts';
import { computeMetrics } from '../src/core/stats/metrics.ts';
import { nvfp4SimdAvailable, useNvfp4Simd } from '../src/core/formats/nvfp4Simd.ts';
import { useQ4_0Simd } from '../src/core/formats/q4_0Simd.ts';
import { stochasticSimdAvailable, useStochasticSimd } from '../src/core/formats/stochasticSimd.ts';
import { bestAndMedianMs, medianMs, pad, padEnd } from './timing.ts';
import { benchCli } from './cli.ts';
import { benchHeavy } from './heavy.ts';
import { benchCastAndMeasure, benchFused } from './fused.ts';
import { benchViewKernels } from './viewKernels.ts';
import { benchRowProducts } from './rowProducts.ts';
import { spawnSync } from 'node:child_process';
import { benchIo } from './io.ts';

const quick = process.argv.includes('--quick');
const heavy = process.argv.includes('--heavy');
const size = quick ? 2048 : 4096;
const runs = quick ? 3 : 5;

/** Single-core targets from issue 3, in M elements/s. */
function targetFor(id: FormatId): number | undefined {
  if (id === 'int8') return 150;
  if (/^fp[864]_/.test(id)) return 120;
  if (id.startsWith('mx')) return 100;
  if (id === 'nvfp4' || id === 'nf4' || id === 'q4_0') return 70;
  return undefined;
}

async function main(): Promise<void> {
  console.log(`quantscope bench: ${size}×${size} float32 activation sample (seed 0), median of ${runs} runs, node ${process.version}`);
  const x = generateSample({ kind: 'activation', size: size as 4096, seed: 0 });
  const n = x.data.length;
  const out = new Float32Array(n);
  const copy = bestAndMedianMs(runs, () => out.set(x.data));
  const copyRate = n / copy.best / 1e3;
  console.log(`baseline: typed-array copy ${copy.best.toFixed(1)} ms = ${copyRate.toFixed(0)} M elements/s (best of ${runs})\n`);
  console.log('M elem/s from the best of the runs (the median in brackets shows the noise); the target is checked on the best.');
  console.log(`${padEnd('format', 12)} ${pad('ms', 8)} ${pad('M elem/s', 9)} ${pad('(median)', 9)} ${pad('÷copy', 7)} ${pad('target', 7)}  ok`);
  for (const f of FORMATS) {
    const t = bestAndMedianMs(runs, () => quantize(x, { ...DEFAULT_QUANT_OPTIONS, format: f.id }, out));
    const rate = n / t.best / 1e3;
    const target = targetFor(f.id);
    const ok = target === undefined ? '' : rate >= target ? 'yes' : 'NO';
    console.log(`${padEnd(f.id, 12)} ${pad(t.best.toFixed(1), 8)} ${pad(rate.toFixed(0), 9)} ${pad(`(${(n / t.median / 1e3).toFixed(0)})`, 9)} ${pad((rate / copyRate).toFixed(3), 7)} ${pad(target ?? '—', 7)}  ${ok}`);
  }
  if (nvfp4SimdAvailable() && stochasticSimdAvailable()) {
    // the JavaScript fallbacks of the formats whose cast runs in WebAssembly SIMD above
    const jsRate = (format: FormatId) => {
      useNvfp4Simd(false);
      useStochasticSimd(false);
      useQ4_0Simd(false);
      const t = bestAndMedianMs(runs, () => quantize(x, { ...DEFAULT_QUANT_OPTIONS, format }, out));
      useNvfp4Simd(true);
      useStochasticSimd(true);
      useQ4_0Simd(true);
      return `${format} ${(n / t.best / 1e3).toFixed(0)}`;
    };
    const js = (['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4', 'nvfp4', 'q4_0'] as const).map(jsRate).join(', ');
    console.log(`(symmetric int, fp8/fp6/fp4, MX, NVFP4 and Q4_0 above cast in WebAssembly SIMD, copies in and out included; their JavaScript fallbacks, M elem/s: ${js})`);
  }
  benchStochastic(x, out, runs, copyRate);

  console.log('');
  const q = quantize(x, { ...DEFAULT_QUANT_OPTIONS, format: 'int8' }).xhat;
  const metricsMs = medianMs(runs, () => computeMetrics(x.data, q));
  console.log(`metrics (one float64 pass)       ${metricsMs.toFixed(1)} ms = ${(n / metricsMs / 1e3).toFixed(0)} M elements/s (÷copy ${(n / metricsMs / 1e3 / copyRate).toFixed(3)})`);
  benchFused(x.data, q, runs, copyRate);
  benchCastAndMeasure(x, runs, copyRate);
  console.log('');
  benchViewKernels(x, runs, copyRate);
  benchRowProducts(quick ? 2 : 3);

  await benchPool(x.data, size, runs);
  await benchCli();
  await benchIo();
  // in its own process: peak RSS is per process, and the reader bench above has already touched 1.5 GB
  if (!quick) spawnSync(process.execPath, ['--import', 'tsx', new URL('./scan.ts', import.meta.url).pathname, '1'], { stdio: 'inherit' });
  if (heavy) await benchHeavy();
}

/** Stochastic rounding (a draw per element) of the app's four default formats and NVFP4, WebAssembly SIMD beside its JavaScript fallback. */
function benchStochastic(x: Tensor2D, out: Float32Array, runs: number, copyRate: number): void {
  const n = x.data.length;
  console.log('\nstochastic rounding, seed 1 (M elem/s, best of the runs; WebAssembly SIMD, then its JavaScript fallback):');
  for (const format of ['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4', 'nvfp4'] as const) {
    const rate = (simd: boolean) => {
      useStochasticSimd(simd);
      const t = bestAndMedianMs(runs, () => quantize(x, { ...DEFAULT_QUANT_OPTIONS, format, rounding: 'stochastic', seed: 1 }, out));
      useStochasticSimd(true);
      return n / t.best / 1e3;
    };
    const simd = stochasticSimdAvailable() ? rate(true) : NaN;
    const js = rate(false);
    console.log(`  ${padEnd(format, 10)} ${pad(simd.toFixed(0), 5)} (÷copy ${(simd / copyRate).toFixed(3)})   JS ${pad(js.toFixed(0), 4)}   ${(simd / js).toFixed(2)}×`);
  }
}

async function benchPool(data: Float32Array, n: number, runs: number): Promise<void> {
  const xs = new SharedArrayBuffer(data.byteLength);
  new Float32Array(xs).set(data);
  const outs = new SharedArrayBuffer(data.byteLength);
  const workers = [0, 1].map(() => tsWorker(new URL('./poolWorker.ts', import.meta.url).href));
  const job = (w: Worker, r0: number, r1: number, format: FormatId) =>
    new Promise<void>((resolve) => {
      w.once('message', () => resolve());
      w.postMessage({ x: xs, out: outs, rows: n, cols: n, r0, r1, format });
    });
  console.log('\nworker pool (node worker_threads, rows split in halves; one and two workers timed in turn, each worker warmed up on the format;');
  console.log('the speed-up is best ÷ best, as in the table above: other processes only ever add time; medians in brackets):');
  const elapsed = async (f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); return performance.now() - t0; };
  for (const format of ['int8', 'fp8_e4m3', 'mxfp4', 'nvfp4'] as FormatId[]) {
    await Promise.all([job(workers[0], 0, n, format), job(workers[1], 0, n, format)]);
    const one: number[] = [], two: number[] = [];
    for (let i = 0; i < runs; i++) {
      // the single-worker run alternates between the two, so neither's core decides it
      one.push(await elapsed(() => job(workers[i % 2], 0, n, format)));
      two.push(await elapsed(() => Promise.all([job(workers[0], 0, n / 2, format), job(workers[1], n / 2, n, format)])));
    }
    const best = (a: number[]) => Math.min(...a);
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    console.log(`  ${padEnd(format, 10)} 1 worker ${best(one).toFixed(1)} ms (${median(one).toFixed(1)}), 2 workers ${best(two).toFixed(1)} ms (${median(two).toFixed(1)}): speed-up ${(best(one) / best(two)).toFixed(2)}× (${(median(one) / median(two)).toFixed(2)}×; target ≥ 1.8×)`);
  }
  await Promise.all(workers.map((w) => w.terminate()));
}

main().catch((e) => {
  console.error(`bench failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
