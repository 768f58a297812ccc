/**
 * Per-tensor format choice under an average bit budget (issue 7).
 *
 * Problem (a multiple-choice knapsack): every tensor i takes exactly one of its
 * scanned variants j, costing bits_ij = round(bitsPerElement · numel) and
 * error e_ij; minimise Σ e_ij subject to Σ bits_ij ≤ targetBits · Σ numel.
 * Objectives:
 *   'sse' (default): e = MSE · counted elements = Σ (x̂ − x)², the total squared error.
 *   'nsr': e = numel · 10^(−SQNR/10), the numel-weighted noise-to-signal ratio, so
 *          tensors with small values (norms, scaled-down layers) count as much as big ones.
 *
 * Method: exact branch and bound. Options dominated by a cheaper, no-worse
 * option are dropped; each tensor's remaining options form a lower convex hull
 * whose steps, taken in order of error saved per bit (the Lagrangian / LP
 * relaxation), give a lower bound on the error of any completion. A greedy
 * solution along the same steps is the first incumbent; depth-first search over
 * tensors (largest possible saving first) prunes every branch whose bound cannot
 * beat it. The result is proven optimal (`optimal: true`) unless the search hits
 * `maxWork` (≈ bound-evaluation steps); then the best assignment found is returned
 * with `optimal: false` and `lowerBound` says how far from optimal it can be at most.
 */
import type { FormatId } from '../formats/registry.ts';
import type { ScanRow } from './scan.ts';

export type RecommendObjective = 'sse' | 'nsr';

export interface RecommendOptions {
  objective?: RecommendObjective;
  /** search effort limit in bound-evaluation steps (default 4e7: about a second; past it the result says optimal: false) */
  maxWork?: number;
}

export interface AssignedTensor {
  name: string;
  variant: string;
  format: FormatId;
  bitsPerElement: number;
  numel: number;
  /** this tensor's share of the objective */
  error: number;
  sqnrDb: number;
}

export interface UniformChoice {
  variant: string;
  avgBits: number;
  totalBytes: number;
  totalError: number;
  fitsBudget: boolean;
}

export interface Recommendation {
  targetBits: number;
  objective: RecommendObjective;
  method: string;
  optimal: boolean;
  /** proven lower bound on the optimal total error (equals totalError when optimal) */
  lowerBound: number;
  assignment: AssignedTensor[];
  achievedBits: number;
  totalBytes: number;
  totalError: number;
  /** every variant that was scanned for all tensors, used alone */
  uniform: UniformChoice[];
}

interface Opt {
  row: ScanRow;
  bits: number;
  err: number;
}

export function rowError(r: ScanRow, objective: RecommendObjective): number {
  const noise = r.mse * (r.numel - r.nonfinite);
  if (objective === 'sse') return noise;
  if (noise === 0) return 0;
  // an all-zero tensor has no signal; its (never seen in practice) noise then counts as in 'sse'
  return r.signalEnergy > 0 ? (r.numel * noise) / r.signalEnergy : noise;
}

/** Drops dominated options; returns them by strictly increasing bits and strictly decreasing error. */
function frontier(opts: Opt[]): Opt[] {
  const s = [...opts].sort((a, b) => a.bits - b.bits || a.err - b.err);
  const out: Opt[] = [];
  for (const o of s) if (!out.length || o.err < out[out.length - 1].err) out.push(o);
  return out;
}

/** Indices of the lower convex hull of a frontier (first and last always included). */
function hull(f: Opt[]): number[] {
  const h: number[] = [];
  for (let i = 0; i < f.length; i++) {
    while (h.length >= 2) {
      const a = f[h[h.length - 2]], b = f[h[h.length - 1]], c = f[i];
      // b is above segment a–c (or on it): drop it
      if ((b.err - a.err) * (c.bits - a.bits) >= (c.err - a.err) * (b.bits - a.bits)) h.pop();
      else break;
    }
    h.push(i);
  }
  return h;
}

