/**
 * The `transform=` option (DOMAIN §5, §7): parse and canonical text form.
 * Canonical text omits defaults (smooth:0.5 → "smooth", svdquant:32:0.5 →
 * "svdquant:32"), so formatTransform(parseTransform(t)) is stable for links.
 * Block sizes are checked against the tensor later (checkHadamardBlock), when
 * the last axis is known. `outliers=Q` is a separate option (outliers.ts).
 */
export type Transform =
  | { kind: 'none' }
  | { kind: 'smooth'; alpha: number }
  | { kind: 'hadamard'; block: number }
  | { kind: 'random-hadamard'; block: number }
  /** alpha undefined: search α ∈ {0, 0.05, …, 1} */
  | { kind: 'awq'; alpha?: number }
  | { kind: 'svdquant'; rank: number; alpha: number };

export type TransformKind = Transform['kind'];

export const TRANSFORM_HELP =
  'none, smooth, smooth:ALPHA, hadamard:G, random-hadamard:G, awq, awq:ALPHA or svdquant:RANK[:ALPHA] (ALPHA from 0 to 1, G a power of two, RANK ≥ 1)';

const NUM = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT = /^[1-9]\d{0,8}$/;

function parseAlpha(text: string, whole: string): number {
  const a = Number(text);
  if (!NUM.test(text) || !(a >= 0 && a <= 1)) {
    throw new Error(`transform "${whole}" needs α between 0 and 1 (e.g. smooth:0.5), got "${text}"`);
  }
  return a;
}

export function parseTransform(text: string): Transform {
  const whole = text.trim();
  const [name, ...args] = whole.split(':');
  const bad = (): never => {
    throw new Error(`unknown transform "${text}"; valid: ${TRANSFORM_HELP}`);
  };
  switch (name) {
    case 'none':
      if (args.length) bad();
      return { kind: 'none' };
    case 'smooth':
      if (args.length > 1) bad();
      return { kind: 'smooth', alpha: args.length ? parseAlpha(args[0], whole) : 0.5 };
    case 'awq':
      if (args.length > 1) bad();
      return args.length ? { kind: 'awq', alpha: parseAlpha(args[0], whole) } : { kind: 'awq' };
    case 'hadamard':
    case 'random-hadamard': {
      if (args.length !== 1) {
        throw new Error(`transform "${text}" needs a block size: ${name}:G with G a power of two (e.g. ${name}:128)`);
      }
      const g = Number(args[0]);
      if (!INT.test(args[0]) || (g & (g - 1)) !== 0) {
        throw new Error(`${name}:${args[0]} needs a power-of-two block size; valid: 1, 2, 4, 8, …, up to the last axis`);
      }
      return { kind: name, block: g };
    }
    case 'svdquant': {
      if (args.length < 1 || args.length > 2 || !INT.test(args[0])) {
        throw new Error(`transform "${text}" needs a rank: svdquant:RANK or svdquant:RANK:ALPHA with RANK a whole number ≥ 1 (e.g. svdquant:32)`);
      }
      return { kind: 'svdquant', rank: Number(args[0]), alpha: args.length > 1 ? parseAlpha(args[1], whole) : 0.5 };
    }
    case 'outliers':
      throw new Error('outliers is a separate option, not a transform: use outliers=Q with 0 < Q < 1 (e.g. outliers=0.999)');
    default:
      return bad();
  }
}

export function formatTransform(t: Transform): string {
  switch (t.kind) {
    case 'none': return 'none';
    case 'smooth': return t.alpha === 0.5 ? 'smooth' : `smooth:${t.alpha}`;
    case 'awq': return t.alpha === undefined ? 'awq' : `awq:${t.alpha}`;
    case 'hadamard':
    case 'random-hadamard': return `${t.kind}:${t.block}`;
    case 'svdquant': return t.alpha === 0.5 ? `svdquant:${t.rank}` : `svdquant:${t.rank}:${t.alpha}`;
  }
}

/** True for transforms that need an activation/weight pair (X and W). */
export function transformNeedsPair(t: Transform): boolean {
  return t.kind === 'smooth' || t.kind === 'awq' || t.kind === 'svdquant';
}
