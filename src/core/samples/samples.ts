/**
 * Built-in synthetic tensors (issue 4): seeded, reproducible everywhere, and
 * shaped like the real thing. Every element is a pure function of
 * (kind, size, seed, row, col): element i = r·cols + c uses mulberry32 draws
 * 2i and 2i+1 (Box–Muller / Bailey), so any row slice can be generated on its
 * own (one worker per slice) and equals the same rows of the full tensor.
 * Per-channel parameters come from a second mulberry32 stream (seed ^ CHANNEL_SALT)
 * shared by the activation and the weight, so the pair has the same outlier
 * channels (SmoothQuant / AWQ need X [T, C] and W [O, C] to share C).
 */
import { mulberry32At } from '../rng.ts';
import type { Tensor2D } from '../tensor.ts';

export const SAMPLE_KINDS = ['activation', 'weight', 'heavy-tail', 'gradient'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];
export const SAMPLE_SIZES = [256, 512, 1024, 2048, 4096] as const;
export type SampleSize = (typeof SAMPLE_SIZES)[number];

export interface SampleSpec {
  kind: SampleKind;
  /** the tensor is [size, size] */
  size: SampleSize;
  /** unsigned 32-bit seed */
  seed: number;
}

export const SAMPLE_INFO: Record<SampleKind, { label: string; description: string }> = {
  activation: {
    label: 'LLM activation [tokens, channels]',
    description: 'Gaussian-ish activations with a handful of massive outlier channels (tens to hundreds × the rest, as LLM.int8 and SmoothQuant report) and a large first "attention sink" token.',
  },
  weight: {
    label: 'Linear weight [out, in]',
    description: 'Gaussian-ish weight (std ≈ 1/√in) with a few salient input columns, the same channels as the activation outliers, so the pair works with SmoothQuant and AWQ.',
  },
  'heavy-tail': {
    label: 'Heavy-tailed (Student-t, ν = 3)',
    description: 'Student-t values with 3 degrees of freedom: most values small, rare ones very large. Shows how one scale per row wastes levels.',
  },
  gradient: {
    label: 'Smooth gradient (teaching)',
    description: 'A smooth wave plus a ramp from −4 to 4 and a little noise: every magnitude is present, so the value grid of a format shows up directly in the error.',
  },
};

const CHANNEL_SALT = 0x5bd1e995;
const TWO_PI = 2 * Math.PI;
const INV_2_32 = 1 / 4294967296;

/** uniform in (0, 1]: never 0, safe for log */
const uOpen = (seed: number, i: number): number => (mulberry32At(seed, i) + 1) * INV_2_32;

/** Channel parameters shared by activation and weight: scale per channel and outlier channels. */
export interface ChannelPlan {
  /** multiplicative scale of each channel (≈ 0.5…2 for ordinary channels) */
  scale: Float32Array;
  /** indices of the outlier channels, ascending */
  outliers: number[];
}

/** A handful of outlier channels: 4 at 256 wide, up to 8 at 4096 wide. */
export function channelPlan(cols: number, seed: number): ChannelPlan {
  const s = (seed ^ CHANNEL_SALT) >>> 0;
  const scale = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    // log-normal-ish spread of ordinary channels: exp(0.35·z)
    const z = Math.sqrt(-2 * Math.log(uOpen(s, 2 * c))) * Math.cos(TWO_PI * uOpen(s, 2 * c + 1));
    scale[c] = Math.exp(0.35 * z);
  }
  const count = Math.min(8, 4 + Math.floor(Math.log2(Math.max(1, cols / 256))));
  const outliers = new Set<number>();
  for (let k = 0; outliers.size < Math.min(count, cols); k++) {
    outliers.add(mulberry32At(s, 2 * cols + k) % cols);
  }
  const list = [...outliers].sort((a, b) => a - b);
  list.forEach((c, k) => {
    // magnitudes log-spaced from 20× to 200× the ordinary channels, ±20% jitter
    const t = list.length > 1 ? k / (list.length - 1) : 1;
    scale[c] = 20 * 10 ** t * (0.8 + 0.4 * mulberry32At(s, 3 * cols + k) * INV_2_32);
  });
  return { scale, outliers: list };
}

/** Generate rows [r0, r1) of the sample; the result has (r1 − r0)·size elements. */
export function generateSampleRows(spec: SampleSpec, r0: number, r1: number): Float32Array {
  const { kind, size, seed } = spec;
  const cols = size;
  if (!(r0 >= 0 && r1 <= size && r0 <= r1)) throw new Error(`rows [${r0}, ${r1}) outside a ${size}-row sample`);
  const out = new Float32Array((r1 - r0) * cols);
  const s = seed >>> 0;
  const normal = (i: number): number =>
    Math.sqrt(-2 * Math.log(uOpen(s, 2 * i))) * Math.cos(TWO_PI * uOpen(s, 2 * i + 1));
  if (kind === 'activation' || kind === 'weight') {
    const plan = channelPlan(cols, s);
    const isOutlier = new Uint8Array(cols);
    for (const c of plan.outliers) isOutlier[c] = 1;
    const std = kind === 'weight' ? 1 / Math.sqrt(cols) : 1;
    for (let r = r0; r < r1; r++) {
      const rowBase = r * cols;
      const o = (r - r0) * cols;
      // activation: token 0 is an "attention sink" with 8× larger values
      const tokenScale = kind === 'activation' && r === 0 ? 8 : 1;
      for (let c = 0; c < cols; c++) {
        const z = normal(rowBase + c);
        let v: number;
        if (kind === 'activation') {
          // outlier channels carry a systematic offset (same sign over tokens) plus noise
          v = isOutlier[c] ? plan.scale[c] * (0.8 + 0.25 * z) * (c & 1 ? -1 : 1) : plan.scale[c] * z * tokenScale;
        } else {
          // salient input columns are 4× larger; ordinary columns have a mild spread
          v = std * z * (isOutlier[c] ? 4 : Math.sqrt(plan.scale[c]));
        }
        out[o + c] = v;
      }
    }
  } else if (kind === 'heavy-tail') {
    // Bailey's polar method for Student-t (ν = 3): t = sqrt(ν(U^(−2/ν) − 1))·cos(2πV)
    const nu = 3;
    for (let r = r0; r < r1; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const u = uOpen(s, 2 * i);
        out[(r - r0) * cols + c] = Math.sqrt(nu * (u ** (-2 / nu) - 1)) * Math.cos(TWO_PI * uOpen(s, 2 * i + 1));
      }
    }
  } else {
    const phase = (mulberry32At(s, 0) * INV_2_32) * TWO_PI;
    for (let r = r0; r < r1; r++) {
      const fr = r / size;
      for (let c = 0; c < cols; c++) {
        const fc = c / cols;
        const i = r * cols + c;
        const noise = 0.02 * (mulberry32At(s, 2 * i + 1) * INV_2_32 - 0.5);
        out[(r - r0) * cols + c] = 8 * fc - 4 + 1.5 * Math.sin(TWO_PI * 2 * fr + phase) * Math.cos(TWO_PI * 3 * fc) + noise;
      }
    }
  }
  return out;
}

/** The full sample as a [size, size] tensor. */
export function generateSample(spec: SampleSpec): Tensor2D {
  return { data: generateSampleRows(spec, 0, spec.size), rows: spec.size, cols: spec.size, shape: [spec.size, spec.size] };
}

export function isSampleKind(s: string): s is SampleKind {
  return (SAMPLE_KINDS as readonly string[]).includes(s);
}

export function isSampleSize(n: number): n is SampleSize {
  return (SAMPLE_SIZES as readonly number[]).includes(n);
}
