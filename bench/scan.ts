/**
 * Scan benchmark (issue 7): writes a seeded BF16 checkpoint of ~1 GB (two
 * shards + model.safetensors.index.json, streamed to a temp folder, never held
 * in memory), then measures in the same run:
 *   raw read       the shard files read sequentially in 8 MiB chunks (fs),
 *   decode         every tensor read to float32 through the io readers,
 *   scan ×1        scanCheckpoint in this thread,
 *   scan ×N        scanCheckpoint with a worker_threads pool quantizing row slices
 *                  (the app's pattern: one tensor resident, split by rows),
 * as MB/s of stored bytes, the scan rates as a fraction of the raw read rate
 * (target ≥ 0.5× with all cores busy), and peak RSS (target < 1 GB).
 * Not run by the tests. `benchScan({ gigabytes, formats, workers })`.
 */
import type { Worker } from 'node:worker_threads';
import { tsWorker } from './tsWorker.ts';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openPath } from '../src/cli/load.ts';
import { scanCheckpoint, variantsFor, type QuantizeAndMeasure } from '../src/core/model/scan.ts';
import { emptySums, mergeSums, metricsFromSums, type MetricSums } from '../src/core/stats/metrics.ts';
import { getFormat, type FormatId } from '../src/core/formats/registry.ts';
import { pad, padEnd } from './timing.ts';

export interface ScanBenchResult {
  bytes: number;
  rawReadMBs: number;
  decodeMBs: number;
  scanMBs: number;
  poolScanMBs: number;
  workers: number;
  peakRssMB: number;
}

interface Planned { name: string; shape: [number, number]; }

/** Llama-like tensors (hidden 2048, MLP 5632, GQA 8 heads of 64 → k/v 512) until ~bytes of BF16. */
function plan(bytes: number): Planned[] {
  const H = 2048, I = 5632, KV = 512;
  const out: Planned[] = [{ name: 'model.embed_tokens.weight', shape: [32000, H] }];
  let total = 32000 * H * 2;
  for (let L = 0; total < bytes; L++) {
    const p = `model.layers.${L}.`;
    const layer: Planned[] = [
      { name: p + 'self_attn.q_proj.weight', shape: [H, H] }, { name: p + 'self_attn.k_proj.weight', shape: [KV, H] },
      { name: p + 'self_attn.v_proj.weight', shape: [KV, H] }, { name: p + 'self_attn.o_proj.weight', shape: [H, H] },
      { name: p + 'mlp.gate_proj.weight', shape: [I, H] }, { name: p + 'mlp.up_proj.weight', shape: [I, H] },
      { name: p + 'mlp.down_proj.weight', shape: [H, I] }, { name: p + 'input_layernorm.weight', shape: [1, H] },
    ];
    for (const t of layer) total += t.shape[0] * t.shape[1] * 2;
    out.push(...layer);
  }
  return out;
}

/** Writes one shard, streaming seeded BF16 values (approximately normal, a few outliers). */
async function writeShard(file: string, tensors: Planned[], seed: number): Promise<void> {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const t of tensors) {
    const n = t.shape[0] * t.shape[1] * 2;
    header[t.name] = { dtype: 'BF16', shape: t.name.endsWith('layernorm.weight') ? [t.shape[1]] : t.shape, data_offsets: [off, off + n] };
    off += n;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const fh = await open(file, 'w');
  try {
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, BigInt(json.length), true);
    await fh.write(len);
    await fh.write(new TextEncoder().encode(json));
    let s = seed >>> 0 || 1;
    const chunk = new Uint16Array(1 << 22);
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    for (const t of tensors) {
      let left = t.shape[0] * t.shape[1];
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        for (let i = 0; i < n; i++) {
          // xorshift32; sum of two uniforms ≈ bell shape; 1 in 65536 an outlier ×20
          s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
          const a = (s & 0xffff) / 65536, b = (s >>> 16) / 65536;
          f[0] = (a + b - 1) * 0.05 * ((s & 0xffff) === 7 ? 20 : 1);
          chunk[i] = u[0] >>> 16;
        }
        await fh.write(new Uint8Array(chunk.buffer, 0, n * 2));
        left -= n;
      }
    }
  } finally {
    await fh.close();
  }
}

async function rawRead(files: string[]): Promise<number> {
  const buf = new Uint8Array(8 << 20);
  let total = 0;
  for (const f of files) {
    const fh = await open(f, 'r');
    try {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (!bytesRead) break;
        total += bytesRead;
      }
    } finally {
      await fh.close();
    }
  }
  return total;
}

