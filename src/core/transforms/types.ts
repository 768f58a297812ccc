/**
 * Shared types of the transforms (DOMAIN §5). A transform never calls the
 * quantizer itself by import: it takes a `Quantizer` callback that returns x̂
 * for a tensor (the format, granularity, scale and rounding are bound by the
 * caller), so every transform can be tested with a tiny stand-in quantizer.
 */
import type { Tensor2D } from '../tensor.ts';

/** x ↦ x̂ (same length, row-major over x's 2-D view), e.g. `(x) => quantize(x, opts).xhat` */
export type Quantizer = (x: Tensor2D) => Float32Array;

export type { LongRunOptions } from '../linalg/progress.ts';

/** A Tensor2D over `data` with the 2-D shape [rows, cols]. */
export function like(data: Float32Array, rows: number, cols: number): Tensor2D {
  return { data, rows, cols, shape: [rows, cols] };
}

/** Throws the house error when an activation X [T, C] and a weight W [O, C] disagree on C. */
export function checkPair(x: Tensor2D, w: Tensor2D, what: string): void {
  if (x.cols !== w.cols) {
    throw new Error(
      `${what} needs the activation's channels to match the weight's input features, but X has ${x.cols} and W has ${w.cols}; give X [tokens, C] and W [out, C]`,
    );
  }
}
