/**
 * What the methods panel (issue 9) computes for a config: its settings (taken
 * from `transform` when that names the method, else from the methods-* URL
 * keys), the pair, and the list of worker tasks in priority order, each with a
 * key naming all of its inputs. Pure: the engine runs the tasks, the panels
 * read the results by the same keys.
 */
import type { FormatId } from '../core/formats/registry.ts';
import { AWQ_ALPHAS } from '../core/transforms/awq.ts';
import { formatTransform, parseTransform, type Transform } from '../core/transforms/parse.ts';
import type { MethodsPairSource, MethodsTask, QuantBase } from '../../workers/methods.ts';
import { quantBaseOf, type Config } from './config.ts';

/** Weight-only (W4A16) comparison formats. */
export const W4A16_FORMATS: readonly FormatId[] = ['int4', 'fp4_e2m1', 'mxfp4', 'nf4'];
/** SVDQuant W4A4 curve formats. */
export const W4A4_FORMATS: readonly FormatId[] = ['fp4_e2m1', 'mxfp4', 'nvfp4', 'int4'];
export const MAX_RANK = 128;
const CURVE_RANKS = [0, 1, 2, 4, 8, 16, 32, 64, 128];
/** Pairs above this many weight elements run on one worker (each worker would hold the pair whole). */
export const POOL_MAX_ELEMENTS = 2048 * 2048;

export type MethodId = 'none' | 'smooth' | 'hadamard' | 'awq' | 'svdquant';

export interface MethodsSettings {
  /** AWQ α, or null = search */
  awqAlpha: number | null;
  rank: number;
  svdAlpha: number;
  smoothAlpha: number;
  /** hadamard transform text for the table, e.g. "hadamard:128" */
  hadamard: string;
  /** where each setting came from: the transform control or the panel's own keys */
  awqFromTransform: boolean;
  svdFromTransform: boolean;
  quant: QuantBase;
  /** W format of the AWQ curve and scale plot (weight format, else the focused format) */
  focusWeight: FormatId;
  /** table columns: activation format A and weight format W */
  pairs: { a: FormatId; w: FormatId }[];
  /** formats whose AWQ α curve is computed (focus, W4A16, table weights) */
  awqFormats: FormatId[];
}

export interface PairShape {
  /** X [T, C], W [O, C] */
  xShape: [number, number];
  wShape: [number, number];
}

function transformOf(c: Config): Transform {
  try {
    return parseTransform(c.transform);
  } catch {
    return { kind: 'none' };
  }
}

/** Largest power of two ≤ 128 dividing `cols` (1 when cols is odd). */
export function hadamardBlockFor(cols: number): number {
  let g = 1;
  while (g < 128 && cols % (g * 2) === 0) g *= 2;
  return g;
}

export function methodsSettings(c: Config, cols: number | null): MethodsSettings {
  const t = transformOf(c);
  const quant: QuantBase = quantBaseOf(c);
  const focusWeight = c.weightFormat ?? c.format;
  const pairs = c.formats.map((a) => ({ a, w: c.weightFormat ?? a }));
  const awqFormats = [...new Set([focusWeight, ...W4A16_FORMATS, ...pairs.map((p) => p.w)])];
  return {
    awqAlpha: t.kind === 'awq' ? (t.alpha ?? null) : c.methodsAwq,
    rank: t.kind === 'svdquant' ? Math.min(t.rank, MAX_RANK) : c.methodsRank,
    svdAlpha: t.kind === 'svdquant' ? t.alpha : c.methodsAlpha,
    smoothAlpha: t.kind === 'smooth' ? t.alpha : 0.5,
    hadamard: t.kind === 'hadamard' || t.kind === 'random-hadamard' ? formatTransform(t) : `hadamard:${hadamardBlockFor(cols ?? 128)}`,
    awqFromTransform: t.kind === 'awq',
    svdFromTransform: t.kind === 'svdquant',
    quant,
    focusWeight,
    pairs,
    awqFormats,
  };
}

/** The panel runs when the user asked, or when the transform is a pair method. */
export function methodsWanted(c: Config, requested: boolean): boolean {
  const k = transformOf(c).kind;
  return requested || k === 'smooth' || k === 'awq' || k === 'svdquant';
}

/** Identity of the pair, or an error saying what is missing. */
export type PairRef = Exclude<MethodsPairSource, { kind: 'file' }> | { kind: 'file'; fileKey: string; x: string; w: string };

export function pairOf(c: Config): { key: string; ref: PairRef } | { error: string } {
  if (c.file === null) return { key: `sample:${c.size}:${c.sampleSeed}`, ref: { kind: 'sample', size: c.size, seed: c.sampleSeed } };
  if (c.tensor === null) return { error: 'pick the activation tensor X of the file' };
  if (c.weightTensor === null) return { error: 'pick the weight tensor W of the pair (weight-tensor) to compare the methods' };
  return { key: `file:${c.file}:${c.tensor}|${c.weightTensor}`, ref: { kind: 'file', fileKey: c.file, x: c.tensor, w: c.weightTensor } };
}

const qk = (q: QuantBase) => [q.granularity.kind === 'group' ? `group:${q.granularity.size}` : q.granularity.kind === 'block' ? `block:${q.granularity.rows}x${q.granularity.cols}` : q.granularity.kind, q.scale, q.scaleRule, q.clip ?? '', q.rounding, q.seed].join('|');

