/** The methods plan: settings from transform or the methods-* keys, task order and keys, the chosen AWQ α. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/state/config.ts';
import { AWQ_ALPHAS } from '../../../src/core/transforms/awq.ts';
import {
  chosenAwqAlpha, curveRanks, hadamardBlockFor, methodsSettings, methodsWanted, pairOf, planTasks, taskKey, tasks,
} from '../../../src/state/methodsPlan.ts';

const cfg = (p: Partial<ReturnType<typeof defaultConfig>> = {}) => ({ ...defaultConfig(), ...p });
const shape = { xShape: [256, 256] as [number, number], wShape: [256, 256] as [number, number] };

describe('methodsSettings', () => {
  it('takes AWQ/SVDQuant settings from the transform when it names the method, else from the methods-* keys', () => {
    expect(methodsSettings(cfg(), 256)).toMatchObject({ awqAlpha: null, rank: 32, svdAlpha: 0.5, hadamard: 'hadamard:128', awqFromTransform: false });
    expect(methodsSettings(cfg({ transform: 'awq:0.3' }), 256)).toMatchObject({ awqAlpha: 0.3, awqFromTransform: true });
    expect(methodsSettings(cfg({ transform: 'svdquant:16:0.25', methodsRank: 64 }), 256)).toMatchObject({ rank: 16, svdAlpha: 0.25, svdFromTransform: true });
    expect(methodsSettings(cfg({ methodsAwq: 0.6, methodsRank: 8, methodsAlpha: 0.7 }), 256)).toMatchObject({ awqAlpha: 0.6, rank: 8, svdAlpha: 0.7 });
    expect(methodsSettings(cfg({ transform: 'smooth:0.8' }), 256).smoothAlpha).toBe(0.8);
    expect(methodsSettings(cfg({ transform: 'random-hadamard:32' }), 256).hadamard).toBe('random-hadamard:32');
    expect(methodsSettings(cfg({ weightFormat: 'int4' }), 256).pairs).toEqual(defaultConfig().formats.map((a) => ({ a, w: 'int4' })));
  });

  it('Hadamard block: the largest power of two ≤ 128 dividing C', () => {
    expect([hadamardBlockFor(4096), hadamardBlockFor(96), hadamardBlockFor(7)]).toEqual([128, 32, 1]);
  });

  it('runs on request or when the transform is a pair method; needs both tensors of a file', () => {
    expect(methodsWanted(cfg(), false)).toBe(false);
    expect(methodsWanted(cfg(), true)).toBe(true);
    expect(methodsWanted(cfg({ transform: 'awq' }), false)).toBe(true);
    expect(pairOf(cfg())).toEqual({ key: 'sample:1024:0', ref: { kind: 'sample', size: 1024, seed: 0 } });
    expect(pairOf(cfg({ file: 'm.safetensors:10', tensor: 'x' }))).toEqual({ error: expect.stringMatching(/weight tensor W/) });
  });
});

describe('planTasks', () => {
  it('table rows first, then the focus AWQ curve; the scale plot once its α is known; no duplicates', () => {
    const s = methodsSettings(cfg({ size: 256 }), 256);
    const none = planTasks('p', s, shape, () => undefined);
    expect(none.slice(0, 12).every((t) => t.task.kind === 'pipe')).toBe(true);
    expect(none.slice(12, 33).map((t) => t.task.kind === 'awq' && t.task.alpha)).toEqual([...AWQ_ALPHAS]);
    expect(none.some((t) => t.task.kind === 'awq-info')).toBe(false);
    expect(new Set(none.map((t) => t.key)).size).toBe(none.length);
    // all focus α points in: awq-info at the smallest MSE (first on ties)
    const mse = (a: number) => (a === 0.35 || a === 0.6 ? 1 : 2);
    const have = (k: string) => {
      const t = none.find((x) => x.key === k)?.task;
      return t?.kind === 'awq' && t.weightFormat === s.focusWeight ? { mse: mse(t.alpha) } : undefined;
    };
    const next = planTasks('p', s, shape, have);
    expect(next.find((t) => t.task.kind === 'awq-info')?.task).toEqual({ kind: 'awq-info', alpha: 0.35 });
    expect(chosenAwqAlpha(s, mse)).toBe(0.35);
    expect(chosenAwqAlpha(s, (a) => (a < 0.5 ? 1 : undefined))).toBeNull();
    expect(chosenAwqAlpha({ ...s, awqAlpha: 0.2 }, () => undefined)).toBe(0.2);
  });

  it('keys name every input: a changed rank keeps the AWQ points', () => {
    const a = methodsSettings(cfg({ methodsRank: 32 }), 256), b = methodsSettings(cfg({ methodsRank: 8 }), 256);
    const ka = new Set(planTasks('p', a, shape, () => undefined).map((t) => t.key));
    const kb = planTasks('p', b, shape, () => undefined).map((t) => t.key);
    const awqB = kb.filter((k) => k.includes('#awq#'));
    expect(awqB.length).toBeGreaterThan(0);
    expect(awqB.every((k) => ka.has(k))).toBe(true);
    expect(taskKey('p', tasks.svd(a, 32, 32, { a: 'nvfp4', w: 'nvfp4' }))).not.toBe(taskKey('p', tasks.svd(a, 128, 32, { a: 'nvfp4', w: 'nvfp4' })));
    expect(curveRanks(32, 128)).toEqual([0, 1, 2, 4, 8, 16, 32, 64, 128]);
    expect(curveRanks(48, 40)).toEqual([0, 1, 2, 4, 8, 16, 32]);
  });
});
