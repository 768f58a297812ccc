/**
 * The guided lessons, as data. Each lesson is a view (a partial Config that
 * becomes a link through the one URL schema), a few sentences in plain words
 * with `{token}` placeholders for live numbers (facts.ts), and a question to
 * try. `tries` are further views the question asks for. Lesson ids live in
 * nothing but this file; the link is the shareable part.
 */
import { defaultConfig, type Config } from '../../state/config.ts';
import { encodeConfig } from '../../state/url/codec.ts';

export type View = Partial<Omit<Config, 'hide'>>;

export interface LessonTry {
  label: string;
  view: View;
}

export interface Lesson {
  id: string;
  title: string;
  view: View;
  /** paragraphs; `{token}` = a live number (facts.ts) */
  text: string[];
  question: string;
  tries: LessonTry[];
}

export const LESSONS: readonly Lesson[] = [
  {
    id: 'why-quantize',
    title: 'Why quantize: bytes and bandwidth',
    view: { sample: 'weight', formats: ['bf16', 'int8', 'mxfp4'], format: 'mxfp4' },
    text: [
      'A language model is mostly weights, and generating each token reads every weight from memory once. Memory size and speed both follow bits per element × number of parameters.',
      'Here BF16 stores {bits:bf16} per element, INT8 with one float32 scale per row {bits:int8}, and MXFP4 {bits:mxfp4} (4-bit elements plus one 8-bit scale per 32). This whole weight takes {kib:bf16} in BF16 and {kib:mxfp4} in MXFP4.',
      'For 7 billion parameters that is {gb7b:bf16} in BF16 against {gb7b:mxfp4} in MXFP4. At 1 TB/s of memory bandwidth the weights can be read at most {tps:bf16} times a second in BF16 and {tps:mxfp4} times in MXFP4: an upper bound on tokens per second.',
      'The price is error. SQNR (signal-to-quantization-noise ratio; higher is better) on this weight: BF16 {sqnr:bf16}, INT8 {sqnr:int8}, MXFP4 {sqnr:mxfp4}.',
    ],
    question: 'BF16 needs {ratio:bf16:mxfp4} the bits of MXFP4. Each bit removed should cost about 6 dB of SQNR. Does going from INT8 to MXFP4 follow that rule here?',
    tries: [{ label: 'The same on an LLM activation', view: { sample: 'activation', formats: ['bf16', 'int8', 'mxfp4'], format: 'mxfp4' } }],
  },
  {
    id: 'int8-vs-fp8',
    title: 'INT8 vs FP8: even steps or even ratios',
    view: { sample: 'heavy-tail', granularity: 'tensor', formats: ['int8', 'fp8_e4m3'], format: 'fp8_e4m3' },
    text: [
      'INT8 puts its 255 levels evenly between −max and +max. FP8 E4M3 spaces its levels by ratio: fine near zero, coarse near the top.',
      'This heavy-tailed tensor shares one scale, and its largest value is {peak} its standard deviation. Most values sit near zero, where INT8’s even steps are too coarse and FP8’s are fine.',
      'SQNR here: INT8 {sqnr:int8}, FP8 E4M3 {sqnr:fp8_e4m3}.',
    ],
    question: 'Switch to the Gaussian-like weight with one scale per row. Which format wins there, and why does an evenly spaced grid suit a bell curve without far outliers?',
    tries: [
      { label: 'Gaussian-like weight, scale per row', view: { sample: 'weight', granularity: 'row', formats: ['int8', 'fp8_e4m3'], format: 'fp8_e4m3' } },
    ],
  },
  {
    id: 'e4m3-vs-e5m2',
    title: 'FP8 E4M3 vs E5M2: precision or range',
    view: { sample: 'heavy-tail', granularity: 'tensor', formats: ['fp8_e4m3', 'fp8_e5m2'], format: 'fp8_e5m2' },
    text: [
      'Both are 8 bits. E4M3 spends 3 bits on the mantissa (the steps inside each power of two) and reaches {max:fp8_e4m3}; E5M2 keeps 2 mantissa bits and reaches {max:fp8_e5m2}.',
      'With a scale taken from the data, the extra range is not needed: the scale already maps the largest value to the top of the format. What is left is the step size, so E4M3 reaches {sqnr:fp8_e4m3} and E5M2 {sqnr:fp8_e5m2}, a gap of {dsqnr:fp8_e4m3:fp8_e5m2}.',
      'E5M2 earns its place where no good scale is known in advance, such as gradients in training, which can jump by orders of magnitude from one step to the next.',
    ],
    question: 'One more mantissa bit halves every step, which should be worth about 6 dB. Is the gap here close to that? Does it hold on the smooth gradient sample too?',
    tries: [{ label: 'Smooth gradient sample', view: { sample: 'gradient', granularity: 'tensor', formats: ['fp8_e4m3', 'fp8_e5m2'], format: 'fp8_e5m2' } }],
  },
  {
    id: 'outlier-channels',
    title: 'Outlier channels: why per-row scales do not save activations',
    view: { sample: 'activation', granularity: 'row', formats: ['int8', 'int4', 'fp8_e4m3'], format: 'int8' },
    text: [
      'In LLM activations [tokens, channels] a few channels are huge in every token. Here the largest channel peaks at {colRatio} the median channel.',
      'A per-row scale is one scale per token. Every token holds the outlier channels, so every row’s scale is set by them and the ordinary channels get only a few of INT8’s levels: SQNR {sqnr:int8} (INT4 {sqnr:int4}, FP8 E4M3 {sqnr:fp8_e4m3}).',
      'One scale per channel (per column) would fix it, but a matrix multiply sums over the channels, so a per-channel scale on X cannot be pulled out of that sum. Fast kernels allow per-token scales on X and per-output-channel scales on W, not this.',
    ],
    question: 'Try one scale per column: how much better is INT8, and why can a fast INT8 matmul not use it for activations?',
    tries: [{ label: 'One scale per column (channel)', view: { sample: 'activation', granularity: 'column', formats: ['int8', 'int4', 'fp8_e4m3'], format: 'int8' } }],
  },
  {
    id: 'smoothquant-hadamard',
    title: 'Moving outliers away: SmoothQuant’s α and the Hadamard rotation',
    view: { sample: 'activation', granularity: 'row', formats: ['int8', 'int4'], format: 'int8', transform: 'smooth:0.5' },
    text: [
      'SmoothQuant divides each activation channel by s = max|X|^α / max|W|^(1−α) and multiplies the matching weight row by the same s. X·W is unchanged, but part of the outlier moves into the weights. α = 0 leaves X alone; α = 1 moves it all.',
      'Before smoothing, the largest channel peaks at {colRatio} the median; after, at {colRatioAfter}. With this transform INT8 reaches {sqnr:int8} and INT4 {sqnr:int4}.',
      'A Hadamard rotation instead mixes each group of G channels with ±1 weights, so one outlier is shared by G values. Nothing moves into the weights; the energy is spread out.',
    ],
    question: 'Compare α = 0.5, α = 0.8 and a Hadamard rotation with G = 64. Which helps INT4 most, and what would α = 1 do to the weights?',
    tries: [
      { label: 'α = 0.8', view: { sample: 'activation', granularity: 'row', formats: ['int8', 'int4'], format: 'int8', transform: 'smooth:0.8' } },
      { label: 'Hadamard, G = 64', view: { sample: 'activation', granularity: 'row', formats: ['int8', 'int4'], format: 'int8', transform: 'hadamard:64' } },
      { label: 'No transform', view: { sample: 'activation', granularity: 'row', formats: ['int8', 'int4'], format: 'int8' } },
    ],
  },
  {
    id: 'mxfp4-nvfp4',
    title: 'Block scales: MXFP4’s floor rule and NVFP4’s two-level scale',
    view: { sample: 'weight', formats: ['mxfp4', 'nvfp4'], format: 'mxfp4', scaleRule: 'floor' },
    text: [
      'Both store 4-bit E2M1 elements (largest value {max:fp4_e2m1}) with a scale per small block. MXFP4 (OCP MX) has one power-of-two scale (E8M0) per 32 elements; NVFP4 has an FP8 E4M3 scale per 16 elements times one float32 scale for the whole tensor.',
      'The OCP rule picks the MX scale by rounding the block’s exponent down (floor). The block’s largest value can then land above {max:fp4_e2m1} and is clipped: {sat:mxfp4} elements here, in {blocksSat:mxfp4} of {blocks:mxfp4} blocks.',
      'NVFP4’s finer scale fits each block more closely: SQNR {sqnr:nvfp4} against {sqnr:mxfp4} for MXFP4, for {bits:nvfp4} instead of {bits:mxfp4} per element.',
    ],
    question: 'Switch the MX scale rule to ceil, which never clips. Does MXFP4’s SQNR go up or down? Why can clipping a few values be worth finer steps for all the others?',
    tries: [
      { label: 'MX scale rule: ceil', view: { sample: 'weight', formats: ['mxfp4', 'nvfp4'], format: 'mxfp4', scaleRule: 'ceil' } },
      { label: 'On an activation', view: { sample: 'activation', formats: ['mxfp4', 'nvfp4'], format: 'mxfp4', scaleRule: 'floor' } },
    ],
  },
  {
    id: 'w4a8-pow2',
    title: 'W4A8 and power-of-two scales (ZeroQuant-FP)',
    view: { sample: 'weight', granularity: 'group:128', scale: 'pow2', formats: ['int4', 'fp4_e2m1'], format: 'fp4_e2m1' },
    text: [
      'W4A8 stores weights in 4 bits and activations in 8. ZeroQuant-FP uses FP4 weights with FP8 activations and restricts every weight scale to a power of two, so turning an FP4 weight into FP8 for the multiply is only a shift of the exponent.',
      'Here every group of 128 weights gets a power-of-two scale, rounded up: INT4 reaches {sqnr:int4} and FP4 E2M1 {sqnr:fp4_e2m1}, at {bits:fp4_e2m1} per element (a power-of-two scale needs only an 8-bit exponent).',
    ],
    question: 'Set the scale back to absmax. How many dB does the power-of-two constraint cost each format, and which one minds less?',
    tries: [
      { label: 'Scale: absmax', view: { sample: 'weight', granularity: 'group:128', formats: ['int4', 'fp4_e2m1'], format: 'fp4_e2m1' } },
      { label: 'The A8 side: activation in FP8 and INT8', view: { sample: 'activation', formats: ['fp8_e4m3', 'int8'], format: 'fp8_e4m3' } },
    ],
  },
  {
    id: 'stochastic-rounding',
    title: 'Stochastic rounding: noisier, but unbiased',
    view: { sample: 'gradient', rounding: 'stochastic', formats: ['int4', 'fp8_e4m3'], format: 'int4' },
    text: [
      'Round-to-nearest always sends a value to the closest level. Stochastic rounding picks the level above or below at random, with odds set by the distance, so on average it gives back exactly the input: it is unbiased.',
      'Each single value gets more error: INT4 reaches {sqnr:int4} here. But the errors have no direction: their mean is {meanErr:int4}, against a typical (RMS) error of {rmsErr:int4}.',
      'That matters when many tiny updates are added up, as in low-precision training: round-to-nearest drops every update smaller than half a step, stochastic rounding keeps them on average.',
    ],
    question: 'Switch back to round-to-nearest: how much SQNR comes back? Then change the rounding seed: which numbers move, and which stay put?',
    tries: [{ label: 'Round to nearest', view: { sample: 'gradient', formats: ['int4', 'fp8_e4m3'], format: 'int4' } }],
  },
];

