/**
 * The row-split transform heatmap through the real scheduler and two in-process
 * engine APIs: worker 1 makes X' for the rows it holds, worker 0 the rest; the
 * merged heatmaps equal compareHeatmaps over the whole tensor, and the metrics
 * through the transform (made from the X' rows worker 1 handed over) equal a
 * one-worker run's.
 */
import { describe, expect, it } from 'vitest';
import type { Remote } from 'comlink';
import { createEngineApi } from '../../workers/engineApi.ts';
import type { EngineApi } from '../../workers/api.ts';
import { startScheduler } from '../../src/engine/scheduler.ts';
import { createAppStore, type AppStore } from '../../src/state/store.ts';
import { JOB, type HeatmapData, type MetricsData } from '../../src/state/resultTypes.ts';
import { generateSample } from '../../src/core/samples/samples.ts';
import { prepareTransform } from '../../src/core/pipeline/transformPrep.ts';
import { parseTransform } from '../../src/core/transforms/parse.ts';
import { compareHeatmaps } from '../../src/core/analysis/index.ts';
import { PrepStore } from '../../workers/prepStore.ts';
import { smoothScalesFrom } from '../../src/core/transforms/smooth.ts';

function pool(size: number) {
  const calls: string[] = [];
  const workers = Array.from({ length: size }, (_, i) => {
    const api = createEngineApi();
    for (const name of ['transformSlicePart', 'transformHeatmapSplit', 'transformHeatmap', 'warmTransforms', 'warmSliceRows', 'smoothColumns'] as const) {
      const f = (api[name] as (...a: unknown[]) => Promise<unknown>).bind(api);
      (api as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
        calls.push(`${i}:${name}`);
        return f(...a);
      };
    }
    return api as unknown as Remote<EngineApi>;
  });
  return { calls, pool: { size, workers, terminate() {} } };
}

async function doneFor<T>(store: AppStore, job: string): Promise<T> {
  for (let i = 0; i < 3000; i++) {
    const r = store.getState().results[job];
    if (r?.status === 'done' && r.forKey === r.wantedKey) return r.data as T;
    if (r?.status === 'error' && r.forKey === r.wantedKey) throw new Error(r.error ?? `${job} failed`);
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`${job} never finished: ${JSON.stringify(store.getState().results[job], (k, v) => (k === "data" ? undefined : v))}`);
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as Float32Array) : x)));
/** the metrics rows without their timings */
const rowsOf = (m: MetricsData) => m.rows.map(({ ms: _ms, split: _s, ...r }) => r);