export function recommend(rows: readonly ScanRow[], targetBits: number, options: RecommendOptions = {}): Recommendation {
  const objective = options.objective ?? 'sse';
  const maxWork = options.maxWork ?? 4e7;
  if (!(targetBits > 0) || !Number.isFinite(targetBits)) throw new Error(`the bit budget must be a positive number of bits per element (e.g. 4.5), got ${targetBits}`);
  const byTensor = new Map<string, Opt[]>();
  for (const r of rows) {
    const o: Opt = { row: r, bits: Math.round(r.bitsPerElement * r.numel), err: rowError(r, objective) };
    byTensor.set(r.name, [...(byTensor.get(r.name) ?? []), o]);
  }
  if (byTensor.size === 0) throw new Error('there are no scan results to choose formats from; scan the checkpoint first');
  const names = [...byTensor.keys()];
  const fronts = names.map((n) => frontier(byTensor.get(n)!));
  const totalNumel = names.reduce((a, n) => a + byTensor.get(n)![0].row.numel, 0);
  const budget = Math.floor(targetBits * totalNumel + 1e-6 * Math.max(1, totalNumel));
  const minBits = fronts.reduce((a, f) => a + f[0].bits, 0);
  if (minBits > budget) {
    throw new Error(`${targetBits} bits per element is below the cheapest choice (${(minBits / totalNumel).toFixed(4)} bits per element with these formats); raise the budget or add a smaller format`);
  }

  // Search order: tensors with the largest possible error saving first.
  const order = fronts.map((_, i) => i).sort((a, b) => (fronts[b][0].err - fronts[b][fronts[b].length - 1].err) - (fronts[a][0].err - fronts[a][fronts[a].length - 1].err));
  const F = order.map((i) => fronts[i]);
  const T = F.length;
  // Hull steps of every tensor, sorted by error saved per bit (best first).
  const steps: { depth: number; dbits: number; derr: number; to: number }[] = [];
  F.forEach((f, depth) => {
    const h = hull(f);
    for (let k = 1; k < h.length; k++) steps.push({ depth, dbits: f[h[k]].bits - f[h[k - 1]].bits, derr: f[h[k - 1]].err - f[h[k]].err, to: h[k] });
  });
  steps.sort((a, b) => b.derr * a.dbits - a.derr * b.dbits || a.depth - b.depth);
  const sufBits = new Float64Array(T + 1), sufErr = new Float64Array(T + 1);
  for (let d = T - 1; d >= 0; d--) {
    sufBits[d] = sufBits[d + 1] + F[d][0].bits;
    sufErr[d] = sufErr[d + 1] + F[d][0].err;
  }
  let work = 0;
  /** LP lower bound on the error of tensors depth.. with `room` bits left. */
  const bound = (depth: number, room: number): number => {
    let r = room - sufBits[depth];
    let e = sufErr[depth];
    for (const s of steps) {
      work++;
      if (s.depth < depth) continue;
      if (s.dbits <= r) {
        r -= s.dbits;
        e -= s.derr;
      } else {
        e -= (s.derr * r) / s.dbits;
        break;
      }
    }
    return e;
  };

  // Greedy incumbent: whole hull steps in order; a step that does not fit blocks its tensor.
  const choice = new Int32Array(T);
  let room = budget - sufBits[0];
  const blocked = new Uint8Array(T);
  for (const s of steps) {
    if (blocked[s.depth]) continue;
    if (s.dbits <= room) {
      room -= s.dbits;
      choice[s.depth] = s.to;
    } else blocked[s.depth] = 1;
  }
  let best = choice.reduce((a, j, d) => a + F[d][j].err, 0);
  let bestChoice = Int32Array.from(choice);
  const rootBound = bound(0, budget);

  // Depth-first branch and bound; options tried from most accurate to cheapest.
  const eps = (e: number) => 1e-12 * Math.abs(e);
  const idx = new Int32Array(T).fill(-1);
  const preBits = new Float64Array(T + 1), preErr = new Float64Array(T + 1);
  let d = 0;
  let complete = true;
  while (d >= 0) {
    if (work > maxWork) {
      complete = false;
      break;
    }
    const f = F[d];
    idx[d]++;
    if (idx[d] >= f.length) {
      idx[d] = -1;
      d--;
      continue;
    }
    const j = f.length - 1 - idx[d];
    const bits = preBits[d] + f[j].bits;
    const err = preErr[d] + f[j].err;
    if (bits + sufBits[d + 1] > budget) continue;
    if (d + 1 === T) {
      if (err < best - eps(best)) {
        best = err;
        choice[d] = j;
        bestChoice = Int32Array.from(choice);
      }
      continue;
    }
    if (err + bound(d + 1, budget - bits) >= best - eps(best)) continue;
    choice[d] = j;
    preBits[d + 1] = bits;
    preErr[d + 1] = err;
    d++;
  }

  const assignment: AssignedTensor[] = [];
  let usedBits = 0, totalError = 0;
  const picked = new Map<number, Opt>();
  bestChoice.forEach((j, dd) => picked.set(order[dd], F[dd][j]));
  for (let i = 0; i < names.length; i++) {
    const o = picked.get(i)!;
    usedBits += o.bits;
    totalError += o.err; // summed in checkpoint order, like the uniform totals
    assignment.push({ name: names[i], variant: o.row.variant, format: o.row.format, bitsPerElement: o.row.bitsPerElement, numel: o.row.numel, error: o.err, sqnrDb: o.row.sqnrDb });
  }
  return {
    targetBits, objective,
    method: 'exact branch and bound over per-tensor choices with a convex-hull (Lagrangian LP) bound; greedy start',
    optimal: complete, lowerBound: complete ? totalError : Math.min(totalError, rootBound),
    assignment, achievedBits: usedBits / totalNumel, totalBytes: usedBits / 8, totalError,
    uniform: uniformChoices(byTensor, totalNumel, budget),
  };
}

function uniformChoices(byTensor: Map<string, Opt[]>, totalNumel: number, budget: number): UniformChoice[] {
  const variants = [...new Set([...byTensor.values()].flatMap((os) => os.map((o) => o.row.variant)))];
  const out: UniformChoice[] = [];
  for (const v of variants) {
    let bits = 0, err = 0, all = true;
    for (const os of byTensor.values()) {
      const o = os.find((x) => x.row.variant === v);
      if (!o) { all = false; break; }
      bits += o.bits;
      err += o.err;
    }
    if (all) out.push({ variant: v, avgBits: bits / totalNumel, totalBytes: bits / 8, totalError: err, fitsBudget: bits <= budget });
  }
  return out.sort((a, b) => a.avgBits - b.avgBits);
}

/** The JSON export (snake_case like the CLI; Infinity → null). */
export function recommendationToJson(r: Recommendation): Record<string, unknown> {
  const n = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    target_bits: r.targetBits, objective: r.objective, method: r.method, optimal: r.optimal,
    achieved_bits: r.achievedBits, total_bytes: r.totalBytes, total_error: n(r.totalError), lower_bound: n(r.lowerBound),
    assignment: r.assignment.map((a) => ({ name: a.name, format: a.format, variant: a.variant, bits_per_element: a.bitsPerElement, numel: a.numel, error: n(a.error), sqnr_db: n(a.sqnrDb) })),
    uniform: r.uniform.map((u) => ({ variant: u.variant, avg_bits: u.avgBits, total_bytes: u.totalBytes, total_error: n(u.totalError), fits_budget: u.fitsBudget })),
  };
}