/** The full config a view stands for (defaults elsewhere); `hide` is kept from the current view. */
export function viewConfig(view: View, hide: Config['hide'] = []): Config {
  return { ...defaultConfig(), ...view, formats: [...(view.formats ?? defaultConfig().formats)], hide: [...hide] };
}

/** The shareable query of a view ("" for the default view), through the URL schema. */
export function viewQuery(view: View, hide: Config['hide'] = []): string {
  if (hide.length > 0) return encodeConfig(viewConfig(view, hide));
  let q = plainViewQueries.get(view);
  if (q === undefined) plainViewQueries.set(view, q = encodeConfig(viewConfig(view, hide)));
  return q;
}

/** viewQuery of each (constant) view with nothing hidden: the lesson panel asks on every store update */
const plainViewQueries = new WeakMap<View, string>();

/** Each lesson's query with nothing hidden (the views are constant: encoded once, not on every render). */
let lessonQueries: string[] | null = null;

/** the query of the last config asked about (store selectors ask on every store update, mostly with the same config) */
let lastQuery: { config: Config; query: string } | null = null;

/** encodeConfig of `config` with nothing hidden, kept for the last config object. */
export function shownQuery(config: Config): string {
  if (lastQuery?.config !== config) lastQuery = { config, query: encodeConfig({ ...config, hide: [] }) };
  return lastQuery.query;
}

/** The lesson whose view is exactly the current config (ignoring `hide`), or -1. */
export function lessonIndexOf(config: Config): number {
  lessonQueries ??= LESSONS.map((l) => viewQuery(l.view));
  return lessonQueries.indexOf(shownQuery(config));
}
