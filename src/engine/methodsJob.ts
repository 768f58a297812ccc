/**
 * Runs the methods panel's points (state/methodsPlan.ts) on the pool: each
 * worker used holds the pair whole and pulls the next point of the current
 * plan, so points spread over the workers and arrive one by one. Keyed:
 * a point is stored under the key of its inputs, and only while its pair is
 * still the wanted one; a new plan (any setting changed) keeps the points it
 * shares with the old one. Cancel stops issuing points (the ones running
 * finish, about one matmul each). A big pair's comparison (minutes of AWQ/
 * SVDQuant points at 4096²) runs instead on a worker of its own outside the
 * pool (Pool.spawnAside), started once the config has rested and terminated by a
 * cancel or an auto-pause, so the pool's workers (heatmaps, metrics) are never
 * held by it. Only src/engine talks to workers.
 */
import type { Remote } from 'comlink';
import type { EngineApi } from '../../workers/api.ts';
import type { MethodsPairSource, MethodsPoint } from '../../workers/methods.ts';
import { fileIdentity } from '../state/slices/sourceSlice.ts';
import {
  POOL_MAX_ELEMENTS, methodsSettings, methodsWanted, pairOf, planTasks, type PairShape, type PlannedTask,
} from '../state/methodsPlan.ts';
import type { AppState, AppStore } from '../state/store.ts';
import type { AsideWorker, Pool } from './client.ts';
import { ANALYSIS_JOB } from '../state/analysisTypes.ts';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A big pair's comparison starts once the config has not changed for this long (the heavy jobs' rest). */
export const METHODS_ASIDE_IDLE_MS = 800;

/** the analysis jobs a small pair's points wait for (analysisHeavyQuiet) */
const HEAVY_ANALYSIS_JOBS = [ANALYSIS_JOB.tradeoff, ANALYSIS_JOB.matmul, ANALYSIS_JOB.outlierSplit];

/** The worker a runner sends its points to: a pool worker, or the aside worker of a big pair. */
type Slot = number | 'aside';

/** The pair a worker holds, or is loading (methodsLoad). */
interface PairHeld {
  key: string | null;
  loaded: Promise<void> | null;
}

/** Thrown into a runner whose aside worker was terminated (a cancel, not a failure). */
class Terminated extends Error {}

/** Pair shape before it is loaded: samples are [size, size]; files from the listing. */
function knownShape(s: AppState): PairShape | null {
  const c = s.config;
  if (c.file === null) return { xShape: [c.size, c.size], wShape: [c.size, c.size] };
  const find = (name: string | null) => s.listing?.find((t) => t.name === name)?.shape;
  const xs = find(c.tensor), ws = find(c.weightTensor);
  if (!xs || !ws || xs.length === 0 || ws.length === 0) return null;
  const two = (sh: number[]): [number, number] => [sh.slice(0, -1).reduce((a, b) => a * b, 1), sh[sh.length - 1]];
  return { xShape: two(xs), wShape: two(ws) };
}