/** Key of one task's result (all of its inputs). */
export function taskKey(pairKey: string, t: MethodsTask): string {
  switch (t.kind) {
    case 'pipe': return `${pairKey}#pipe#${t.transform}#${t.format}/${t.weightFormat}#${qk(t.quant)}`;
    case 'awq': return `${pairKey}#awq#${t.alpha}#${t.weightFormat}#${qk(t.quant)}`;
    case 'awq-info': return `${pairKey}#awq-info#${t.alpha}`;
    case 'svd': return `${pairKey}#svd#${t.alpha}#${t.decompRank}#${t.rank}#${t.format}/${t.weightFormat}#${qk(t.quant)}`;
    case 'svd-info': return `${pairKey}#svd-info#${t.alpha}#${t.decompRank}#${t.rank}#${t.seed}#${t.outRows}x${t.outCols}`;
  }
}

export interface PlannedTask {
  key: string;
  task: MethodsTask;
}

/** Curve ranks (0…128 doubling, and the chosen rank) that fit the weight. */
export function curveRanks(rank: number, maxRank: number): number[] {
  return [...new Set([...CURVE_RANKS, rank])].filter((r) => r <= maxRank).sort((a, b) => a - b);
}

/** Builders of the tasks, shared by the plan and the panels' lookups. */
export const tasks = {
  awq: (s: MethodsSettings, alpha: number, weightFormat: FormatId): MethodsTask => ({ kind: 'awq', alpha, weightFormat, quant: s.quant }),
  pipe: (s: MethodsSettings, method: 'none' | 'smooth' | 'hadamard', p: { a: FormatId; w: FormatId }): MethodsTask => ({
    kind: 'pipe', format: p.a, weightFormat: p.w, quant: s.quant,
    transform: method === 'none' ? 'none' : method === 'smooth' ? `smooth:${s.smoothAlpha}` : s.hadamard,
  }),
  svd: (s: MethodsSettings, decompRank: number, rank: number, p: { a: FormatId; w: FormatId }): MethodsTask => ({
    kind: 'svd', alpha: s.svdAlpha, decompRank, rank, format: p.a, weightFormat: p.w, quant: s.quant,
  }),
};

/** The decomposition the curves and the spectrum use: rank 128 (or the weight's min(O, C)). */
export const curveDecompRank = (shape: PairShape) => Math.min(MAX_RANK, shape.wShape[0], shape.wShape[1]);

/** The chosen α of an AWQ curve: the fixed α, or the first smallest MSE among the computed points (null until all are in). */
export function chosenAwqAlpha(s: MethodsSettings, mseOf: (alpha: number) => number | undefined): number | null {
  if (s.awqAlpha !== null) return s.awqAlpha;
  let best: number | null = null, bestMse = Infinity;
  for (const a of AWQ_ALPHAS) {
    const m = mseOf(a);
    if (m === undefined) return null;
    if (best === null || m < bestMse) { best = a; bestMse = m; }
  }
  return best;
}

/**
 * Tasks in priority order. `have(key)` tells which results exist (some tasks
 * appear only once their inputs are known: the AWQ scale plot needs the
 * chosen α). Heatmap cells: at most 256 × 512.
 */
export function planTasks(pairKey: string, s: MethodsSettings, shape: PairShape, have: (key: string) => { mse?: number } | undefined): PlannedTask[] {
  const out: PlannedTask[] = [];
  const add = (t: MethodsTask) => out.push({ key: taskKey(pairKey, t), task: t });
  const maxRank = Math.min(shape.wShape[0], shape.wShape[1]);
  const rank = Math.min(s.rank, maxRank);
  const decomp = curveDecompRank(shape);
  const alphasFor = (f: FormatId) => AWQ_ALPHAS.map((a) => tasks.awq(s, a, f));
  const chosen = (f: FormatId) => chosenAwqAlpha(s, (a) => have(taskKey(pairKey, tasks.awq(s, a, f)))?.mse);

  for (const m of ['none', 'smooth', 'hadamard'] as const) for (const p of s.pairs) add(tasks.pipe(s, m, p));
  for (const t of alphasFor(s.focusWeight)) add(t);
  const focusAlpha = chosen(s.focusWeight);
  if (focusAlpha !== null) add({ kind: 'awq-info', alpha: focusAlpha });
  if (s.awqAlpha !== null) for (const p of s.pairs) add(tasks.awq(s, s.awqAlpha, p.w));
  for (const p of s.pairs) add(tasks.svd(s, rank, rank, p));
  add({ kind: 'svd-info', alpha: s.svdAlpha, decompRank: decomp, rank, seed: s.quant.seed, outRows: 256, outCols: 512 });
  for (const r of curveRanks(rank, decomp)) for (const f of W4A4_FORMATS) add(tasks.svd(s, decomp, r, { a: f, w: f }));
  for (const f of s.awqFormats) if (f !== s.focusWeight) for (const t of alphasFor(f)) add(t);
  const seen = new Set<string>();
  return out.filter((t) => (seen.has(t.key) ? false : (seen.add(t.key), true)));
}
