/**
 * The one entry point the worker, the CLI and the tests call (DOMAIN.md §3):
 * quantize a 2-D tensor (or a row slice of one) to any format and return x̂.
 *   kind 'scalar'   → scalarQuantize.ts (float32 scale per group)
 *   kind 'unscaled' → bf16/fp16 plain cast (no scale, granularity ignored)
 *   kind 'block'    → formats/blockQuantize.ts (MX*, NVFP4, NF4, Q8_0, Q4_0)
 * `out` (length ≥ rows·cols) receives x̂ and may alias x.data. `ctx` places a
 * row slice in the full tensor (types.ts QuantContext).
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantOptions } from './options.ts';
import type { QuantContext, QuantizeResult } from './types.ts';
import { getFormat } from '../formats/registry.ts';
import { BF16 } from '../formats/minifloat.ts';

const BF16_MAX = BF16.spec.max;
import { quantizeBlockFormat } from '../formats/blockQuantize.ts';
import { quantizeScalar } from './scalarQuantize.ts';
import { castElementArray, castElementArrayStochastic } from '../formats/elementCast.ts';

export function quantize(x: Tensor2D, opts: QuantOptions, out?: Float32Array, ctx?: QuantContext): QuantizeResult {
  const spec = getFormat(opts.format);
  const n = x.rows * x.cols;
  if (x.data.length < n) throw new Error(`tensor data has ${x.data.length} values but its shape needs ${n}`);
  if (out !== undefined && out.length < n) throw new Error(`output buffer has ${out.length} elements but the tensor has ${n}`);
  if (opts.rounding === 'stochastic' && !(Number.isInteger(opts.seed) && opts.seed >= 0 && opts.seed <= 4294967295)) {
    throw new Error(`seed must be a whole number from 0 to 4294967295, got ${opts.seed}`);
  }
  switch (spec.kind) {
    case 'scalar': return quantizeScalar(x, opts, out, ctx);
    case 'unscaled': return quantizeUnscaled(x, opts, out, ctx);
    case 'block': return quantizeBlockFormat(x, opts, out, ctx);
  }
}

/**
 * bf16 / fp16: x̂ = cast(x) (RNE, or stochastic with draws at global indices).
 * `saturated` counts finite inputs that overflowed to ±Inf (DOMAIN §2).
 */
export function quantizeUnscaled(x: Tensor2D, opts: QuantOptions, out?: Float32Array, ctx?: QuantContext): QuantizeResult {
  const id = opts.format;
  if (id !== 'bf16' && id !== 'fp16') throw new Error(`format ${id} is not an unscaled format; valid: bf16, fp16`);
  const n = x.rows * x.cols;
  const src = x.data.length === n ? x.data : x.data.subarray(0, n);
  const xhat = out ?? new Float32Array(n);
  const dst = xhat.length === n ? xhat : xhat.subarray(0, n);
  // DOMAIN §6: saturated = finite |x| > max (fp16 65504, bf16 0x7F7F); of these,
  // |x| ≥ the midpoint above max (fp16 65520) overflow to ±Inf and are also
  // non-finite in the metrics. Counted before the cast because out may alias x.
  const saturated = countAbove(src, getFormat(id).max ?? BF16_MAX);
  if (opts.rounding === 'stochastic') castElementArrayStochastic(id, src, dst, opts.seed >>> 0, (ctx?.rowOffset ?? 0) * x.cols);
  else castElementArray(id, src, dst);
  return { xhat, saturated };
}

/**
 * Finite |x| > max. A function of its own: inside quantizeUnscaled V8 ran the loop in
 * on-stack-replaced code that deoptimized on leaving it at every call.
 */
function countAbove(src: Float32Array, max: number): number {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const a = Math.abs(src[i]);
    if (a > max && a !== Infinity) n++;
  }
  return n;
}
