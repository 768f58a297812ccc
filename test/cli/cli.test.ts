/**
 * The CLI contract (DOMAIN.md §7) through the real CLI as a subprocess:
 * `values --json` for every element format, e8m0 and block formats versus the
 * numpy enumeration (test/fixtures/gen/refimpl.py), `inspect --json` stats
 * versus numpy on .npy/.npz/.safetensors, `scan` rows (JSON and CSV) versus
 * the numpy reference, and bad input: exit code 2, exactly one stderr line, no
 * stack trace, nothing on stdout, no (partial) output file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, runCli, pool, type CliRun } from './cliRunner.ts';

const rel = (p: string) => path.posix.join('test/fixtures/cli', p);
const closeRel = (want: number | null, got: number | null | undefined, tol: number) =>
  want === null || got === null || got === undefined ? want === got : Math.abs(got - want) <= tol * Math.abs(want) + 1e-300;

type Stats = Record<'min' | 'max' | 'mean' | 'absmax' | 'std', number>;

// ---------------------------------------------------------------- values

const values = JSON.parse(readFileSync(path.join(FIXTURES, 'values.json'), 'utf8')) as Record<
  string, number[] | { count: number; min: number; max: number; min_positive: number; sha256: string }
>;
const valueRuns = new Map<string, CliRun>();

describe('values ID --json', () => {
  beforeAll(async () => {
    const ids = Object.keys(values);
    const runs = await pool(ids, (id) => runCli(['values', id, '--json']));
    ids.forEach((id, i) => valueRuns.set(id, runs[i]));
  }, 300_000);

  it.each(Object.keys(values))('%s', (id) => {
    const run = valueRuns.get(id)!;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const got = JSON.parse(run.stdout) as { format: string; values: number[] };
    expect(got.format).toBe(id);
    expect(got.values.some((v) => Object.is(v, -0)), '-0 must be folded into 0').toBe(false);
    for (let i = 1; i < got.values.length; i++) {
      if (!(got.values[i] > got.values[i - 1])) expect.fail(`not strictly ascending at ${i}: ${got.values[i - 1]}, ${got.values[i]}`);
    }
    expect(got.values.every(Number.isFinite)).toBe(true);
    const want = values[id];
    if (Array.isArray(want)) {
      expect(got.values).toEqual(want);
    } else {
      expect(got.values.length).toBe(want.count);
      expect(got.values[0]).toBe(want.min);
      expect(got.values[got.values.length - 1]).toBe(want.max);
      expect(got.values.find((v) => v > 0)).toBe(want.min_positive);
      const bytes = Buffer.from(new Float64Array(got.values).buffer);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(want.sha256);
    }
  });
});

// ---------------------------------------------------------------- inspect

interface InspectWant { name: string | null; shape: number[]; stats: Stats }
const inspectWant = JSON.parse(readFileSync(path.join(FIXTURES, 'inspect/expected.json'), 'utf8')) as Record<string, InspectWant[]>;

describe('inspect FILE --json', () => {
  it.each(Object.keys(inspectWant))('%s: stats of the decoded values vs numpy', async (file) => {
    const run = await runCli(['inspect', rel(`inspect/${file}`), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const got = JSON.parse(run.stdout) as { tensors: { name: string; dtype: string; shape: number[]; stats: Stats | null }[] };
    const want = inspectWant[file];
    expect(got.tensors.length).toBe(want.length);
    for (const w of want) {
      const t = w.name === null ? got.tensors[0] : got.tensors.find((x) => x.name === w.name);
      expect(t, `tensor ${w.name}`).toBeDefined();
      expect(typeof t!.dtype).toBe('string');
      expect(t!.shape).toEqual(w.shape);
      expect(t!.stats).not.toBeNull();
      for (const k of ['min', 'max', 'mean', 'absmax', 'std'] as const) {
        if (!closeRel(w.stats[k], t!.stats![k], 1e-6)) expect.fail(`${file} ${w.name} ${k}: expected ${w.stats[k]}, got ${t!.stats![k]}`);
      }
    }
  });

  it('prints a human table without --json', async () => {
    const run = await runCli(['inspect', rel('inspect/three.safetensors')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('layer.weight');
    expect(run.stdout).toContain('layer.e4m3');
  });
});

// ---------------------------------------------------------------- scan

interface ScanRow { name: string; shape: number[]; format: string; sqnr_db: number | null; mse: number; max_abs_err: number; saturated: number }
const scanWant = JSON.parse(readFileSync(path.join(FIXTURES, 'scan/expected.json'), 'utf8')) as { file: string; formats: string[]; rows: ScanRow[] };

function checkScanRows(got: ScanRow[]) {
  expect(got.map((r) => `${r.name}/${r.format}`)).toEqual(scanWant.rows.map((r) => `${r.name}/${r.format}`));
  const bad: string[] = [];
  got.forEach((g, i) => {
    const w = scanWant.rows[i];
    if (JSON.stringify(g.shape) !== JSON.stringify(w.shape)) bad.push(`${w.name}: shape ${JSON.stringify(g.shape)}`);
    for (const k of ['sqnr_db', 'mse', 'max_abs_err'] as const) {
      if (!closeRel(w[k], g[k], 1e-3)) bad.push(`${w.name}/${w.format} ${k}: expected ${w[k]}, got ${g[k]}`);
    }
    if (g.saturated !== w.saturated) bad.push(`${w.name}/${w.format} saturated: expected ${w.saturated}, got ${g.saturated}`);
  });
  if (bad.length) expect.fail(bad.join('\n'));
}

describe('scan CHECKPOINT', () => {
  const args = ['scan', rel(`scan/${scanWant.file}`), '--formats', scanWant.formats.join(',')];

  it('--json: one row per floating tensor × format (integer tensors skipped) vs numpy', async () => {
    const run = await runCli([...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    checkScanRows((JSON.parse(run.stdout) as { rows: ScanRow[] }).rows);
  });

  it('--csv: header and the same rows', async () => {
    const run = await runCli([...args, '--csv']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('name,shape,format,sqnr_db,mse,max_abs_err,saturated');
    const num = (s: string) => (s === 'inf' ? null : Number(s));
    const rows = lines.slice(1).map((l): ScanRow => {
      const [name, shape, format, sqnr, mse, mae, sat] = l.split(',');
      return { name, shape: shape.split('x').map(Number), format, sqnr_db: num(sqnr), mse: Number(mse), max_abs_err: Number(mae), saturated: Number(sat) };
    });
    checkScanRows(rows);
  });
});

// ---------------------------------------------------------------- bad input

const tmp = mkdtempSync(path.join(os.tmpdir(), 'quantscope-cli-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const X = rel('bad/x.npy'); // [4, 48]
interface Bad { name: string; args: (out: string) => string[]; mentions?: RegExp }
const BAD: Bad[] = [
  { name: 'unknown command', args: () => ['quantise', X] },
  { name: 'unknown flag', args: (o) => ['quantize', X, '--format', 'int8', '--bogus', '1', '--out', o], mentions: /--bogus/ },
  { name: 'unknown format', args: (o) => ['quantize', X, '--format', 'int9', '--out', o], mentions: /int9.*int8/ },
  { name: 'unknown weight format', args: (o) => ['quantize', X, '--format', 'int8', '--weight', X, '--weight-format', 'fp3', '--out', o], mentions: /fp3/ },
  { name: 'missing --format', args: (o) => ['quantize', X, '--out', o], mentions: /--format/ },
  { name: 'missing file', args: (o) => ['quantize', rel('bad/nope.npy'), '--format', 'int8', '--out', o], mentions: /nope\.npy/ },
  { name: 'truncated .npy', args: (o) => ['quantize', rel('bad/truncated.npy'), '--format', 'int8', '--out', o] },
  { name: 'garbage .npy', args: (o) => ['quantize', rel('bad/garbage.npy'), '--format', 'int8', '--out', o] },
  { name: 'a tensor with no elements', args: (o) => ['quantize', rel('bad/empty.npy'), '--format', 'int8', '--out', o], mentions: /no elements \(shape \[0, 48\]\)/ },
  { name: 'garbage .safetensors', args: (o) => ['quantize', rel('bad/garbage.safetensors'), '--format', 'int8', '--out', o] },
  { name: 'weight with the wrong shape', args: (o) => ['quantize', X, '--format', 'int8', '--weight', rel('bad/w_wrong.npy'), '--out', o], mentions: /48|40/ },
  { name: 'invalid granularity group:0', args: (o) => ['quantize', X, '--format', 'int8', '--granularity', 'group:0', '--out', o], mentions: /granularity/ },
  { name: 'invalid granularity word', args: (o) => ['quantize', X, '--format', 'int8', '--granularity', 'channel', '--out', o], mentions: /channel/ },
  { name: 'pow2-row with column granularity', args: (o) => ['quantize', X, '--format', 'int8', '--granularity', 'column', '--scale', 'pow2-row', '--out', o], mentions: /pow2-row/ },
  { name: 'pow2-row with tensor granularity', args: (o) => ['quantize', X, '--format', 'fp8_e4m3', '--granularity', 'tensor', '--scale', 'pow2-row', '--out', o], mentions: /pow2-row/ },
  { name: 'hadamard block not dividing the last axis', args: (o) => ['quantize', X, '--format', 'int8', '--transform', 'hadamard:32', '--out', o], mentions: /hadamard:32 needs .*valid: .*16$/ },
  { name: 'hadamard block not a power of two', args: (o) => ['quantize', X, '--format', 'int8', '--transform', 'hadamard:12', '--out', o] },
  { name: 'smooth without a weight', args: (o) => ['quantize', X, '--format', 'int8', '--transform', 'smooth', '--out', o], mentions: /weight/ },
  { name: 'clip out of range', args: (o) => ['quantize', X, '--format', 'int8', '--clip', '1.5', '--out', o], mentions: /clip/ },
  { name: 'bad seed', args: (o) => ['quantize', X, '--format', 'int8', '--rounding', 'stochastic', '--seed', '-1', '--out', o] },
  { name: 'bad rounding', args: (o) => ['quantize', X, '--format', 'int8', '--rounding', 'nearest', '--out', o], mentions: /rne/ },
  { name: '--out to a missing folder', args: () => ['quantize', X, '--format', 'int8', '--out', path.join(tmp, 'no-such-dir', 'x.npy')] },
  { name: '--out not .npy', args: (o) => ['quantize', X, '--format', 'int8', '--out', o.replace(/\.npy$/, '.txt')] },
  { name: 'values: unknown id', args: () => ['values', 'fp5_e2m2', '--json'], mentions: /fp5_e2m2/ },
  { name: 'inspect: missing file', args: () => ['inspect', rel('bad/nope.safetensors'), '--json'] },
  { name: 'inspect: corrupt file', args: () => ['inspect', rel('bad/garbage.safetensors'), '--json'] },
  { name: 'scan: unknown format', args: () => ['scan', rel('scan/ckpt.safetensors'), '--formats', 'int8,wat', '--json'], mentions: /wat/ },
  { name: 'scan: --json and --csv', args: () => ['scan', rel('scan/ckpt.safetensors'), '--formats', 'int8', '--json', '--csv'] },
];

describe('bad input: exit 2, one stderr line, no stack trace, no output file', () => {
  const results = new Map<string, { run: CliRun; dir: string; out: string }>();
  beforeAll(async () => {
    await pool(BAD, async (b, i) => {
      const dir = path.join(tmp, `case${i}`);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dir);
      const out = path.join(dir, 'out.npy');
      results.set(b.name, { run: await runCli(b.args(out), 30_000), dir, out });
    });
  }, 300_000);

  it.each(BAD.map((b) => [b.name, b] as const))('%s', (_n, b) => {
    const { run, dir, out } = results.get(b.name)!;
    const ctx = `args: ${b.args(out).join(' ')}\nstderr: ${run.stderr}\nstdout: ${run.stdout.slice(0, 200)}`;
    expect(run.signal, `killed (hang?) ${ctx}`).toBeNull();
    expect(run.code, ctx).toBe(2);
    const lines = run.stderr.split('\n').filter((l) => l.length > 0);
    expect(lines.length, ctx).toBe(1);
    expect(run.stderr.endsWith('\n'), ctx).toBe(true);
    expect(run.stderr, ctx).not.toMatch(/\n\s+at |Error:|internal error/);
    expect(run.stdout, ctx).toBe('');
    if (b.mentions) expect(lines[0], ctx).toMatch(b.mentions);
    expect(existsSync(out), `output file written: ${ctx}`).toBe(false);
    expect(readdirSync(dir), `leftover files: ${ctx}`).toEqual([]);
  });
});
