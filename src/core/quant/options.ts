/**
 * Quantization options, with the same names as the CLI flags and URL keys
 * (DOMAIN.md §3–4, §7). Parsing functions throw plain one-sentence errors that
 * say what is wrong and what is valid; callers show the message as is.
 */
import type { FormatId } from '../formats/registry.ts';

export type Granularity =
  | { kind: 'tensor' }
  | { kind: 'row' }
  | { kind: 'column' }
  /** G consecutive elements of a row; the last group of a row may be shorter */
  | { kind: 'group'; size: number }
  /** 2-D tiles of rows × cols; edge tiles may be smaller */
  | { kind: 'block'; rows: number; cols: number };

export type ScaleOption = 'absmax' | 'pow2' | 'pow2-row';
export type ScaleRule = 'floor' | 'ceil';
export type Rounding = 'rne' | 'stochastic';

export interface QuantOptions {
  format: FormatId;
  granularity: Granularity;
  scale: ScaleOption;
  /** MX formats only: OCP floor rule (default) or the non-clipping ceil rule */
  scaleRule: ScaleRule;
  /** clip quantile Q in (0, 1]; undefined = plain absmax */
  clip?: number;
  rounding: Rounding;
  /** mulberry32 seed for stochastic rounding (and random Hadamard signs) */
  seed: number;
}

export const DEFAULT_QUANT_OPTIONS: Omit<QuantOptions, 'format'> = {
  granularity: { kind: 'row' },
  scale: 'absmax',
  scaleRule: 'floor',
  rounding: 'rne',
  seed: 0,
};

export const GRANULARITY_HELP = 'tensor, row, column, group:G (e.g. group:128) or block:RxC (e.g. block:128x128)';

const POSITIVE_INT = /^[1-9][0-9]{0,8}$/;

export function parseGranularity(text: string): Granularity {
  const s = text.trim();
  if (s === 'tensor' || s === 'row' || s === 'column') return { kind: s };
  let m = /^group:(\d+)$/.exec(s);
  if (m && POSITIVE_INT.test(m[1])) return { kind: 'group', size: Number(m[1]) };
  m = /^block:(\d+)x(\d+)$/.exec(s);
  if (m && POSITIVE_INT.test(m[1]) && POSITIVE_INT.test(m[2])) return { kind: 'block', rows: Number(m[1]), cols: Number(m[2]) };
  throw new Error(`unknown granularity "${text}"; valid: ${GRANULARITY_HELP}`);
}

export function formatGranularity(g: Granularity): string {
  switch (g.kind) {
    case 'group': return `group:${g.size}`;
    case 'block': return `block:${g.rows}x${g.cols}`;
    default: return g.kind;
  }
}

export function parseScaleOption(s: string): ScaleOption {
  if (s === 'absmax' || s === 'pow2' || s === 'pow2-row') return s;
  throw new Error(`unknown scale "${s}"; valid: absmax, pow2, pow2-row`);
}

export function parseScaleRule(s: string): ScaleRule {
  if (s === 'floor' || s === 'ceil') return s;
  throw new Error(`unknown scale rule "${s}"; valid: floor (OCP) or ceil`);
}

export function parseRounding(s: string): Rounding {
  if (s === 'rne' || s === 'stochastic') return s;
  throw new Error(`unknown rounding "${s}"; valid: rne or stochastic`);
}

export function parseClip(s: string): number {
  const q = Number(s);
  if (!/^[0-9.eE+-]+$/.test(s) || !Number.isFinite(q) || q <= 0 || q > 1) {
    throw new Error(`clip must be a quantile Q with 0 < Q ≤ 1 (e.g. 0.999), got "${s}"`);
  }
  return q;
}

export function parseSeed(s: string): number {
  if (!/^[0-9]{1,10}$/.test(s) || Number(s) > 4294967295) {
    throw new Error(`seed must be a whole number from 0 to 4294967295, got "${s}"`);
  }
  return Number(s);
}
