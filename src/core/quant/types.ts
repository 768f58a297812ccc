/**
 * The result contract shared by every quantizer (scalar, block, unscaled).
 * All arrays are row-major over the 2-D view [rows, cols] (DOMAIN.md §1).
 */
export interface QuantizeResult {
  /** x̂ in the original space, same length as the input; written into `out` when given */
  xhat: Float32Array;
  /**
   * Elements with |y| > element max before the cast (DOMAIN.md §6); for bf16/fp16
   * the finite |x| > max (those past the rounding midpoint also overflow to ±Inf). Non-finite inputs are not counted here.
   */
  saturated: number;
  /**
   * Saturated count per scale group, for formats with fixed blocks along the last
   * axis (MX*, NVFP4, NF4, Q8_0, Q4_0): [rows, ceil(cols / blockSize)] row-major.
   */
  saturatedPerBlock?: Uint16Array;
  /** blocks per row for saturatedPerBlock / scales of block formats */
  blocksPerRow?: number;
  /** the float32 value of each group's / block's scale, in group order (for views) */
  scales?: Float32Array;
  /** MX formats: the E8M0 exponent E of each block (scale = 2^E, E in [−127, 127]), in block order */
  scaleExps?: Int16Array;
  /** NVFP4: the float32 per-tensor scale g = f32(amax_tensor / 2688) (0 when the tensor is all zero) */
  tensorScale?: number;
}

/**
 * Where `x` sits in the full tensor, for callers that split work by rows (a
 * worker pool). Without a context `x` is the whole tensor.
 */
export interface QuantContext {
  /**
   * Index of x's first row in the full tensor (default 0). Stochastic-rounding
   * draws use the global flat index (rowOffset + r)·cols + c, so any split gives
   * the same bits as one call on the whole tensor.
   */
  rowOffset?: number;
  /**
   * Finite max|x| of the WHOLE tensor when x is a row slice: used as the group
   * amax for `tensor` granularity (without clip) and as NVFP4's tensor amax;
   * when absent it is computed from x.
   */
  tensorAmax?: number;
  /**
   * The caller's store of the scalar formats' group absmax (plain absmax, no
   * clip) of this very x, kept across calls: another format, seed or rounding
   * with the same granularity on the same rows reuses it instead of reading
   * x again. Keyed by rowOffset, shape and group layout only, so x's values
   * must not change while the map is in use (a held tensor slice).
   */
  absmaxCache?: Map<string, Float32Array>;
}
