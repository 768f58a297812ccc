/**
 * Pure planning for the analysis jobs (issue 5): which weight pairs with the
 * analysed tensor, job keys, the heatmap viewport, trade-off configurations
 * and matmul combinations.
 */
import { getFormat, type FormatId } from '../core/formats/registry.ts';
import { formatGranularity, parseGranularity, type Granularity } from '../core/quant/options.ts';
import type { Config } from '../state/config.ts';
import type { ElementProbeRequest } from '../state/analysisTypes.ts';
import { needsPair, pairKey, viewTransform } from '../state/analysisView.ts';
import { quantKey, tensorKey } from './plan.ts';

/** Rounding seed, when it changes the result (stochastic rounding, random-hadamard signs). */
export function seedPart(c: Config): string {
  return c.rounding === 'stochastic' || c.transform.startsWith('random-hadamard') ? String(c.seed) : '';
}

/**
 * The seed a transform itself draws from: random-hadamard's signs; 0 for every other transform, whose
 * X' does not depend on it. Prep requests carry this one, so a new rounding seed under stochastic
 * rounding finds the X' of a deterministic transform already made.
 */
export function transformSeed(transform: string, seed: number): number {
  return transform.startsWith('random-hadamard') ? seed : 0;
}

/** Seed part of the |x| heatmap's key: the seed its X' is made with (transformSeed), never the rounding's alone. */
const viewSeedPart = (c: Config): string => String(transformSeed(viewTransform(c), c.seed));

export { PAIR_MISSING, configViewport, needsPair, pairKey, safeTransform, viewTransform, viewportPatch } from '../state/analysisView.ts';

export function viewportKey(c: Config): string {
  return [c.r0, c.r1, c.c0, c.c1].map((v) => v ?? '').join(':');
}

const pairPart = (c: Config) => (needsPair(c.transform) ? pairKey(c) ?? 'missing' : '');

export const heatmapKey = (c: Config) => `${tensorKey(c)}#hm#${viewTransform(c)}|${viewSeedPart(c)}|${pairPart(c)}#${viewportKey(c)}`;
export const weightHeatmapKey = (c: Config) => `${pairKey(c)}#whm#${c.transform}#${viewportKey(c)}`;
export const errorViewKey = (c: Config) => `${tensorKey(c)}#eh#${quantKey(c)}|${pairPart(c)}#${c.format}#${viewportKey(c)}${c.errorMode === 'abs' ? '' : `#${c.errorMode}`}`;
/** Identity of one element probe: the heatmap's tensor and transform, the quant options, the compared formats, the element. */
export const probeKey = (c: Config, p: ElementProbeRequest) =>
  `${tensorKey(c)}#probe#${viewTransform(c)}|${seedPart(c)}|${pairPart(c)}#${quantKey(c)}#${c.formats.join(',')}#${p.tensor ?? ''}${p.side}:${p.row}:${p.col}`;
/** The transform metrics key adds the weight of a pair to the plain metrics key. */
export const transformMetricsPart = (c: Config) => `${pairPart(c)}|${seedPart(c)}`;
export const tradeoffKey = (c: Config) =>
  `${tensorKey(c)}#to#${[c.scale, c.scaleRule, c.clip ?? '', c.rounding, seedPart(c), viewTransform(c), pairPart(c)].join('|')}#${c.formats.join(',')}`;
export const matmulKey = (c: Config) => `${tensorKey(c)}#mm#${quantKey(c)}|${seedPart(c)}#${c.format}|${c.weightFormat ?? ''}#${pairKey(c)}`;
export const outlierSplitKey = (c: Config) => `${tensorKey(c)}#os#${quantKey(c)}|${seedPart(c)}|${pairPart(c)}#${c.formats.join(',')}#${c.outliers}`;

export interface TradeoffConfig {
  format: FormatId;
  granularity: Granularity;
  /** line the point joins: the granularity text, or the format's own blocks */
  group: string;
}

/** Compared formats × granularities: scalar formats at tensor, row, group:128, group:32; block formats once. */
export function tradeoffConfigs(formats: readonly FormatId[], cols: number): TradeoffConfig[] {
  const out: TradeoffConfig[] = [];
  const grans = ['tensor', 'row', 'group:128', 'group:32'].filter((g) => !g.startsWith('group:') || Number(g.slice(6)) < cols);
  for (const f of formats) {
    const spec = getFormat(f);
    if (spec.kind === 'scalar') {
      for (const g of grans) out.push({ format: f, granularity: parseGranularity(g), group: g });
    } else {
      out.push({ format: f, granularity: parseGranularity('row'), group: spec.blockSize ? `own blocks of ${spec.blockSize}` : 'no scale' });
    }
  }
  return out;
}

export { formatGranularity };

/** W-format × A-format combinations of the matmul table (ZeroQuant-FP's W4A8 and friends, plus the chosen pair). */
export function matmulCombos(c: Config): { tag: string; wFormat: FormatId; xFormat: FormatId }[] {
  const list: { tag: string; wFormat: FormatId; xFormat: FormatId }[] = [
    { tag: 'W4A8', wFormat: 'fp4_e2m1', xFormat: 'fp8_e4m3' },
    { tag: 'W4A8', wFormat: 'int4', xFormat: 'int8' },
    { tag: 'W8A8', wFormat: 'fp8_e4m3', xFormat: 'fp8_e4m3' },
    { tag: 'W8A8', wFormat: 'int8', xFormat: 'int8' },
    { tag: 'W4A4', wFormat: 'mxfp4', xFormat: 'mxfp4' },
  ];
  const chosen = { wFormat: c.weightFormat ?? c.format, xFormat: c.format };
  if (!list.some((l) => l.wFormat === chosen.wFormat && l.xFormat === chosen.xFormat)) {
    const wb = Math.round(getFormat(chosen.wFormat).elementBits), xb = Math.round(getFormat(chosen.xFormat).elementBits);
    list.push({ tag: `W${wb}A${xb} (chosen)`, ...chosen });
  }
  return list;
}

/** Rows of X and W used for Y = X·Wᵀ: a power of two with tokens·out·C ≤ 2^26 MACs (16…512). */
export function matmulExtent(rows: number, wRows: number, cols: number): { tokens: number; outFeatures: number } {
  const side = 2 ** Math.floor(Math.log2(Math.sqrt(2 ** 26 / Math.max(1, cols))));
  const n = Math.max(16, Math.min(512, side));
  return { tokens: Math.min(rows, n), outFeatures: Math.min(wRows, n) };
}
