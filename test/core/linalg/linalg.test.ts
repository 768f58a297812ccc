import { describe, expect, it } from 'vitest';
import { matmulXWt } from '../../../src/core/linalg/matmul.ts';
import { singularValues, svdJacobi } from '../../../src/core/linalg/jacobi.ts';
import { localRowPart, topSingular, topSingularRowParts } from '../../../src/core/linalg/topSingular.ts';
import { AbortedError } from '../../../src/core/linalg/progress.ts';
import { errorStats } from '../../../src/core/linalg/errorStats.ts';
import { firstBitMismatch, hexToF32, readFixtureJson } from '../../helpers/fixtures.ts';
import { fixtureTensor } from '../transforms/standIn.ts';

const fx = readFixtureJson('transforms/linalg.json');
const x = fixtureTensor(fx.x);
const w = fixtureTensor(fx.w);

describe('matmulXWt: Y = X·Wᵀ, float64 accumulation, one float32 rounding', () => {
  it('is bit-exact against (X64 @ W64.T).astype(f32), edge tiles included (37×70 · (19×70)ᵀ)', () => {
    expect(firstBitMismatch(matmulXWt(x, w), hexToF32(fx.y))).toBe(-1);
  });
  it('computes a row range into a given buffer', () => {
    const full = hexToF32(fx.y);
    const out = new Float32Array(5 * 19);
    matmulXWt(x, w, { rowStart: 30, rowEnd: 35, out });
    expect(firstBitMismatch(out, full.subarray(30 * 19, 35 * 19))).toBe(-1);
  });
  it('rejects mismatched channels with one sentence', () => {
    expect(() => matmulXWt(x, { ...w, cols: 69 })).toThrow(/70 channels but the weight has 69 input features/);
  });
  it('reports progress and honours abort', () => {
    const seen: number[] = [];
    matmulXWt(x, w, { onProgress: (f) => seen.push(f) });
    expect(seen[seen.length - 1]).toBe(1);
    expect(() => matmulXWt(x, w, { signal: { aborted: true } })).toThrow(AbortedError);
  });
});

describe('SVD', () => {
  it('Jacobi singular values match numpy (20×13 and its transpose)', () => {
    const a = fixtureTensor(fx.a);
    const s = singularValues(a.data, a.rows, a.cols);
    fx.aSingular.forEach((v: number, i: number) => expect(Math.abs(s[i] - v)).toBeLessThan(1e-12 * fx.aSingular[0]));
    const t = new Float64Array(a.data.length);
    for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t[j * a.rows + i] = a.data[i * a.cols + j];
    const st = singularValues(t, a.cols, a.rows);
    fx.aSingular.forEach((v: number, i: number) => expect(Math.abs(st[i] - v)).toBeLessThan(1e-12 * fx.aSingular[0]));
  });

  it('Jacobi triplets reconstruct A with orthonormal vectors', () => {
    const a = fixtureTensor(fx.a);
    const { u, s, v, m, n, p } = svdJacobi(Float64Array.from(a.data), a.rows, a.cols);
    let err = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let t = 0;
      for (let k = 0; k < p; k++) t += s[k] * u[k * m + i] * v[k * n + j];
      err = Math.max(err, Math.abs(t - a.data[i * n + j]));
    }
    expect(err).toBeLessThan(1e-12);
    let dot = 0;
    for (let i = 0; i < m; i++) dot += u[i] * u[m + i];
    expect(Math.abs(dot)).toBeLessThan(1e-12);
  });

  it('randomized subspace iteration finds the top-16 of a 300×200 decaying spectrum', () => {
    const b = fixtureTensor(fx.b);
    const seen: number[] = [];
    const r = topSingular(b, 16, { method: 'randomized', seed: 1, onProgress: (f) => seen.push(f) });
    expect(r.p).toBe(16);
    for (let i = 0; i < 16; i++) expect(Math.abs(r.s[i] - fx.bSingular[i]) / fx.bSingular[i]).toBeLessThan(1e-5);
    expect(seen[seen.length - 1]).toBe(1);
    // the exact path agrees
    const e = topSingular(b, 16, { method: 'exact' });
    for (let i = 0; i < 16; i++) expect(Math.abs(e.s[i] - fx.bSingular[i]) / fx.bSingular[i]).toBeLessThan(1e-6);
    // left vectors: A v_0 = σ_0 u_0
    let err = 0;
    for (let i = 0; i < b.rows; i++) {
      let t = 0;
      for (let j = 0; j < b.cols; j++) t += b.data[i * b.cols + j] * r.v[j];
      err = Math.max(err, Math.abs(t - r.s[0] * r.u[i]));
    }
    expect(err).toBeLessThan(1e-4);
  });

  it('split into row blocks (one per worker) gives the same decomposition', async () => {
    const b = fixtureTensor(fx.b);
    const whole = topSingular(b, 16, { method: 'randomized', seed: 1 });
    let splits = 0;
    // uneven blocks, one not a multiple of the kernels' 4 rows
    const split = async () => { splits++; return [localRowPart(b, 0, 123), localRowPart(b, 123, 250), localRowPart(b, 250, 300)]; };
    const parts = await topSingularRowParts(split, b.rows, b.cols, 16, { method: 'randomized', seed: 1, exactRows: () => b });
    expect(splits).toBe(1);
    for (let i = 0; i < 16; i++) expect(Math.abs(parts.s[i] - whole.s[i]) / whole.s[i]).toBeLessThan(1e-12);
    let du = 0, dv = 0;
    for (let i = 0; i < 16 * b.rows; i++) du = Math.max(du, Math.abs(parts.u[i] - whole.u[i]));
    for (let i = 0; i < 16 * b.cols; i++) dv = Math.max(dv, Math.abs(parts.v[i] - whole.v[i]));
    expect(du).toBeLessThan(1e-9);
    expect(dv).toBeLessThan(1e-9);
    // the exact path does not split
    const exact = await topSingularRowParts(split, b.rows, b.cols, 16, { method: 'exact', exactRows: () => b });
    expect(splits).toBe(1);
    expect(Array.from(exact.s)).toEqual(Array.from(topSingular(b, 16, { method: 'exact' }).s));
  });

  it('is reproducible for a seed and aborts between products', () => {
    const b = fixtureTensor(fx.b);
    const r1 = topSingular(b, 4, { method: 'randomized', seed: 9, iters: 1 });
    const r2 = topSingular(b, 4, { method: 'randomized', seed: 9, iters: 1 });
    expect(Array.from(r1.s)).toEqual(Array.from(r2.s));
    const signal = { aborted: false };
    expect(() => topSingular(b, 4, { method: 'randomized', signal, onProgress: () => { signal.aborted = true; } })).toThrow(AbortedError);
  });
});

describe('errorStats', () => {
  it('skips non-finite pairs and reports +∞ dB when exact', () => {
    const r = errorStats(new Float32Array([1, 2, NaN]), new Float32Array([1, 2, 3]));
    expect(r).toEqual({ mse: 0, sqnrDb: Infinity, relErr: 0, nonfinite: 1 });
    const e = errorStats(new Float32Array([3, 4]), new Float32Array([3, 5]));
    expect(e.mse).toBe(0.5);
    expect(e.relErr).toBeCloseTo(0.2, 15);
    expect(e.sqnrDb).toBeCloseTo(10 * Math.log10(25), 12);
  });
});