/** A QuantizeAndMeasure that splits rows over a worker pool (block formats: whole rows; column granularity: one worker). */
function poolMeasure(workers: Worker[]): QuantizeAndMeasure {
  let sab = new SharedArrayBuffer(0);
  return async (x, opts) => {
    const n = x.rows * x.cols;
    if (sab.byteLength < n * 4) sab = new SharedArrayBuffer(n * 4);
    new Float32Array(sab, 0, n).set(x.data);
    const g = opts.granularity;
    const align = g.kind === 'block' && getFormat(opts.format).kind === 'scalar' ? g.rows : 1;
    const parts = g.kind === 'column' || (g.kind === 'tensor' && opts.clip !== undefined) ? 1 : Math.min(workers.length, Math.max(1, Math.floor(x.rows / align)));
    let tensorAmax: number | undefined;
    if (opts.format === 'nvfp4' || g.kind === 'tensor') {
      tensorAmax = 0;
      for (let i = 0; i < n; i++) { const a = Math.abs(x.data[i]); if (a > tensorAmax && a !== Infinity) tensorAmax = a; }
    }
    const per = Math.ceil(x.rows / parts / align) * align;
    const jobs: Promise<{ sums: MetricSums; saturated: number }>[] = [];
    for (let k = 0, r0 = 0; r0 < x.rows; k++, r0 += per) {
      const w = workers[k];
      const r1 = Math.min(x.rows, r0 + per);
      jobs.push(new Promise((resolve) => { w.once('message', resolve); w.postMessage({ sab, cols: x.cols, r0, r1, opts, tensorAmax }); }));
    }
    const res = await Promise.all(jobs);
    return { metrics: metricsFromSums(res.reduce((a, r) => mergeSums(a, r.sums), emptySums())), saturated: res.reduce((a, r) => a + r.saturated, 0) };
  };
}

const mb = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1e3);
const rssMB = () => process.resourceUsage().maxRSS / 1024;

export async function benchScan(opts: { gigabytes?: number; formats?: FormatId[]; workers?: number } = {}): Promise<ScanBenchResult> {
  const bytes = (opts.gigabytes ?? 1) * 1e9;
  const formats = opts.formats ?? ['int8', 'mxfp4'];
  const nWorkers = opts.workers ?? Math.max(1, os.availableParallelism());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quantscope-scan-bench-'));
  try {
    const tensors = plan(bytes);
    const half = Math.ceil(tensors.length / 2);
    const shards = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
    let t0 = performance.now();
    await writeShard(path.join(dir, shards[0]), tensors.slice(0, half), 1);
    await writeShard(path.join(dir, shards[1]), tensors.slice(half), 2);
    await writeFile(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: Object.fromEntries(tensors.map((t, i) => [t.name, shards[i < half ? 0 : 1]])) }));
    const files = shards.map((s) => path.join(dir, s));
    console.log(`\nscan: ${tensors.length} BF16 tensors in 2 shards written in ${((performance.now() - t0) / 1e3).toFixed(1)} s; formats ${formats.join(', ')}; ${nWorkers} workers`);

    t0 = performance.now();
    const total = await rawRead(files);
    const rawReadMBs = mb(total, performance.now() - t0);

    let file = await openPath(dir);
    const stored = file.tensors.reduce((a, t) => a + t.byteSize, 0);
    t0 = performance.now();
    for (const t of file.tensors) await file.read(t.name);
    const decodeMBs = mb(stored, performance.now() - t0);

    t0 = performance.now();
    const one = await scanCheckpoint(file, variantsFor(formats));
    const scanMBs = mb(stored, performance.now() - t0);
    await file.close();

    const workers = Array.from({ length: nWorkers }, () => tsWorker(new URL('./scanWorker.ts', import.meta.url).href));
    let poolScanMBs = 0;
    try {
      file = await openPath(dir);
      t0 = performance.now();
      const many = await scanCheckpoint(file, variantsFor(formats), { quantizeAndMeasure: poolMeasure(workers) });
      poolScanMBs = mb(stored, performance.now() - t0);
      await file.close();
      // same x̂ either way; only the float64 summation order of the merged sums differs
      const differ = many.rows.findIndex((r, i) => r.maxAbsErr !== one.rows[i].maxAbsErr || r.saturated !== one.rows[i].saturated || Math.abs(r.mse - one.rows[i].mse) > 1e-9 * one.rows[i].mse);
      if (differ >= 0) console.log(`  warning: pool and single-thread scans differ at ${many.rows[differ].name} ${many.rows[differ].variant}: ${JSON.stringify([many.rows[differ].mse, many.rows[differ].maxAbsErr, many.rows[differ].saturated])} vs ${JSON.stringify([one.rows[differ].mse, one.rows[differ].maxAbsErr, one.rows[differ].saturated])}`);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    const peakRssMB = rssMB();
    const line = (label: string, v: number) => console.log(`  ${padEnd(label, 26)} ${pad(v.toFixed(0), 7)} MB/s  ${pad((v / rawReadMBs).toFixed(3), 6)}× raw read`);
    line('raw read (fs, 8 MiB chunks)', rawReadMBs);
    line('decode to float32', decodeMBs);
    line('scan, 1 thread', scanMBs);
    line(`scan, ${nWorkers} workers`, poolScanMBs);
    console.log(`  ${(stored / 1e9).toFixed(2)} GB stored; target scan ≥ 0.5× raw read with all cores: ${poolScanMBs >= 0.5 * rawReadMBs ? 'yes' : 'NO'}; peak RSS ${peakRssMB.toFixed(0)} MB (target < 1024): ${peakRssMB < 1024 ? 'yes' : 'NO'}`);
    return { bytes: stored, rawReadMBs, decodeMBs, scanMBs, poolScanMBs, workers: nWorkers, peakRssMB };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/scan.ts [GB]` runs it alone
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  benchScan({ gigabytes: Number(process.argv[2] ?? 1) }).catch((e) => {
    console.error(`bench failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  });
}
