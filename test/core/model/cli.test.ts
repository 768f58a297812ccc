/** The model CLI commands as real subprocesses: scan, recommend, diff (exit codes, output contracts). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { close, expected, MODEL_DIR } from './util.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const m = (rel: string) => path.join(MODEL_DIR, rel);

describe('quantscope scan / recommend / diff (subprocess)', () => {
  it('scan --json streams {"rows":[…]} with the DOMAIN keys; values match numpy', () => {
    const r = cli('scan', m('original'), '--formats', 'int8,mxfp4', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Record<string, unknown>[];
    const exp = expected().scan;
    expect(rows.length).toBe(Object.keys(exp).length * 2);
    expect(Object.keys(rows[0]).slice(0, 7)).toEqual(['name', 'shape', 'format', 'sqnr_db', 'mse', 'max_abs_err', 'saturated']);
    for (const row of rows) {
      const e = exp[row.name as string][row.format as string];
      expect(close(row.mse as number, e.mse), String(row.name)).toBe(true);
      expect(row.max_abs_err).toBe(e.max_abs_err);
    }
  });

  it('scan --csv keeps the header; ID@GRANULARITY variants are accepted; a bad format is exit 2 with one line', () => {
    const r = cli('scan', m('original/model.safetensors.index.json'), '--formats', 'int4@group:32', '--csv');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('name,shape,format,sqnr_db,mse,max_abs_err,saturated');
    expect(lines.length).toBe(22);
    expect(lines[1]).toMatch(/^[\w.]+,\d+(x\d+)?,int4@group:32,[\d.]+,/);
    const bad = cli('scan', m('original'), '--formats', 'int8,fp5');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--formats: unknown format "fp5"/);
  });

  it('recommend --json gives the assignment within budget, better than uniform mxfp4', () => {
    const r = cli('recommend', m('original'), '--formats', 'mxfp4,int8,bf16', '--bits', '4.5', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ target_bits: 4.5, objective: 'sse', optimal: true });
    expect(j.achieved_bits).toBeLessThanOrEqual(4.5);
    expect(j.assignment).toHaveLength(21);
    const mx = j.uniform.find((u: { variant: string }) => u.variant === 'mxfp4');
    expect(j.total_error).toBeLessThan(mx.total_error);
    const low = cli('recommend', m('original'), '--formats', 'mxfp4', '--bits', '4');
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/^quantscope: 4 bits per element is below the cheapest choice/);
    expect(cli('recommend', m('original'), '--formats', 'mxfp4').stderr).toMatch(/--bits is required/);
  });

  it('diff --json (GGUF release) reports real and own error and lists missing/extra tensors', () => {
    const r = cli('diff', m('original'), m('model-q8_0.gguf'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const exp = expected().diff.gguf;
    expect(j.missing_in_release).toEqual(exp.missing);
    expect(j.extra_in_release).toEqual(exp.extra);
    const q = j.rows.find((x: { name: string }) => x.name === 'model.layers.0.self_attn.q_proj.weight');
    expect(q.release_name).toBe('blk.0.attn_q.weight');
    expect(q.own.format).toBe('q8_0');
    expect(close(q.real.mse, exp.rows['model.layers.0.self_attn.q_proj.weight'].real.mse)).toBe(true);
  });

  it('diff --csv (FP8 block release) and the text view list the shape mismatch, not fatal', () => {
    const c = cli('diff', m('original'), m('fp8'), '--csv');
    expect(c.code).toBe(0);
    const lines = c.stdout.trim().split('\n');
    expect(lines[0]).toBe('name,release_name,shape,release_dtype,own_format,real_sqnr_db,real_mse,real_max_abs_err,own_sqnr_db,own_mse,own_max_abs_err');
    expect(lines.find((l) => l.startsWith('model.layers.0.mlp.down_proj.weight,'))).toMatch(/,F8_E4M3,fp8_e4m3@block:128x128,/);
    const t = cli('diff', m('original'), m('fp8'));
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/not compared: model\.embed_tokens\.weight vs model\.embed_tokens\.weight: shapes differ: \[160, 128\] vs \[168, 128\]/);
    expect(cli('diff', m('original')).code).toBe(2);
  });
});
