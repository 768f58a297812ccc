/**
 * `npx tsx bench/ioBrowser.ts` (also the last section of `npm run bench:app`):
 * bench/io.ts's tensor-reader figures (issue 6) in headless Chromium, with
 * real disk-backed Files (Playwright's setInputFiles on an <input type=file>)
 * read in a Web Worker, as the app does (page + worker: bench/ioBrowser/,
 * served by a Vite dev server rooted at the repo; not part of the app build).
 *  - header listing of the 3 GB sparse safetensors file: best of 3, ms;
 *  - read + decode throughput of F32, BF16, F8_E4M3 and MXFP4-packed
 *    (64 MiB stored each): the worker alternates file.slice().arrayBuffer()
 *    of the tensor's stored bytes with tf.read() (best of 5 each), MB/s of
 *    stored bytes and their ratio (target ≥ 0.5); the same with the File's
 *    source given stream() (blobSource(file) plus
 *    `stream: (o, n) => file.slice(o, o + n).stream()`: readChunked's BYOB
 *    path); also, for comparison, the
 *    same tf.read with its chunk reads made in a second worker and the
 *    buffers transferred (bench/ioBrowser/reader.ts; not how the app reads
 *    today: it shows what taking the reads' arrival off the decoding thread
 *    is worth); decoding alone (the
 *    file's bytes already in memory) and the chunk reads of one traced
 *    tf.read, which show whether File reads progress while a chunk decodes,
 *    and the time to allocate and write the float32 output alone: a tensor
 *    that decodes to k× its stored bytes cannot beat that floor;
 *  - peak memory: the Chromium renderer process's peak RSS (VmHWM from
 *    /proc, reset through clear_refs before each section) and the browser
 *    process's (File reads are served from there). JS heap figures
 *    (performance.memory, CDP Performance.getMetrics) cover the page's main
 *    thread only and not ArrayBuffers in the worker, so they are not used.
 * Linux only for the memory figures (they print as n/a elsewhere).
 */
import { createServer } from 'vite';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch } from '../test/e2e/browser.ts';
import { writeBigFile, writeSmallFile } from './io.ts';
import type { BenchReply, BenchRequest } from './ioBrowser/worker.ts';

const ROUNDS = 5;
const MiB = 1 << 20;
const ROOT = path.resolve(import.meta.dirname, '..');

/** Chromium processes started by this Node process: pid and --type (browser: ''). */
function chromiumProcesses(): { pid: number; type: string }[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  let pids: string[];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return []; }
  for (const d of pids) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(+d, +stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      cmd.set(+d, readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' '));
    } catch { /* exited */ }
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...cmd].filter(([pid, c]) => /chrom/i.test(c) && mine(pid))
    .map(([pid, c]) => ({ pid, type: /--type=(\S+)/.exec(c)?.[1] ?? '' }));
}

/** [VmHWM, VmRSS] of `pid` in MB, or null. */
function rss(pid: number): [number, number] | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => +(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
    return [kb('VmHWM') / 1024, kb('VmRSS') / 1024];
  } catch { return null; }
}

/** Resets the peak-RSS mark of `pids` (Linux clear_refs "5"). */
function resetPeaks(pids: number[]): void {
  for (const p of pids) try { writeFileSync(`/proc/${p}/clear_refs`, '5'); } catch { /* not Linux / not permitted */ }
}

