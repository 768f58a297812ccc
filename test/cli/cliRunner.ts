/**
 * Helpers for the CLI tests: run the real CLI as a subprocess
 * (`node scripts/cli.mjs …`, what `npm run cli` runs), a bounded-concurrency pool, and a
 * minimal independent .npy reader (float32 little-endian, C order only).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/cli');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `quantscope <args>` with cwd = repo root; resolves when the process exits (killed after timeoutMs). */
export function runCli(args: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    // QUANTSCOPE_CLI_ENTRY: debugging override, a TypeScript entry run through tsx (default: the real CLI)
    const override = process.env.QUANTSCOPE_CLI_ENTRY;
    const argv = override ? ['--import', 'tsx', override, ...args] : ['scripts/cli.mjs', ...args];
    const child = spawn(process.execPath, argv, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - t0,
      });
    });
  });
}

/** Maps items through fn with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], fn: (item: T, i: number) => Promise<R>, limit = defaultConcurrency()): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function defaultConcurrency(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(2, Math.min(8, n + 1));
}

export interface Npy {
  descr: string;
  shape: number[];
  data: Float32Array;
}

/** Reads a little-endian float32 C-order .npy (v1/v2/v3 header); throws on anything else. */
export function readNpyF32(file: string): Npy {
  const buf = readFileSync(file);
  if (buf.length < 10 || buf.readUInt32BE(0) !== 0x934e554d || buf.toString('latin1', 4, 6) !== 'PY') {
    throw new Error(`${file}: not a .npy file`);
  }
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] ?? '';
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '';
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (descr !== '<f4') throw new Error(`${file}: dtype ${descr}, expected <f4`);
  if (fortran !== 'False') throw new Error(`${file}: fortran_order ${fortran}`);
  const off = hstart + hlen;
  const n = shape.reduce((a, b) => a * b, 1);
  if (buf.length - off !== 4 * n) throw new Error(`${file}: ${buf.length - off} data bytes for ${n} float32 values`);
  const data = new Float32Array(n);
  new Uint8Array(data.buffer).set(buf.subarray(off, off + 4 * n));
  return { descr, shape, data };
}

export function hex32(v: number): string {
  const f = new Float32Array([v]);
  return new Uint32Array(f.buffer)[0].toString(16).padStart(8, '0');
}
