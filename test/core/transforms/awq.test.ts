import { describe, expect, it } from 'vitest';
import { AWQ_ALPHAS, awqApply, awqScalesFromMeans, awqSearch, meanAbsColumns } from '../../../src/core/transforms/awq.ts';
import { AbortedError } from '../../../src/core/linalg/progress.ts';
import { firstBitMismatch, hexToF32, readFixtureJson } from '../../helpers/fixtures.ts';
import { fixtureTensor, qIntRow } from './standIn.ts';

const fx = readFixtureJson('transforms/awq.json');
const x = fixtureTensor(fx.x);
const w = fixtureTensor(fx.w);
const q4 = qIntRow(7);

describe('AWQ (DOMAIN §5) against the numpy reference with a per-row int4 stand-in', () => {
  it('channel means and scales are bit-exact', () => {
    const a = meanAbsColumns(x);
    expect(firstBitMismatch(a, hexToF32(fx.means))).toBe(-1);
    expect(firstBitMismatch(awqScalesFromMeans(a, 0.8), hexToF32(fx.scales08))).toBe(-1);
  });

  it('searches α = 0, 0.05, …, 1: per-α matmul MSE, chosen α, its scales and Ŵ', () => {
    expect(AWQ_ALPHAS).toEqual(fx.alphas);
    const seen: number[] = [];
    const r = awqSearch(x, w, q4, { onProgress: (f) => seen.push(f) });
    expect(r.alphas).toEqual(fx.alphas);
    for (let k = 0; k < fx.mse.length; k++) expect(r.mse[k]).toBeCloseTo(fx.mse[k], 12);
    for (let k = 0; k < fx.mse.length; k++) expect(Math.abs(r.mse[k] - fx.mse[k]) / fx.mse[k]).toBeLessThan(1e-9);
    expect(r.bestAlpha).toBe(fx.bestAlpha);
    expect(firstBitMismatch(r.best.scales, hexToF32(fx.scales))).toBe(-1);
    expect(firstBitMismatch(r.best.what, hexToF32(fx.what))).toBe(-1);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]))).toBe(true);
  });

  it('awqApply at a fixed α reproduces that point of the search', () => {
    const r = awqApply(x, w, 0.5, q4);
    expect(Math.abs(r.mse - fx.mse[10]) / fx.mse[10]).toBeLessThan(1e-9);
  });

  it('stops between α steps when aborted', () => {
    const signal = { aborted: false };
    expect(() => awqSearch(x, w, q4, { signal, onProgress: (f) => { if (f > 0.3) signal.aborted = true; } })).toThrow(AbortedError);
  });
});
