/**
 * A big pair's methods comparison (methodsJob.ts) runs on a worker of its own
 * outside the pool, started once the config has rested, and terminated by a
 * cancel or the auto-pause (the view moved off smooth): the pool's workers,
 * which the row-split heatmaps and the metrics use, never get a methods call,
 * and the point under way stops instead of finishing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Remote } from 'comlink';
import type { EngineApi } from '../../workers/api.ts';
import type { AsideWorker, Pool } from '../../src/engine/client.ts';
import { METHODS_ASIDE_IDLE_MS, startMethods } from '../../src/engine/methodsJob.ts';
import { createAppStore } from '../../src/state/store.ts';
import { ANALYSIS_JOB } from '../../src/state/analysisTypes.ts';

interface FakeWorker { name: string; calls: string[]; terminated: boolean }

/** An API whose methodsLoad answers and whose methodsRun never does (a point of minutes). */
function fakeApi(log: FakeWorker): Remote<EngineApi> {
  return new Proxy({}, {
    get: (_t, prop) => (...args: unknown[]) => {
      log.calls.push(String(prop));
      if (prop === 'methodsLoad') return Promise.resolve({ key: args[0] });
      return new Promise(() => {});
    },
  }) as unknown as Remote<EngineApi>;
}

function fakePool() {
  const poolWorkers: FakeWorker[] = [0, 1].map((i) => ({ name: `engine-${i}`, calls: [], terminated: false }));
  const asides: FakeWorker[] = [];
  const pool: Pool = {
    size: 2,
    workers: poolWorkers.map(fakeApi),
    longBusy: new Set<number>(),
    spawnAside(name): AsideWorker {
      const w: FakeWorker = { name, calls: [], terminated: false };
      asides.push(w);
      return { api: fakeApi(w), terminate() { w.terminated = true; } };
    },
    terminate() {},
  };
  return { pool, poolWorkers, asides };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stop: (() => void) | null = null;
afterEach(() => { stop?.(); stop = null; });

describe('the methods comparison of a big pair', () => {
  it('runs on an aside worker after the config rests, and a move off smooth terminates it', async () => {
    const { pool, poolWorkers, asides } = fakePool();
    const store = createAppStore({ config: { size: 4096, transform: 'smooth:0.5' } });
    stop = startMethods(store, pool);
    expect(store.getState().methods.status).toBe('running');
    await sleep(METHODS_ASIDE_IDLE_MS / 2);
    expect(asides).toHaveLength(0); // not before the config has rested

    await sleep(METHODS_ASIDE_IDLE_MS);
    expect(asides).toHaveLength(1);
    expect(asides[0].calls).toEqual(['methodsLoad', 'methodsRun']);
    expect(poolWorkers.flatMap((w) => w.calls)).toEqual([]);
    expect(pool.longBusy!.size).toBe(0); // the heatmap split may use every pool worker

    store.getState().setConfig({ transform: 'hadamard:64' });
    expect(asides[0].terminated).toBe(true);
    expect(store.getState().methods.status).toBe('cancelled');
    await sleep(10);
    expect(store.getState().methods.error).toBeNull(); // a stop, not a failure
    expect(Object.keys(store.getState().methods.failed)).toEqual([]);

    // back on smooth: the comparison resumes on a fresh aside worker
    store.getState().setConfig({ transform: 'smooth:0.5' });
    await sleep(METHODS_ASIDE_IDLE_MS + 200);
    expect(asides).toHaveLength(2);
    expect(asides[1].terminated).toBe(false);
    expect(asides[1].calls).toEqual(['methodsLoad', 'methodsRun']);
    expect(poolWorkers.flatMap((w) => w.calls)).toEqual([]);
  });

  it('a cancel terminates the point under way; a change within the rest starts nothing', async () => {
    const { pool, asides } = fakePool();
    const store = createAppStore({ config: { size: 4096, transform: 'smooth:0.5' } });
    stop = startMethods(store, pool);
    await sleep(METHODS_ASIDE_IDLE_MS + 200);
    expect(asides).toHaveLength(1);
    store.getState().methodsCancel();
    expect(asides[0].terminated).toBe(true);

    // moved off smooth before the rest is over: no worker is spawned
    const again = fakePool();
    const s2 = createAppStore({ config: { size: 4096, transform: 'smooth:0.5' } });
    const stop2 = startMethods(s2, again.pool);
    await sleep(METHODS_ASIDE_IDLE_MS / 2);
    s2.getState().setConfig({ transform: 'none' });
    await sleep(METHODS_ASIDE_IDLE_MS + 200);
    stop2();
    expect(again.asides).toHaveLength(0);
  });

  it('a small pair still runs on the pool workers', async () => {
    const { pool, poolWorkers, asides } = fakePool();
    const store = createAppStore({ config: { size: 1024, transform: 'smooth:0.5' } });
    stop = startMethods(store, pool);
    await sleep(50);
    expect(asides).toHaveLength(0);
    expect(poolWorkers.map((w) => w.calls)).toEqual([['methodsLoad', 'methodsRun'], ['methodsLoad', 'methodsRun']]);
  });
});

describe('the methods comparison of a small pair (on the pool workers)', () => {
  it('waits while a heavy analysis job (trade-off, matmul, outlier split) is queued or running, then starts', async () => {
    const { pool, poolWorkers } = fakePool();
    const store = createAppStore({ config: { size: 1024, transform: 'smooth:0.5' } });
    store.getState().jobQueued(ANALYSIS_JOB.tradeoff, 'k1');
    store.getState().jobStarted(ANALYSIS_JOB.matmul, 'k2');
    stop = startMethods(store, pool);
    expect(store.getState().methods.status).toBe('running');
    await sleep(50);
    // the pair loads; no point starts
    expect(poolWorkers.map((w) => w.calls)).toEqual([['methodsLoad'], ['methodsLoad']]);
    store.getState().jobStarted(ANALYSIS_JOB.tradeoff, 'k1');
    store.getState().jobDone(ANALYSIS_JOB.tradeoff, 'k1', { points: [], transform: 'smooth:0.5' });
    await sleep(50);
    expect(poolWorkers.map((w) => w.calls)).toEqual([['methodsLoad'], ['methodsLoad']]); // the matmul still runs
    store.getState().jobFailed(ANALYSIS_JOB.matmul, 'k2', 'no pair');
    await sleep(50);
    expect(poolWorkers.map((w) => w.calls)).toEqual([['methodsLoad', 'methodsRun'], ['methodsLoad', 'methodsRun']]);
  });
});

