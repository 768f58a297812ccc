/**
 * Block-format quantizers (DOMAIN.md §3 block table): MX*, NVFP4, NF4, Q8_0,
 * Q4_0. Blocks run along the last axis of the 2-D view and never cross rows.
 * Block formats ignore `granularity`, `scale` and `clip` (their scaling is part
 * of the format); `scaleRule` applies to MX formats only. `rounding=stochastic`
 * applies to MX and NVFP4 element casts (DOMAIN.md §4); NF4, Q8_0 and Q4_0
 * always round as their reference implementations do (nearest / GGML rounding).
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantOptions } from '../quant/options.ts';
import type { QuantizeResult, QuantContext } from '../quant/types.ts';
import { BLOCK_FORMAT_IDS, type BlockFormatId } from './registry.ts';
import { isMxFormat, quantizeMx } from './mx.ts';
import { quantizeNvfp4 } from './nvfp4.ts';
import { quantizeNf4 } from './codebook.ts';
import { quantizeQ4_0, quantizeQ8_0 } from './ggml.ts';

export function isBlockFormat(id: string): id is BlockFormatId {
  return (BLOCK_FORMAT_IDS as readonly string[]).includes(id);
}

/**
 * Quantize x (row-major [rows, cols]) to the block format `opts.format`; x̂ is
 * written into `out` when given (it may alias x.data). `ctx` places a row slice
 * in the full tensor (stochastic draw indices, NVFP4's tensor amax).
 */
export function quantizeBlockFormat(x: Tensor2D, opts: QuantOptions, out?: Float32Array, ctx?: QuantContext): QuantizeResult {
  const f = opts.format;
  if (isMxFormat(f)) return quantizeMx(x, f, { rule: opts.scaleRule, rounding: opts.rounding, seed: opts.seed }, out, ctx);
  switch (f) {
    case 'nvfp4': return quantizeNvfp4(x, opts.rounding, opts.seed, out, ctx);
    case 'nf4': return quantizeNf4(x, out);
    case 'q8_0': return quantizeQ8_0(x, out);
    case 'q4_0': return quantizeQ4_0(x, out);
    default:
      throw new Error(`"${f}" is not a block format; valid block formats: ${BLOCK_FORMAT_IDS.join(', ')}`);
  }
}
