import { describe, expect, it } from 'vitest';
import { recommend, recommendationToJson, rowError } from '../../../src/core/model/recommend.ts';
import { scanCheckpoint, variantsFor, type ScanRow } from '../../../src/core/model/scan.ts';
import { mulberry32At } from '../../../src/core/rng.ts';
import { openModel } from './util.ts';

const VARIANTS = [['fp4', 4.25], ['fp6', 6.25], ['fp8', 8.25], ['bf16', 16]] as const;

/** A random problem: `t` tensors, each with every variant; error falls with bits but not convexly. */
function randomRows(t: number, seed: number): ScanRow[] {
  let k = 0;
  const u = () => mulberry32At(seed, k++) / 2 ** 32;
  const rows: ScanRow[] = [];
  for (let i = 0; i < t; i++) {
    const numel = 32 * (1 + Math.floor(u() * 20));
    let mse = 0.01 + u();
    for (const [variant, bits] of VARIANTS) {
      mse *= 0.05 + 0.9 * u();
      rows.push({
        name: `t${i}`, shape: [numel], dtype: 'BF16', layer: i, module: 'q', family: 'attention', format: 'int8', variant,
        sqnrDb: 0, mse: variant === 'bf16' ? 0 : mse, maxAbsErr: 0, saturated: 0, saturatedFraction: 0, numel, nonfinite: 0,
        signalEnergy: numel * (0.5 + u()), bitsPerElement: bits,
      });
    }
  }
  return rows;
}

/** Exhaustive search over all per-tensor choices. */
function bruteForce(rows: ScanRow[], target: number, objective: 'sse' | 'nsr'): number {
  const byT = new Map<string, ScanRow[]>();
  for (const r of rows) byT.set(r.name, [...(byT.get(r.name) ?? []), r]);
  const ts = [...byT.values()];
  const total = ts.reduce((a, o) => a + o[0].numel, 0);
  const budget = Math.floor(target * total + 1e-6 * total);
  let best = Infinity;
  const rec = (i: number, bits: number, err: number) => {
    if (bits > budget) return;
    if (i === ts.length) { best = Math.min(best, err); return; }
    for (const o of ts[i]) rec(i + 1, bits + Math.round(o.bitsPerElement * o.numel), err + rowError(o, objective));
  };
  rec(0, 0, 0);
  return best;
}

describe('recommend (multiple-choice knapsack under a bit budget)', () => {
  it('is exactly optimal: equals brute force on 60 random small problems (both objectives)', () => {
    let nonGreedy = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rows = randomRows(3 + (seed % 5), seed);
      const target = 4.5 + (seed % 9);
      const objective = seed % 2 ? 'sse' : 'nsr';
      const r = recommend(rows, target, { objective });
      const want = bruteForce(rows, target, objective);
      expect(r.optimal).toBe(true);
      expect(r.totalError).toBeCloseTo(want, 12);
      expect(r.achievedBits).toBeLessThanOrEqual(target + 1e-9);
      expect(r.assignment.reduce((a, x) => a + x.error, 0)).toBeCloseTo(r.totalError, 12);
      // the greedy start alone is not always optimal, so the search matters
      const greedyOnly = recommend(rows, target, { objective, maxWork: 0 });
      if (greedyOnly.totalError > want * (1 + 1e-12)) nonGreedy++;
      expect(greedyOnly.optimal).toBe(false);
      expect(greedyOnly.lowerBound).toBeLessThanOrEqual(want * (1 + 1e-12));
    }
    expect(nonGreedy).toBeGreaterThan(0);
  });

  it('reports uniform single-format choices and refuses an unreachable budget in one sentence', () => {
    const rows = randomRows(4, 99);
    const r = recommend(rows, 8.25);
    expect(r.uniform.map((u) => u.variant)).toEqual(['fp4', 'fp6', 'fp8', 'bf16']);
    const fp8 = r.uniform.find((u) => u.variant === 'fp8')!;
    expect(fp8.fitsBudget).toBe(true);
    expect(r.totalError).toBeLessThanOrEqual(fp8.totalError);
    expect(r.uniform.find((u) => u.variant === 'bf16')!.fitsBudget).toBe(false);
    expect(() => recommend(rows, 4)).toThrow(/^4 bits per element is below the cheapest choice \(4\.2500 bits per element/);
    expect(() => recommend([], 4)).toThrow(/no scan results/);
  });

  it('on the fixture model: 4.5 bits over int8/mxfp4 beats uniform mxfp4 and gives bytes and JSON', async () => {
    const scan = await scanCheckpoint(await openModel('original'), variantsFor(['mxfp4', 'int8', 'bf16']));
    const r = recommend(scan.rows, 4.5);
    const mx = r.uniform.find((u) => u.variant === 'mxfp4')!;
    expect(r.optimal).toBe(true);
    expect(r.totalError).toBeLessThan(mx.totalError);
    expect(r.achievedBits).toBeLessThanOrEqual(4.5);
    expect(r.achievedBits).toBeGreaterThan(4.25);
    expect(r.totalBytes).toBeCloseTo(r.assignment.reduce((a, x) => a + x.bitsPerElement * x.numel, 0) / 8, 6);
    // the small F32 norms are cheap to keep exact
    expect(r.assignment.find((a) => a.name === 'model.norm.weight')!.variant).toBe('bf16');
    const json = recommendationToJson(r);
    expect(json).toMatchObject({ target_bits: 4.5, objective: 'sse', optimal: true });
    expect((json.assignment as unknown[]).length).toBe(21);
    expect(JSON.stringify(json)).not.toMatch(/Infinity|NaN/);
  });
});