export function startMethods(store: AppStore, pool: Pool): () => void {
  let stopped = false;
  /** bumps on every new plan; runners of an older generation stop */
  let generation = 0;
  let plan: { pairKey: string; tasks: PlannedTask[]; keys: Set<string> } | null = null;
  /** the comparison was cancelled by schedule() (not by the user) because the view no longer asks for it */
  let autoPaused = false;
  const inflight = new Set<string>();
  /** the pair each pool worker holds (or is loading) */
  const held: PairHeld[] = pool.workers.map(() => ({ key: null, loaded: null }));
  /** the big pair's worker outside the pool, the pair it holds and how to stop whoever waits on it */
  let aside: { worker: AsideWorker; held: PairHeld; killed: Promise<never>; kill(): void } | null = null;
  let asideTimer: ReturnType<typeof setTimeout> | null = null;
  const w = (i: number): Remote<EngineApi> => pool.workers[i];

  function asideWorker() {
    if (!aside) {
      const worker = pool.spawnAside!('methods');
      let kill!: () => void;
      const killed = new Promise<never>((_, reject) => { kill = () => reject(new Terminated('terminated')); });
      killed.catch(() => {});
      aside = { worker, held: { key: null, loaded: null }, killed, kill };
    }
    return aside;
  }

  /** Terminates the big pair's worker: its point under way stops, its runner ends without a failure. */
  function stopAside() {
    if (asideTimer) clearTimeout(asideTimer);
    asideTimer = null;
    if (!aside) return;
    aside.kill();
    aside.worker.terminate();
    aside = null;
  }

  /** `call` on the slot's worker; a terminated aside worker rejects it with Terminated. */
  function onSlot<T>(slot: Slot, call: (api: Remote<EngineApi>) => Promise<T>): Promise<T> {
    if (slot !== 'aside') return call(w(slot));
    const a = asideWorker();
    return Promise.race([call(a.worker.api), a.killed]);
  }

  /** What the slot's worker holds (the aside worker is spawned here when there is none). */
  const heldBy = (slot: Slot): PairHeld => (slot === 'aside' ? asideWorker().held : held[slot]);

  function ensurePair(slot: Slot, key: string, src: MethodsPairSource): Promise<void> {
    const h = heldBy(slot);
    if (h.key !== key || !h.loaded) {
      const loading = onSlot(slot, (api) => api.methodsLoad(key, src)).then(() => undefined);
      h.key = key;
      h.loaded = loading;
      loading.catch(() => { if (h.loaded === loading) { h.key = null; h.loaded = null; } });
    }
    return h.loaded;
  }

  /** Re-plans from the store (cheap: builds keys only). Returns the next task not done, running or failed. */
  function replan(): PlannedTask | undefined {
    const s = store.getState();
    if (!plan) return undefined;
    const shape = s.methods.shape ?? knownShape(s);
    if (!shape) return undefined;
    const settings = methodsSettings(s.config, shape.xShape[1]);
    const points = s.methods.points;
    const tasks = planTasks(plan.pairKey, settings, shape, (k) => points[k] as { mse?: number } | undefined);
    plan = { pairKey: plan.pairKey, tasks, keys: new Set(tasks.map((t) => t.key)) };
    return tasks.find((t) => !(t.key in points) && !(t.key in s.methods.failed) && !inflight.has(t.key));
  }

  function countDone(): number {
    const pts = store.getState().methods.points;
    let n = 0;
    for (const k of plan?.keys ?? []) if (k in pts) n++;
    return n;
  }

  /**
   * Resolves once no heavy analysis job (trade-off, matmul, outlier split) is queued or running. A small pair's
   * comparison runs on the pool workers, one AWQ/SVDQuant point (0.7-4 s at 1024²) per request: the heavy
   * jobs' banded requests let a queued point run between every two bands, so with both going the matmul
   * table took 30-60 s at 1024² instead of a few. The points wait for those panels (a few seconds), not the
   * reverse.
   */
  function analysisHeavyQuiet(): Promise<void> {
    const busy = () => {
      const r = store.getState().results;
      return !stopped && HEAVY_ANALYSIS_JOBS.some((j) => r[j]?.status === 'running' || r[j]?.status === 'queued');
    };
    if (!busy()) return Promise.resolve();
    return new Promise((resolve) => {
      const unsubscribe = store.subscribe(() => {
        if (busy()) return;
        unsubscribe();
        resolve();
      });
    });
  }

  async function runner(slot: Slot, gen: number, pairKey: string, src: MethodsPairSource) {
    try {
      await ensurePair(slot, pairKey, src);
    } catch (e) {
      if (!(e instanceof Terminated) && gen === generation) store.getState().methodsFailed(pairKey, null, errorText(e));
      return;
    }
    for (;;) {
      if (slot !== 'aside') await analysisHeavyQuiet();
      if (stopped || gen !== generation || store.getState().methods.status !== 'running') return;
      const next = replan();
      if (!next) return;
      inflight.add(next.key);
      if (slot !== 'aside') pool.longBusy?.add(slot);
      try {
        const point = await onSlot<MethodsPoint>(slot, (api) => api.methodsRun(pairKey, next.task) as Promise<MethodsPoint>);
        if (plan?.pairKey === pairKey && plan.keys.has(next.key)) {
          const st = store.getState();
          st.methodsPut(pairKey, next.key, point, countDone() + (next.key in st.methods.points ? 0 : 1));
        }
      } catch (e) {
        if (e instanceof Terminated) return;
        const msg = errorText(e);
        if (/not loaded/.test(msg) && (slot !== 'aside' || aside)) Object.assign(heldBy(slot), { key: null, loaded: null });
        store.getState().methodsFailed(pairKey, next.key, msg);
      } finally {
        inflight.delete(next.key);
        if (slot !== 'aside') pool.longBusy?.delete(slot);
      }
      if (gen === generation) finishIfDone();
    }
  }

  function finishIfDone() {
    const s = store.getState();
    if (!plan || s.methods.status !== 'running') return;
    replan();
    const left = plan.tasks.some((t) => !(t.key in s.methods.points) && !(t.key in s.methods.failed));
    if (!left && inflight.size === 0) s.methodsStatus('done');
    else if (plan.tasks.length !== s.methods.total) s.methodsPlanned(plan.pairKey, s.methods.shape, plan.keys, plan.tasks.length);
  }

  /** Config or request changed: make a new plan (if anything differs) and start runners. */
  function schedule() {
    const s = store.getState();
    const c = s.config;
    if (!methodsWanted(c, s.methods.requested)) {
      // a big pair's comparison (minutes of AWQ/SVDQuant points on one worker) started by transform=smooth
      // pauses when the view moves on, so that worker serves the metrics again; it resumes on the way back
      const shape = s.methods.shape;
      if (s.methods.status === 'running' && shape && shape.wShape[0] * shape.wShape[1] > POOL_MAX_ELEMENTS) {
        autoPaused = true;
        s.methodsCancel(); // the subscription terminates the aside worker
      }
      return;
    }
    if (autoPaused && s.methods.status === 'cancelled') {
      autoPaused = false;
      s.methodsStatus('idle'); // the subscription below resumes the same plan
      return;
    }
    autoPaused = false;
    const pr = pairOf(c);
    if ('error' in pr) {
      if (s.methods.error !== pr.error) s.methodsFailed(s.methods.pairKey ?? '', null, pr.error);
      return;
    }
    let src: MethodsPairSource;
    if (pr.ref.kind === 'file') {
      const files = s.files;
      if (!files || fileIdentity(files) !== pr.ref.fileKey) {
        s.methodsFailed(pr.key, null, 'open the file to compare the methods on its pair: a link names a file but never carries it');
        return;
      }
      src = { ...pr.ref, files };
    } else src = pr.ref;
    const shape = knownShape(s);
    if (!shape) return; // the listing is not in yet
    if (shape.xShape[1] !== shape.wShape[1]) {
      s.methodsFailed(pr.key, null, `X has ${shape.xShape[1]} channels but W has ${shape.wShape[1]} input features; pick X [tokens, C] and W [out, C]`);
      return;
    }
    const settings = methodsSettings(c, shape.xShape[1]);
    const tasks = planTasks(pr.key, settings, shape, (k) => s.methods.points[k] as { mse?: number } | undefined);
    const keys = new Set(tasks.map((t) => t.key));
    const same = plan?.pairKey === pr.key && plan.keys.size === keys.size && [...keys].every((k) => plan!.keys.has(k));
    if (same && s.methods.status !== 'idle' && s.methods.status !== 'error') return;
    plan = { pairKey: pr.key, tasks, keys };
    generation++;
    s.methodsPlanned(pr.key, shape, keys, tasks.length);
    if (store.getState().methods.status !== 'running') return;
    const gen = generation;
    if (shape.wShape[0] * shape.wShape[1] <= POOL_MAX_ELEMENTS) {
      for (let i = 0; i < pool.size; i++) void runner(i, gen, pr.key, src);
    } else if (pool.spawnAside) {
      // a big pair: one runner on a worker of its own, once the config has rested (a run of changes, e.g. α
      // dragged, does not start a 2×64 MB pair load at each step); the pool's workers stay the view's
      if (asideTimer) clearTimeout(asideTimer);
      asideTimer = setTimeout(() => {
        asideTimer = null;
        if (!stopped && gen === generation && store.getState().methods.status === 'running') void runner('aside', gen, pr.key, src);
      }, METHODS_ASIDE_IDLE_MS);
    } else {
      // no aside workers (tests with in-process APIs): the LAST pool worker, worker 0 holds the analysed tensor
      void runner(pool.size - 1, gen, pr.key, src);
    }
    finishIfDone();
  }

  schedule();
  const unsubscribe = store.subscribe((state, prev) => {
    if (stopped) return;
    const m = state.methods, pm = prev.methods;
    // a cancel (the user's, or the auto-pause) stops the point under way too: nothing keeps computing
    if (m.status === 'cancelled' && pm.status !== 'cancelled') stopAside();
    if (state.config !== prev.config || state.listing !== prev.listing || state.files !== prev.files || m.requested !== pm.requested) {
      schedule();
    } else if (pm.status === 'cancelled' && m.status === 'idle') {
      // resume after a cancel: same plan, new runners
      plan = null;
      schedule();
    }
  });
  return () => {
    stopped = true;
    unsubscribe();
    stopAside();
  };
}
