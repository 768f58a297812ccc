import { describe, expect, it } from 'vitest';
import { diffCheckpoints, diffToJson, type DiffRow } from '../../../src/core/model/diff.ts';
import { matchCheckpoints, ownFormatFor, permuteRowsLikeLlamaCpp } from '../../../src/core/model/match.ts';
import { close, expected, openModel, type ExpMetrics } from './util.ts';

const RELEASES = { mxfp4: 'mxfp4', nvfp4: 'nvfp4', fp8: 'fp8', gguf: 'model-q8_0.gguf' } as const;

function expectMetrics(got: { sqnrDb: number; mse: number; maxAbsErr: number }, want: ExpMetrics, where: string) {
  expect(got.maxAbsErr, where).toBe(want.max_abs_err);
  expect(close(got.mse, want.mse), `${where} mse ${got.mse} vs ${want.mse}`).toBe(true);
  expect(close(got.sqnrDb, want.sqnr_db ?? Infinity, 1e-12), `${where} sqnr ${got.sqnrDb} vs ${want.sqnr_db}`).toBe(true);
}

describe('diffCheckpoints: original vs quantized releases of the same weights', () => {
  for (const [key, rel] of Object.entries(RELEASES)) {
    it(`${key}: real error and quantscope's own error per tensor match numpy; unmatched tensors are listed`, async () => {
      const exp = expected().diff[key];
      const res = await diffCheckpoints(await openModel('original'), await openModel(rel));
      expect(res.cancelled).toBe(false);
      expect(res.rows.map((r) => r.name).sort()).toEqual(Object.keys(exp.rows).sort());
      for (const r of res.rows) {
        const e = exp.rows[r.name];
        expectMetrics(r.real, e.real, `${r.name} real`);
        if (e.own === null) expect(r.own, r.name).toBeNull();
        else {
          expect(r.own?.format, r.name).toBe(e.own.format);
          expectMetrics(r.own!, e.own, `${r.name} own ${e.own.format}`);
        }
      }
      expect(res.match.extraInRelease).toEqual(exp.extra);
      expect(res.match.missingInRelease).toEqual(exp.missing);
      expect(res.match.mismatched.map((m) => m.original)).toEqual(exp.mismatched);
    });
  }

  it('the NVFP4 release (compressed-tensors global scale) differs from quantscope nvfp4, MXFP4 (floor) equals it', async () => {
    const orig = await openModel('original');
    const nv = await diffCheckpoints(orig, await openModel('nvfp4'));
    const mx = await diffCheckpoints(orig, await openModel('mxfp4'));
    const pick = (rows: DiffRow[]) => rows.find((r) => r.name === 'model.layers.0.mlp.up_proj.weight')!;
    expect(pick(mx.rows).real.mse).toBe(pick(mx.rows).own!.mse);
    expect(pick(nv.rows).real.mse).not.toBe(pick(nv.rows).own!.mse);
    expect(pick(nv.rows).rule).toMatch(/packed nvfp4 \(.*weight_packed \+ .*weight_scale \+ .*weight_global_scale\)/);
  });

  it('matches GGUF names to Hugging Face names and un-permutes rotary Q/K rows', async () => {
    const res = await diffCheckpoints(await openModel('original'), await openModel(RELEASES.gguf));
    const q = res.rows.find((r) => r.name === 'model.layers.1.self_attn.q_proj.weight')!;
    expect(q.releaseName).toBe('blk.1.attn_q.weight');
    expect(q.rule).toMatch(/llama\.cpp/);
    expect(q.note).toMatch(/permuted.*4 heads/);
    expect(res.rows.find((r) => r.name === 'model.layers.1.self_attn.k_proj.weight')!.note).toMatch(/2 heads/);
    expect(q.real.sqnrDb).toBeGreaterThan(35); // without the permutation the error would be as large as the signal
    expect(res.match.auxiliary).toEqual([]);
  });

  it('lists scale tensors as auxiliary, never as extra, and picks the own format from the stored layout', async () => {
    const orig = await openModel('original');
    const nvFile = await openModel('nvfp4');
    const m = matchCheckpoints(orig, nvFile);
    expect(m.auxiliary).toContain('model.layers.0.self_attn.q_proj.input_global_scale');
    expect(m.auxiliary.some((n) => n.endsWith('weight_packed'))).toBe(false); // packed parts are not listed at all
    const fp8 = await openModel('fp8');
    const info = fp8.tensors.find((t) => t.name === 'model.layers.0.mlp.down_proj.weight')!;
    expect(ownFormatFor(info)?.label).toBe('fp8_e4m3@block:128x128');
    expect(ownFormatFor(fp8.tensors.find((t) => t.name === 'model.norm.weight')!)).toBeNull();
  });

  it('cancel keeps the rows already produced; the JSON export has null for exact SQNR', async () => {
    const signal = { aborted: false };
    const res = await diffCheckpoints(await openModel('original'), await openModel('fp8'), { signal, onRow: () => { signal.aborted = true; } });
    expect(res.cancelled).toBe(true);
    expect(res.rows.length).toBe(1);
    const full = diffToJson(await diffCheckpoints(await openModel('original'), await openModel('fp8')));
    const norm = (full.rows as { name: string; real: { sqnr_db: number | null } }[]).find((r) => r.name === 'model.norm.weight')!;
    expect(norm.real.sqnr_db).toBeNull();
    expect(JSON.stringify(full)).not.toMatch(/Infinity|NaN/);
  });

  it('permuteRowsLikeLlamaCpp reorders [heads, 2, half] rows to [heads, half, 2]', () => {
    const x = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]); // 8 rows × 1 col, 2 heads, half = 2
    expect([...permuteRowsLikeLlamaCpp(x, 8, 1, 2)]).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
  });
});
