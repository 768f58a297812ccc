/**
 * Storage cost in bits per element (DOMAIN.md §3 "Bits per element"): element
 * bits + the bits of every stored scale (and zero point), averaged over the
 * tensor's actual elements. With ragged last groups/blocks or edge tiles this
 * is the true average (stored bits / numel); when the groups divide the tensor
 * evenly it equals the nominal numbers:
 *   scalar formats  elementBits + 32/G   (row: 32/cols, column: 32/rows,
 *                   tensor: 32/numel, group:G: 32/G, block:RxC: 32/(R·C))
 *   int4_asym       4 + (32 + 4)/G       (float32 scale + a 4-bit zero point per group)
 *   bf16, fp16      16
 *   MX* (32, E8M0)  elementBits + 8/32   (MXFP4 4.25, MXFP8 8.25, MXINT8 8.25)
 *   nvfp4           4 + 8/16 + 32/numel  (E4M3 per 16 + one float32 per tensor)
 *   nf4             4 + 32/64 = 4.5      (float32 absmax per 64)
 *   q8_0 / q4_0     8 + 16/32 = 8.5 / 4 + 16/32 = 4.5 (fp16 per 32)
 * Scale option (optional, default absmax): pow2 scales are powers of two, so
 * each needs only an 8-bit exponent (8/G); pow2-row stores one float32 per row
 * plus an 8-bit exponent per group (32/cols + 8/G). These are readings: DOMAIN
 * prices every per-group scale at 32 bits, which `absmax` follows.
 */
import { getFormat, type FormatId } from '../formats/registry.ts';
import type { Granularity, ScaleOption } from './options.ts';
import { groupLayout } from './granularity.ts';

export function bitsPerElement(format: FormatId, granularity: Granularity, cols: number, rows: number, scale: ScaleOption = 'absmax'): number {
  const spec = getFormat(format);
  const numel = rows * cols;
  if (spec.kind === 'unscaled') return spec.elementBits;
  if (numel <= 0) return spec.elementBits;
  if (spec.kind === 'block') {
    const blocks = rows * Math.ceil(cols / (spec.blockSize ?? 1));
    const tensorBits = spec.scaleKind === 'e4m3-f32' ? 32 : 0;
    return spec.elementBits + (blocks * spec.scaleBits + tensorBits) / numel;
  }
  const L = groupLayout(granularity, rows, cols);
  const zeroPointBits = spec.scaleKind === 'group-f32-zp' ? 4 : 0;
  let scaleBits: number;
  if (scale === 'pow2') scaleBits = L.numGroups * 8;
  else if (scale === 'pow2-row') scaleBits = rows * 32 + (granularity.kind === 'row' ? 0 : L.numGroups * 8);
  else scaleBits = L.numGroups * 32;
  return spec.elementBits + (scaleBits + L.numGroups * zeroPointBits) / numel;
}
