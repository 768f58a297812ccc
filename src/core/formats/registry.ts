/**
 * Every number format quantscope knows, described once, as data
 * (DOMAIN.md §2–3). Menus, URL enums, value grids, docs and fixture tests all
 * iterate over FORMATS. Format ids are lowercase and never change: they live in
 * shared links and CLI flags.
 */

export const ELEMENT_FORMAT_IDS = [
  'int8', 'int4', 'int4_asym', 'fp8_e4m3', 'fp8_e5m2', 'fp6_e2m3', 'fp6_e3m2', 'fp4_e2m1', 'bf16', 'fp16',
] as const;
export const BLOCK_FORMAT_IDS = [
  'mxfp8_e4m3', 'mxfp8_e5m2', 'mxfp6_e2m3', 'mxfp6_e3m2', 'mxfp4', 'mxint8', 'nvfp4', 'nf4', 'q8_0', 'q4_0',
] as const;

export type ElementFormatId = (typeof ELEMENT_FORMAT_IDS)[number];
export type BlockFormatId = (typeof BLOCK_FORMAT_IDS)[number];
export type FormatId = ElementFormatId | BlockFormatId;

/**
 * How a format is scaled:
 *  - `group-f32`: one float32 scale per group; the granularity applies (DOMAIN §3).
 *  - `group-f32-zp`: float32 scale plus an integer zero point per group (int4_asym).
 *  - `none`: a plain cast, no scale (bf16, fp16); the granularity is ignored.
 *  - `e8m0`: OCP MX power-of-two scale per block of 32 along the last axis.
 *  - `e4m3-f32`: NVFP4 two-level scale (E4M3 per 16-block × float32 per tensor).
 *  - `f32-absmax`: NF4, float32 absmax per block of 64.
 *  - `f16`: GGML fp16 scale per block of 32.
 */
export type ScaleKind = 'group-f32' | 'group-f32-zp' | 'none' | 'e8m0' | 'e4m3-f32' | 'f32-absmax' | 'f16';

export interface FloatLayout {
  expBits: number;
  manBits: number;
  bias: number;
}

export interface FormatSpec {
  id: FormatId;
  /** short human label, e.g. "FP8 E4M3" */
  label: string;
  kind: 'scalar' | 'unscaled' | 'block';
  /** bits of one stored element (without scales) */
  elementBits: number;
  /** the element format (scalar formats: itself; block formats: what their elements are) */
  element: ElementFormatId | 'mxint8_element' | 'nf4_code' | 'q8_0_int' | 'q4_0_int';
  /** largest finite element magnitude (before any scale), if meaningful */
  max?: number;
  /** float layout of the element, for the bit-layout view */
  layout?: FloatLayout;
  /** elements per block along the last axis (block formats) */
  blockSize?: number;
  scaleKind: ScaleKind;
  /** bits of each stored scale (per group/block) */
  scaleBits: number;
  /** one paragraph in plain words, for teaching */
  description: string;
}

const fp = (expBits: number, manBits: number, bias: number): FloatLayout => ({ expBits, manBits, bias });

