/**
 * The view configuration: everything that changes what is seen, and nothing
 * else. It round-trips through the URL (state/url/schema.ts) with the same
 * names as the CLI flags (DOMAIN.md §7).
 */
import type { FormatId } from '../core/formats/registry.ts';
import { DEFAULT_QUANT_OPTIONS, parseGranularity, type QuantOptions, type Rounding, type ScaleOption, type ScaleRule } from '../core/quant/options.ts';
import type { SampleKind, SampleSize } from '../core/samples/samples.ts';

export type LineScale = 'linear' | 'log';
export type ColorScale = 'viridis' | 'cividis';
export type ErrorViewMode = 'abs' | 'rel';

export interface Config {
  /** the focused format: explorer, bit layout, block view */
  format: FormatId;
  /** the formats compared side by side (1–4), in order */
  formats: FormatId[];
  /** canonical granularity text: tensor | row | column | group:G | block:RxC */
  granularity: string;
  scale: ScaleOption;
  scaleRule: ScaleRule;
  /** clip quantile Q in (0, 1], or null for plain absmax */
  clip: number | null;
  rounding: Rounding;
  seed: number;
  /** transform text as on the CLI: none | smooth[:α] | hadamard:G | random-hadamard:G | awq[:α] | svdquant:R[:α] */
  transform: string;
  /** weight format for X/W transforms; null = same as the activation format */
  weightFormat: FormatId | null;
  sample: SampleKind;
  size: SampleSize;
  sampleSeed: number;
  /** identity of an uploaded file ("name:bytes"), or null for the built-in sample */
  file: string | null;
  /** tensor name inside the uploaded file */
  tensor: string | null;
  /** block view: row of the tensor and block index along that row */
  row: number;
  block: number;
  /** number line of the format explorer */
  line: LineScale;
  /** colour scale of heatmaps */
  cmap: ColorScale;
  /** teacher links: sidebar controls hidden in this view (ids = URL key names) */
  hide: HideableControl[];
  /** files: the tensor used as the weight W of pair transforms (smooth, awq, svdquant) and the matmul table */
  weightTensor: string | null;
  /** outliers=Q: keep |x| above the Q-quantile in bf16 (outlier split panel), or null */
  outliers: number | null;
  /** heatmap viewport [r0, r1) × [c0, c1) in tensor indices; null = the tensor's extent */
  r0: number | null;
  r1: number | null;
  c0: number | null;
  c1: number | null;
  /** colour scale of the |x| heatmaps */
  colourScale: LineScale;
  /** value axis of the per-channel max |x| bars under the heatmaps */
  barScale: LineScale;
  /**
   * error heatmap: 'abs' = x̂ − x of each cell's worst element (tensor units); 'rel' = that error divided
   * by the cell's max |x| (core ErrorMode 'cellRel')
   */
  errorMode: ErrorViewMode;
  /** channel (column) picked in the outlier list, or null */
  channel: number | null;
  /** methods panel (issue 9): AWQ α, or null = search α ∈ {0, 0.05, …, 1}; used unless transform is awq[:α] */
  methodsAwq: number | null;
  /** methods panel: SVDQuant rank 0–128 and smoothing α; used unless transform is svdquant:R[:α] */
  methodsRank: number;
  methodsAlpha: number;
  /** whole-model scan (issue 7): variants as on the CLI, ID or ID@GRANULARITY (e.g. int4@group:128) */
  scanFormats: string[];
  /** whole-model scan: target average bits per element of the recommendation */
  targetBits: number;
}

/** Sidebar controls a teacher link may hide (`hide=`); each id is the URL key the control sets. */
export const HIDEABLE_CONTROLS = [
  'sample', 'size', 'sample-seed', 'file', 'format', 'formats', 'granularity', 'scale', 'scale-rule', 'clip',
  'rounding', 'seed', 'transform', 'weight-format',
] as const;
export type HideableControl = (typeof HIDEABLE_CONTROLS)[number];

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  format: 'mxfp4',
  formats: ['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4'],
  granularity: 'row',
  scale: 'absmax',
  scaleRule: 'floor',
  clip: null,
  rounding: 'rne',
  seed: 0,
  transform: 'none',
  weightFormat: null,
  sample: 'activation',
  size: 1024,
  sampleSeed: 0,
  file: null,
  tensor: null,
  row: 0,
  block: 0,
  line: 'linear',
  cmap: 'viridis',
  hide: [],
  weightTensor: null,
  outliers: null,
  r0: null,
  r1: null,
  c0: null,
  c1: null,
  colourScale: 'linear',
  barScale: 'log',
  errorMode: 'abs',
  channel: null,
  methodsAwq: null,
  methodsRank: 32,
  methodsAlpha: 0.5,
  scanFormats: ['int8', 'fp8_e4m3', 'mxfp4', 'nvfp4', 'int4@group:128'],
  targetBits: 4.5,
} satisfies Config) as Readonly<Config>;

export function defaultConfig(): Config {
  return { ...DEFAULT_CONFIG, formats: [...DEFAULT_CONFIG.formats], hide: [], scanFormats: [...DEFAULT_CONFIG.scanFormats] };
}

export const MAX_COMPARE = 6;

/**
 * The quantization options a config sets for every format (granularity, scale,
 * scale rule, clip, rounding, seed): the CLI's flags under their URL names.
 */
export function quantBaseOf(c: Config): Omit<QuantOptions, 'format'> {
  return {
    ...DEFAULT_QUANT_OPTIONS,
    granularity: parseGranularity(c.granularity),
    scale: c.scale,
    scaleRule: c.scaleRule,
    clip: c.clip ?? undefined,
    rounding: c.rounding,
    seed: c.seed,
  };
}

/** "act [4096, 4096]": the tensor a result is for, in captions. */
export function tensorText(t: { name: string; shape: readonly number[] }): string {
  return `${t.name} [${t.shape.join(', ')}]`;
}

/** "granularity row, scale absmax, transform smooth:0.5": the options for captions. */
export function optionsText(c: Config): string {
  const parts = [`granularity ${c.granularity}`, `scale ${c.scale}`];
  if (c.scaleRule !== 'floor') parts.push(`scale-rule ${c.scaleRule}`);
  if (c.clip !== null) parts.push(`clip ${c.clip}`);
  if (c.rounding !== 'rne') parts.push(`rounding ${c.rounding} seed ${c.seed}`);
  parts.push(`transform ${c.transform}`);
  return parts.join(', ');
}