describe('transform heatmaps made in row slices', () => {
  it('equal the whole-tensor heatmaps and leave worker 0 the X\' the metrics need', { timeout: 120_000 }, async () => {
    const size = 1024;
    const x = generateSample({ kind: 'activation', size, seed: 0 });
    const w = generateSample({ kind: 'weight', size, seed: 0 });
    const two = pool(2), one = pool(1);
    const s2 = createAppStore({ config: { size, formats: ['int8', 'mxfp4'] } });
    const s1 = createAppStore({ config: { size, formats: ['int8', 'mxfp4'] } });
    const stop2 = startScheduler(s2, two.pool), stop1 = startScheduler(s1, one.pool);
    try {
      await doneFor(s2, JOB.heatmap);
      // after the first metrics, pre-touched X' buffers are made once (worker 0 for its X', worker 1 for its part):
      // the changes below write into them, with the same bits as into fresh ones
      for (let i = 0; i < 500 && !two.calls.includes('1:warmSliceRows'); i++) await new Promise((res) => setTimeout(res, 10));
      expect(two.calls).toEqual(expect.arrayContaining(['0:warmTransforms', '1:warmSliceRows']));
      expect(one.calls).not.toContain('0:warmTransforms'); // one worker: X' is made whole, never split
      for (const t of ['hadamard:64', 'smooth:0.5', 'random-hadamard:128', 'smooth:0.7']) {
        two.calls.length = 0;
        s2.getState().setConfig({ transform: t });
        // with the tensor in, a Hadamard's requests leave within the change itself (before React renders it);
        // the first smooth first asks worker 0 for the pair's column absmax, a later α makes its scales from them here
        if (t !== 'smooth:0.5') expect(two.calls, t).toEqual(expect.arrayContaining(['0:transformHeatmapSplit', '1:transformSlicePart']));
        s1.getState().setConfig({ transform: t });
        const { tensor, ...hm } = await doneFor<HeatmapData>(s2, JOB.heatmap);
        expect(tensor).toBe(`LLM activation [tokens, channels] [${size}, ${size}]`);
        expect(two.calls, t).toContain('1:transformSlicePart');
        expect(two.calls, t).toContain('0:transformHeatmapSplit');
        expect(two.calls.filter((c) => c === '0:smoothColumns'), t).toHaveLength(t === 'smooth:0.5' ? 1 : 0);
        const tr = parseTransform(t);
        const prep = prepareTransform(x, tr.kind === 'smooth' ? w : undefined, tr, 0);
        const whole = compareHeatmaps(x, prep.xPrime, { row0: 0, row1: size, col0: 0, col1: size }, 256, 512);
        expect(plain(hm), t).toEqual(plain(whole));
        const [m2, m1] = await Promise.all([doneFor<MetricsData>(s2, JOB.metrics), doneFor<MetricsData>(s1, JOB.metrics)]);
        expect(rowsOf(m2), t).toEqual(rowsOf(m1));
        expect(plain(m2.analysis.perFormat), t).toEqual(plain(m1.analysis.perFormat));
      }
      // a zoom after the change pools on worker 0 alone (X' is there now)
      two.calls.length = 0;
      s2.getState().setConfig({ r0: 0, r1: 512, c0: 0, c1: 512 });
      await doneFor(s2, JOB.heatmap);
      expect(two.calls).not.toContain('1:transformSlicePart');
      expect(two.calls).toContain('0:transformHeatmap');
    } finally {
      stop2();
      stop1();
    }
  });
});

describe('PrepStore (worker 0\'s prepared transforms)', () => {
  const x = generateSample({ kind: 'activation', size: 256, seed: 1 });
  const w = generateSample({ kind: 'weight', size: 256, seed: 1 });
  const tensors: Record<string, typeof x> = { x, w };
  const req = { xHandle: 'x', wHandle: 'w', transform: 'smooth:0.5', seed: 0 };
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  /** s as the main thread makes it (splitHeatmapJob.ts): from the columns worker 0 keeps */
  const scalesOf = (store: PrepStore) => { const c = store.smoothColumns(req); return smoothScalesFrom(c.x, c.w, 0.5); };

  it('a split prep waits for its rows; an abandoned one is prepared whole, with the same bits', async () => {
    const store = new PrepStore((h) => tensors[h]);
    const whole = prepareTransform(x, w, parseTransform('smooth:0.5'), 0);
    store.beginSplit(req, 100, scalesOf(store));
    let got = false;
    const waiting = store.get(req).then((p) => { got = true; return p; });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toBe(false);
    store.abandon(req);
    const p = await waiting;
    expect(bits(p.xPrime.data)).toEqual(bits(whole.xPrime.data));
    expect(bits(p.wPrime!.data)).toEqual(bits(whole.wPrime!.data));
  });

  it('rows from the other slices complete the prep (W\' made on first use)', async () => {
    const store = new PrepStore((h) => tensors[h]);
    const whole = prepareTransform(x, w, parseTransform('smooth:0.5'), 0);
    store.beginSplit(req, 100, scalesOf(store));
    store.adoptRows(req, whole.xPrime.data.slice(100 * 256, 200 * 256), 100);
    store.adoptRows(req, whole.xPrime.data.slice(200 * 256), 200);
    const p = await store.get(req);
    expect(bits(p.xPrime.data)).toEqual(bits(whole.xPrime.data));
    expect(p.smoothScales).toEqual(whole.smoothScales);
    expect(bits(p.wPrime!.data)).toEqual(bits(whole.wPrime!.data));
    expect(() => store.beginSplit({ ...req, transform: 'hadamard:48' }, 10, undefined)).toThrow(/power-of-two block size/);
  });
});