interface Procs { renderers: number[]; browser: number[] }
function procs(): Procs {
  const ps = chromiumProcesses();
  return { renderers: ps.filter((p) => p.type === 'renderer').map((p) => p.pid), browser: ps.filter((p) => p.type === '').map((p) => p.pid) };
}
const peakOf = (pids: number[]) => {
  const v = pids.map((p) => rss(p)?.[0]).filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length ? Math.max(...v) : NaN;
};
const nowOf = (pids: number[]) => {
  const v = pids.map((p) => rss(p)?.[1]).filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length ? Math.max(...v) : NaN;
};
const mb = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} MB` : 'n/a');

const ask = (page: Page, input: string, req: BenchRequest): Promise<BenchReply> =>
  page.evaluate(([i, r]) => (window as unknown as { __ioBench(i: string, r: unknown): Promise<BenchReply> }).__ioBench(i, r), [input, req] as const);

const mbs = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1e3);
const min = (a: number[]) => Math.min(...a);
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** Runs the section in `browser` (launched by the caller, or here when run alone). */
export async function benchIoBrowser(browser?: Browser): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qs-bench-iobrowser-'));
  const server = await createServer({
    root: ROOT, configFile: false, logLevel: 'warn', clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  const own = !browser;
  const b = browser ?? await launch();
  try {
    const big = writeBigFile(dir);
    const small = writeSmallFile(dir);
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite dev server has no local URL');
    const ctx = await b.newContext({ serviceWorkers: 'block' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}bench/ioBrowser/index.html`);
    await page.waitForFunction(() => (window as unknown as { __ioBenchReady?: boolean }).__ioBenchReady === true, null, { timeout: 60_000 });
    await page.locator('#big').setInputFiles(big.path);
    await page.locator('#small').setInputFiles(small.path);

    const version = b.version();
    console.log(`\nio in Chromium ${version} (headless, Web Worker, disk-backed File via setInputFiles; best of ${ROUNDS}, alternating):`);
    let p = procs();
    // 1. header listing
    resetPeaks([...p.renderers, ...p.browser]);
    const before = nowOf(p.renderers);
    const lists: number[] = [];
    let count = 0;
    for (let i = 0; i < 3; i++) {
      const r = await ask(page, 'big', { op: 'list' });
      if (r.op !== 'list') throw new Error('unexpected reply');
      lists.push(r.ms);
      count = r.tensors;
    }
    p = procs();
    console.log(`  header listing of a ${(big.bytes / 1e9).toFixed(2)} GB safetensors file (${count} tensors): ${min(lists).toFixed(1)} ms (runs ${lists.map((x) => x.toFixed(1)).join(', ')}; target < 1 s); renderer RSS ${mb(before)} before, peak ${mb(peakOf(p.renderers))} during (target growth < 50 MB)`);

    // 2. read + decode
    for (const [label, tensor, start, bytes, elements] of small.cases) {
      p = procs();
      resetPeaks([...p.renderers, ...p.browser]);
      const base = nowOf(p.renderers);
      const r = await ask(page, 'small', { op: 'case', tensor, start, bytes, rounds: ROUNDS });
      if (r.op !== 'case') throw new Error('unexpected reply');
      p = procs();
      const peakR = peakOf(p.renderers);
      const peakB = peakOf(p.browser);
      const d = await ask(page, 'small', { op: 'decodeOnly', tensor, rounds: ROUNDS, elements });
      if (d.op !== 'decodeOnly') throw new Error('unexpected reply');
      const raw = mbs(bytes, min(r.raw));
      const dec = mbs(bytes, min(r.read));
      const ratios = r.raw.map((x, i) => x / r.read[i]);
      console.log(`  ${label.padEnd(24)} read+decode ${dec.toFixed(0).padStart(5)} MB/s stored (${mbs(elements * 4, min(r.read)).toFixed(0)} MB/s of float32 out), raw file.slice().arrayBuffer() ${raw.toFixed(0).padStart(5)} MB/s: ratio ${(dec / raw).toFixed(2)} (rounds ${min(ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; target ≥ 0.5)`);
      const split = mbs(bytes, min(r.splitRead));
      const splitRatios = r.raw.map((x, i) => x / r.splitRead[i]);
      const streamed = mbs(bytes, min(r.streamedRead));
      const streamedRatios = r.raw.map((x, i) => x / r.streamedRead[i]);
      console.log(`    source with stream() (BYOB, one stream per tensor): ${streamed.toFixed(0)} MB/s stored, ratio ${(streamed / raw).toFixed(2)} (rounds ${min(streamedRatios).toFixed(2)}–${Math.max(...streamedRatios).toFixed(2)})`);
      console.log(`    (chunk reads in a second worker, buffers transferred — not how the app reads: ${split.toFixed(0)} MB/s stored, ratio ${(split / raw).toFixed(2)}, rounds ${min(splitRatios).toFixed(2)}–${Math.max(...splitRatios).toFixed(2)})`);
      // chunk reads of the traced tf.read: issue → arrival of each; a read in flight while the previous chunk decodes
      const c = r.chunks;
      const durs = c.map(([i, a]) => a - i);
      const perChunkRaw = min(r.raw) / c.length * ((c.length * 4 * MiB) / bytes);
      console.log(`    decode alone (bytes in memory) ${min(d.ms).toFixed(0)} ms = ${mbs(bytes, min(d.ms)).toFixed(0)} MB/s; raw read ${min(r.raw).toFixed(0)} ms; read+decode ${min(r.read).toFixed(0)} ms (no overlap would be ≈ ${(min(r.raw) + min(d.ms)).toFixed(0)}, full overlap ≈ ${Math.max(min(r.raw), min(d.ms)).toFixed(0)}); writing the ${((elements * 4) / MiB).toFixed(0)} MiB output alone ${min(d.outputMs).toFixed(0)} ms = ratio ≤ ${(min(r.raw) / min(d.outputMs)).toFixed(2)}`);
      console.log(`    traced read ${r.tracedMs.toFixed(0)} ms: ${c.length} chunk reads, issue→arrival median ${med(durs).toFixed(1)} ms, max ${Math.max(...durs).toFixed(1)} ms (a 4 MiB raw read alone ≈ ${perChunkRaw.toFixed(1)} ms); peak RSS renderer ${mb(peakR)} (${mb(base)} before), browser process ${mb(peakB)}`);
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    await ctx.close();
  } finally {
    if (own) await b.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchIoBrowser().catch((e) => {
    console.error(`bench ioBrowser failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
