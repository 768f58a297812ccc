/**
 * The |X'| heatmap of a transform change made by every worker on the rows it
 * holds (workers/prepStore.ts, core/analysis/splitHeatmap.ts): worker 0 makes
 * the first slice of X' into its prep and pools it; each other worker makes
 * and pools its rows and hands them (transferred, relayed by the main thread)
 * to worker 0, which then holds all of X' for the metrics that follow. The
 * merged side equals worker 0's whole-tensor side.
 */
import { transfer, type Remote } from 'comlink';
import type { EngineApi } from '../../workers/api.ts';
import type { PrepRequest } from '../../workers/analysisApi.ts';
import { combineSides, type HeatmapCompareResult, type Viewport } from '../core/analysis/index.ts';
import { mergeHeatmapSideParts } from '../core/analysis/splitHeatmap.ts';
import type { TensorMeta } from '../state/resultTypes.ts';
import { safeTransform } from './analysisPlan.ts';
import { smoothScalesFrom } from '../core/transforms/smooth.ts';
import type { RowSlice } from './plan.ts';

/** tensors up to this size (64 MiB of float32) get pre-touched X' buffers (warmSplit) */
const WARM_MAX_ELEMENTS = 1 << 24;
/** X' buffers worker 0 keeps pre-touched: the changes until its prep cache (3) evicts one and a spare takes over; never more X' buffers than that steady state holds */
const WARM_COUNT = 3;

/** below this many elements X' is made on worker 0 alone (the split's messages would cost more than it saves) */
const SPLIT_MIN_ELEMENTS = 1 << 20;

/**
 * The slices to make X' in (slice 0 on worker 0 first), when `transform` acts row by row (smooth,
 * Hadamard), the tensor is big enough for the split to pay and no worker of the split is held by
 * long work; else null (worker 0 alone).
 */
export function splitWorkers(
  l: { meta: TensorMeta; slices?: readonly RowSlice[] }, transform: string, longBusy?: (worker: number) => boolean,
): readonly RowSlice[] | null {
  const t = safeTransform(transform);
  if (!t || (t.kind !== 'smooth' && t.kind !== 'hadamard' && t.kind !== 'random-hadamard')) return null;
  const sl = splitSlices(l);
  if (!sl) return null;
  // a worker busy with a methods point would hold the heatmap back: worker 0 then does it all (a big pair's
  // comparison runs on a worker of its own, methodsJob.ts, and never holds a pool worker)
  if (sl.some((x) => longBusy?.(x.worker))) return null;
  return sl;
}

/** The tensor's slices when a row-split X' can be made of them (slice 0 on worker 0, big enough), else null. */
function splitSlices(l: { meta: TensorMeta; slices?: readonly RowSlice[] }): readonly RowSlice[] | null {
  const sl = l.slices;
  if (!sl || sl.length < 2 || sl[0].worker !== 0 || sl[0].rowStart !== 0 || l.meta.rows * l.meta.cols < SPLIT_MIN_ELEMENTS) return null;
  return sl;
}

/**
 * Per slice worker, the rows buffer of its last part, back from worker 0 (adoptPrimeRows) for its
 * next part to write into: fresh pages cost ~3 µs each to write on the test machine, ~100 ms for
 * the 32 MiB half of X' at 4096², more than the rotation. One buffer per worker, owned here
 * between the requests (transferred both ways, never shared).
 */
const spareRows = new Map<number, Float32Array>();

/**
 * While the settings rest after a load: worker 0 pre-touches buffers for the X' of the first
 * transform changes (analysisApi warmTransforms) and each other slice worker one for its part
 * (kept in spareRows), so those changes do not write fresh pages on their path.
 */
export async function warmSplit(
  w: (i: number) => Remote<EngineApi>, l: { key: string; meta: TensorMeta; slices?: readonly RowSlice[] }, xHandle: string,
): Promise<void> {
  const sl = splitSlices(l);
  if (!sl || l.meta.rows * l.meta.cols > WARM_MAX_ELEMENTS) return;
  await w(0).warmTransforms(xHandle, WARM_COUNT);
  for (const s of sl.slice(1)) {
    const n = (s.rowEnd - s.rowStart) * l.meta.cols;
    if (spareRows.get(s.worker)?.length !== n) spareRows.set(s.worker, await w(s.worker).warmSliceRows(`${l.key}@slice`));
  }
}

/** Column absmax of X and W per pair (xHandle|wHandle), from worker 0 once: a later α needs no round trip. */
const smoothColumnsByPair = new Map<string, [Float32Array, Float32Array]>();
const SMOOTH_PAIRS_KEPT = 4;

const pairKeyOf = (req: PrepRequest) => `${req.xHandle}|${req.wHandle ?? ''}`;

async function fetchSmoothColumns(w: (i: number) => Remote<EngineApi>, req: PrepRequest): Promise<[Float32Array, Float32Array]> {
  const r = await w(0).smoothColumns(req);
  const cols: [Float32Array, Float32Array] = [r.x, r.w];
  smoothColumnsByPair.set(pairKeyOf(req), cols);
  if (smoothColumnsByPair.size > SMOOTH_PAIRS_KEPT) smoothColumnsByPair.delete(smoothColumnsByPair.keys().next().value!);
  return cols;
}

/**
 * |X| before and |X'| after over `grid`, X' made on `slices` (from splitWorkers) of the tensor held
 * under `${key}@slice`. `posted` is called once worker 0 has the request (the metrics queue behind it).
 */
export async function splitHeatmap(
  w: (i: number) => Remote<EngineApi>, l: { key: string; meta: TensorMeta }, req: PrepRequest, slices: readonly RowSlice[],
  grid: { viewport: Viewport; outRows: number; outCols: number }, posted: () => void,
): Promise<HeatmapCompareResult> {
  const t = safeTransform(req.transform);
  // SmoothQuant's s made here from the pair's kept columns (no await then: the requests leave within the change)
  const scales = t?.kind === 'smooth'
    ? smoothScalesFrom(...(smoothColumnsByPair.get(pairKeyOf(req)) ?? await fetchSmoothColumns(w, req)), t.alpha)
    : undefined;
  const head = w(0).transformHeatmapSplit({ ...req, ...grid, rowEnd: slices[0].rowEnd, ...(scales ? { scales } : {}) });
  posted();
  // some rows of X' will never reach worker 0: its pending prep is dropped (the metrics then prepare X' whole)
  const abandon = () => { void w(0).abandonPrime(req).catch(() => {}); };
  let relayed = 0;
  const others = slices.slice(1).map(async (s) => {
    const scratch = spareRows.get(s.worker);
    spareRows.delete(s.worker);
    const partReq = {
      handle: `${l.key}@slice`, transform: req.transform, seed: req.seed, ...(scales ? { scales } : {}), ...grid, ...(scratch ? { scratch } : {}),
    };
    const r = await w(s.worker).transformSlicePart(scratch ? transfer(partReq, [scratch.buffer as ArrayBuffer]) : partReq);
    relayed++;
    void w(0).adoptPrimeRows(req, transfer(r.rows, [r.rows.buffer as ArrayBuffer]), r.rowStart)
      .then((back) => { spareRows.set(s.worker, back); }, abandon);
    return r.part;
  });
  try {
    const [h, ...parts] = await Promise.all([head, ...others]);
    return combineSides(h.before, mergeHeatmapSideParts([h.part, ...parts], l.meta.rows));
  } catch (e) {
    if (relayed < others.length) abandon();
    throw e;
  }
}
