/**
 * Storage cost in bits per element (DOMAIN.md §3 "Bits per element"): element
 * bits + scale bits / block, with the nominal group size (the figures DOMAIN
 * names: MXFP4 4.25, NVFP4 4.5 + 32/n, q8_0 8.5, q4_0 4.5, nf4 4.5; per-group
 * float32 scales add 32/G). A ragged last group is priced as if it were full;
 * this is the reading DOMAIN's round figures imply.
 *   scalar formats  elementBits + 32/G   (row: G = cols, column: G = rows,
 *                   tensor: G = numel, group:G: G, block:RxC: G = R·C)
 *   int4_asym       4 + 32/G             (the zero point is not priced, as DOMAIN gives no figure for it)
 *   bf16, fp16      16
 *   MX* (32, E8M0)  elementBits + 8/32   (MXFP4 4.25, MXFP8 8.25, MXINT8 8.25)
 *   nvfp4           4 + 8/16 + 32/numel  (E4M3 per 16 + one float32 per tensor)
 *   nf4             4 + 32/64 = 4.5      (float32 absmax per 64)
 *   q8_0 / q4_0     8 + 16/32 = 8.5 / 4 + 16/32 = 4.5 (fp16 per 32)
 * The scale option does not change the price: pow2 and pow2-row scales are
 * still stored as float32 per group (DOMAIN prices every group scale at 32 bits).
 */
import { getFormat, type FormatId } from '../formats/registry.ts';
import type { Granularity, ScaleOption } from './options.ts';

/** Elements sharing one scale, nominally (DOMAIN's G). */
export function nominalGroupSize(granularity: Granularity, cols: number, rows: number): number {
  switch (granularity.kind) {
    case 'tensor': return rows * cols;
    case 'row': return cols;
    case 'column': return rows;
    case 'group': return granularity.size;
    case 'block': return granularity.rows * granularity.cols;
  }
}

/** `scale` is accepted for callers that pass their options through; it does not change the price (see above). */
export function bitsPerElement(format: FormatId, granularity: Granularity, cols: number, rows: number, scale?: ScaleOption): number {
  void scale;
  const spec = getFormat(format);
  const numel = rows * cols;
  if (spec.kind === 'unscaled') return spec.elementBits;
  if (numel <= 0) return spec.elementBits;
  if (spec.kind === 'block') {
    const tensorBits = spec.scaleKind === 'e4m3-f32' ? 32 / numel : 0;
    return spec.elementBits + spec.scaleBits / (spec.blockSize ?? 1) + tensorBits;
  }
  return spec.elementBits + 32 / Math.max(1, nominalGroupSize(granularity, cols, rows));
}
