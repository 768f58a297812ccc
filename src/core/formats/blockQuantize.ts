/**
 * Block-format quantizers (DOMAIN.md §3 block table): MX*, NVFP4, NF4, Q8_0, Q4_0.
 * Blocks run along the last axis and never cross rows.
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantOptions } from '../quant/options.ts';
import type { QuantizeResult, QuantContext } from '../quant/types.ts';

export function quantizeBlockFormat(x: Tensor2D, opts: QuantOptions, out?: Float32Array, ctx?: QuantContext): QuantizeResult {
  void x; void out; void ctx;
  throw new Error(`block format ${opts.format} is not implemented yet`);
}