export const FORMATS: readonly FormatSpec[] = [
  {
    id: 'int8', label: 'INT8', kind: 'scalar', elementBits: 8, element: 'int8', max: 127, scaleKind: 'group-f32', scaleBits: 32,
    description: 'Symmetric 8-bit integers −127…127 times one float32 scale per group. The grid is evenly spaced, so it is precise when values are spread evenly and wastes levels when one outlier sets the scale.',
  },
  {
    id: 'int4', label: 'INT4', kind: 'scalar', elementBits: 4, element: 'int4', max: 7, scaleKind: 'group-f32', scaleBits: 32,
    description: 'Symmetric 4-bit integers −7…7 times a float32 scale. Only 15 levels: small groups (e.g. 128 or 32 elements) are needed to keep the error down.',
  },
  {
    id: 'int4_asym', label: 'INT4 asym', kind: 'scalar', elementBits: 4, element: 'int4_asym', scaleKind: 'group-f32-zp', scaleBits: 32,
    description: 'Unsigned 4-bit codes 0…15 with a per-group scale and zero point, so the 16 levels cover [min, max] of the group instead of a symmetric range: better for skewed data such as post-ReLU activations.',
  },
  {
    id: 'fp8_e4m3', label: 'FP8 E4M3', kind: 'scalar', elementBits: 8, element: 'fp8_e4m3', max: 448, layout: fp(4, 3, 7), scaleKind: 'group-f32', scaleBits: 32,
    description: 'OCP 8-bit float with 4 exponent and 3 mantissa bits (E4M3FN: no infinities, max 448). Relative precision is the same at every magnitude, so it copes with bell-shaped weights and activations better than INT8 at the same bits.',
  },
  {
    id: 'fp8_e5m2', label: 'FP8 E5M2', kind: 'scalar', elementBits: 8, element: 'fp8_e5m2', max: 57344, layout: fp(5, 2, 15), scaleKind: 'group-f32', scaleBits: 32,
    description: 'OCP 8-bit float with 5 exponent and 2 mantissa bits: a huge range (up to 57344) but coarser steps than E4M3. Used for gradients, which span many orders of magnitude.',
  },
  {
    id: 'fp6_e2m3', label: 'FP6 E2M3', kind: 'scalar', elementBits: 6, element: 'fp6_e2m3', max: 7.5, layout: fp(2, 3, 1), scaleKind: 'group-f32', scaleBits: 32,
    description: 'OCP MX 6-bit float, 2 exponent and 3 mantissa bits, max 7.5: nearly uniform steps, close to INT6 with a little extra range.',
  },
  {
    id: 'fp6_e3m2', label: 'FP6 E3M2', kind: 'scalar', elementBits: 6, element: 'fp6_e3m2', max: 28, layout: fp(3, 2, 3), scaleKind: 'group-f32', scaleBits: 32,
    description: 'OCP MX 6-bit float, 3 exponent and 2 mantissa bits, max 28: more range, fewer steps per binade than E2M3.',
  },
  {
    id: 'fp4_e2m1', label: 'FP4 E2M1', kind: 'scalar', elementBits: 4, element: 'fp4_e2m1', max: 6, layout: fp(2, 1, 1), scaleKind: 'group-f32', scaleBits: 32,
    description: 'The 4-bit float of MXFP4 and NVFP4: only ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}. With so few values a scale must map each small block onto this grid; one scale per tensor or row loses most small values.',
  },
  {
    id: 'bf16', label: 'BF16', kind: 'unscaled', elementBits: 16, element: 'bf16', layout: fp(8, 7, 127), scaleKind: 'none', scaleBits: 0,
    description: 'bfloat16: float32\'s 8-bit exponent with a 7-bit mantissa. Same range as float32, about 3 significant digits; needs no scale. The usual training and storage format.',
  },
  {
    id: 'fp16', label: 'FP16', kind: 'unscaled', elementBits: 16, element: 'fp16', max: 65504, layout: fp(5, 10, 15), scaleKind: 'none', scaleBits: 0,
    description: 'IEEE half precision: 10 mantissa bits (more precise than BF16) but max 65504, so large activations overflow to infinity.',
  },
  {
    id: 'mxfp8_e4m3', label: 'MXFP8 E4M3', kind: 'block', elementBits: 8, element: 'fp8_e4m3', max: 448, layout: fp(4, 3, 7), blockSize: 32, scaleKind: 'e8m0', scaleBits: 8,
    description: 'OCP Microscaling: 32 FP8 E4M3 elements share one 8-bit power-of-two (E8M0) scale. The scale costs 0.25 bits per element; power-of-two scales make rescaling a cheap exponent add.',
  },
  {
    id: 'mxfp8_e5m2', label: 'MXFP8 E5M2', kind: 'block', elementBits: 8, element: 'fp8_e5m2', max: 57344, layout: fp(5, 2, 15), blockSize: 32, scaleKind: 'e8m0', scaleBits: 8,
    description: 'OCP Microscaling with E5M2 elements: blocks of 32 share an E8M0 scale.',
  },
  {
    id: 'mxfp6_e2m3', label: 'MXFP6 E2M3', kind: 'block', elementBits: 6, element: 'fp6_e2m3', max: 7.5, layout: fp(2, 3, 1), blockSize: 32, scaleKind: 'e8m0', scaleBits: 8,
    description: 'OCP Microscaling with FP6 E2M3 elements and an E8M0 scale per 32.',
  },
  {
    id: 'mxfp6_e3m2', label: 'MXFP6 E3M2', kind: 'block', elementBits: 6, element: 'fp6_e3m2', max: 28, layout: fp(3, 2, 3), blockSize: 32, scaleKind: 'e8m0', scaleBits: 8,
    description: 'OCP Microscaling with FP6 E3M2 elements and an E8M0 scale per 32.',
  },
  {
    id: 'mxfp4', label: 'MXFP4', kind: 'block', elementBits: 4, element: 'fp4_e2m1', max: 6, layout: fp(2, 1, 1), blockSize: 32, scaleKind: 'e8m0', scaleBits: 8,
    description: 'OCP MXFP4: 32 FP4 E2M1 values share one power-of-two (E8M0) scale, 4.25 bits per element. The OCP rule floor(log2 amax) − 2 can leave the block maximum above 6 after scaling, so the largest elements of many blocks are clipped.',
  },
  {
    id: 'mxint8', label: 'MXINT8', kind: 'block', elementBits: 8, element: 'mxint8_element', max: 127 / 64, blockSize: 32, scaleKind: 'e8m0', scaleBits: 8,
    description: 'OCP MXINT8: 8-bit integers read as fixed point (−127…127 × 2^−6) with an E8M0 scale per 32: INT8 precision with a per-block exponent.',
  },
  {
    id: 'nvfp4', label: 'NVFP4', kind: 'block', elementBits: 4, element: 'fp4_e2m1', max: 6, layout: fp(2, 1, 1), blockSize: 16, scaleKind: 'e4m3-f32', scaleBits: 8,
    description: 'NVIDIA NVFP4: blocks of 16 FP4 values with an FP8 E4M3 scale each, times one float32 scale per tensor (two-level scaling). The E4M3 scale is finer than a power of two, so less of the grid is wasted than with MXFP4.',
  },
  {
    id: 'nf4', label: 'NF4', kind: 'block', elementBits: 4, element: 'nf4_code', max: 1, blockSize: 64, scaleKind: 'f32-absmax', scaleBits: 32,
    description: 'QLoRA NormalFloat-4: 16 values placed at quantiles of a normal distribution, times a float32 absmax per 64 elements. Good for Gaussian-like weights; the codebook is a lookup, not arithmetic.',
  },
  {
    id: 'q8_0', label: 'GGML Q8_0', kind: 'block', elementBits: 8, element: 'q8_0_int', max: 127, blockSize: 32, scaleKind: 'f16', scaleBits: 16,
    description: 'llama.cpp Q8_0: 32 int8 values with one fp16 scale (amax/127), 8.5 bits per element. Rounds half away from zero.',
  },
  {
    id: 'q4_0', label: 'GGML Q4_0', kind: 'block', elementBits: 4, element: 'q4_0_int', max: 8, blockSize: 32, scaleKind: 'f16', scaleBits: 16,
    description: 'llama.cpp Q4_0: 32 4-bit codes offset by 8 with one fp16 scale set by the signed largest element (d = max/−8), 4.5 bits per element. Asymmetric: −8 is reachable, +8 is not.',
  },
];

const BY_ID = new Map<string, FormatSpec>(FORMATS.map((f) => [f.id, f]));

export function isFormatId(id: string): id is FormatId {
  return BY_ID.has(id);
}

/** The spec of `id`; throws a plain error naming the valid ids when unknown. */
export function getFormat(id: string): FormatSpec {
  const spec = BY_ID.get(id);
  if (!spec) throw new Error(`unknown format "${id}"; valid formats: ${FORMATS.map((f) => f.id).join(', ')}`);
  return spec;
}

export const ALL_FORMAT_IDS: readonly FormatId[] = FORMATS.map((f) => f.id);
