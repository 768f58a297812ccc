/**
 * OCP Microscaling (MX v1.0) block quantizers: MXFP8 (E4M3, E5M2), MXFP6
 * (E2M3, E3M2), MXFP4 and MXINT8 (DOMAIN.md §3).
 *
 * x is row-major [rows, cols]; blocks of 32 (OCP MX v1.0 §5, k = 32) run along
 * the last axis, never cross rows, and a row's last block may be shorter.
 * Per block: amax = max |x| over the FINITE elements (NaN/±Inf are skipped so
 * one bad value does not poison the scale), E by the floor (OCP §6.3) or ceil
 * rule (see e8m0.ts), then
 *   y = f32(x / 2^E),  q = cast(y),  x̂ = f32(q · 2^E).
 * MXINT8 elements (OCP MX v1.0 §5.3, 8-bit two's complement with an implied scale of
 * 2^−6): q = clamp(RNE(y · 64), −127, 127) / 64.
 * `saturated` counts finite y with |y| > element max; NaN stays NaN, ±Inf
 * saturates to ±max · 2^E.
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantizeResult, QuantContext } from '../quant/types.ts';
import type { Rounding, ScaleRule } from '../quant/options.ts';
import { FP8_E4M3, FP8_E5M2, FP6_E2M3, FP6_E3M2, FP4_E2M1, type Minifloat } from './minifloat.ts';
import { MXINT8_STOCHASTIC, minifloatStochastic, scaledStochasticKernel } from './stochasticKernels.ts';
import { mxBlocksSimd } from './stochasticSimd.ts';
import { POW2_TABLE, scaleExpCeil, scaleExpFloor } from './e8m0.ts';
import {
  blockLayout, elementMagic, finiteAmaxBits, outputBuffer, u32View, type ElementMagic,
} from './blockCommon.ts';
import { specialize } from '../specialize.ts';

export const MX_BLOCK = 32;
export type MxFormatId = 'mxfp8_e4m3' | 'mxfp8_e5m2' | 'mxfp6_e2m3' | 'mxfp6_e3m2' | 'mxfp4' | 'mxint8';

export interface MxElement {
  /** the minifloat element, or null for MXINT8 */
  mf: Minifloat | null;
  /** exponent of the element max (OCP MX v1.0 §6.3 emax_elem) */
  emax: number;
  /** largest element magnitude */
  max: number;
  magic: ElementMagic | null;
}

const mfElement = (mf: Minifloat, emax: number): MxElement => ({ mf, emax, max: mf.spec.max, magic: elementMagic(mf) });

export const MX_ELEMENTS: Readonly<Record<MxFormatId, MxElement>> = {
  mxfp8_e4m3: mfElement(FP8_E4M3, 8),
  mxfp8_e5m2: mfElement(FP8_E5M2, 15),
  mxfp6_e2m3: mfElement(FP6_E2M3, 2),
  mxfp6_e3m2: mfElement(FP6_E3M2, 4),
  mxfp4: mfElement(FP4_E2M1, 2),
  mxint8: { mf: null, emax: 0, max: 127 / 64, magic: null },
};

export function isMxFormat(id: string): id is MxFormatId {
  return Object.prototype.hasOwnProperty.call(MX_ELEMENTS, id);
}

const amaxF = new Float32Array(1);
const amaxU = new Uint32Array(amaxF.buffer);

export interface MxParams {
  rule: ScaleRule;
  rounding: Rounding;
  seed: number;
}

/** Quantize x to an MX format (see the module comment); `out` may alias x.data. */
export function quantizeMx(x: Tensor2D, format: MxFormatId, p: MxParams, out?: Float32Array, ctx?: QuantContext): QuantizeResult {
  const el = MX_ELEMENTS[format];
  const { rows, cols, data } = x;
  const xhat = outputBuffer(data.length, out);
  const xU = u32View(data);
  const outU = u32View(xhat);
  const { blocksPerRow, nBlocks } = blockLayout(rows, cols, MX_BLOCK);
  const saturatedPerBlock = new Uint16Array(nBlocks);
  const scaleExps = new Int16Array(nBlocks);
  const scales = new Float32Array(nBlocks);
  const stochastic = p.rounding === 'stochastic';
  const rowOffset = ctx?.rowOffset ?? 0;
  let saturated = 0;
  // the element's cast (blockCommon.ts's castScaled contract): its stochastic kernel, and its SIMD form for both roundings
  const castEl = el.mf ? minifloatStochastic(el.mf) : MXINT8_STOCHASTIC;
  if (cols % MX_BLOCK === 0) {
    // rows of whole blocks: exponents and casts in WebAssembly SIMD (stochasticSimd.ts), the draws at flat indices
    const sat = mxBlocksSimd(castEl, {
      src: data, dst: xhat, nBlocks, blockSize: MX_BLOCK, emax: el.emax, elementMax: el.max, ceil: p.rule === 'ceil',
      rne: !stochastic, seed: p.seed, drawStart: rowOffset * cols, scales, scaleExps, satPerBlock: saturatedPerBlock,
    });
    if (sat >= 0) return { xhat, saturated: sat, saturatedPerBlock, blocksPerRow, scales, scaleExps };
  }
  const rowKernel = stochastic ? undefined : mxRowKernel(format); // RNE
  const castKernel = stochastic ? scaledStochasticKernel(castEl) : undefined;
  let b = 0;
  for (let r = 0; r < rows; r++) {
    const rowStart = r * cols;
    if (rowKernel) {
      saturated += rowKernel(data, xU, xhat, outU, rowStart, cols, b, p.rule === 'ceil', scales, scaleExps, saturatedPerBlock);
      b += blocksPerRow;
      continue;
    }
    // stochastic rounding without the kernel: block by block with the shared helpers
    for (let c0 = 0; c0 < cols; c0 += MX_BLOCK, b++) {
      const start = rowStart + c0;
      const end = Math.min(start + MX_BLOCK, rowStart + cols);
      const e = mxScaleExp(xU, start, end, el, p.rule);
      const inv = POW2_TABLE[127 - e];
      const scale = POW2_TABLE[127 + e];
      scaleExps[b] = e;
      scales[b] = scale;
      const flatStart = (rowOffset + r) * cols + c0;
      // MXINT8: castIntStochastic(y · 64, u, 127) / 64 (stochasticKernels.ts's MXINT8_STOCHASTIC)
      const sat = castKernel!(data, xhat, start, end, inv, false, scale, p.seed, flatStart);
      saturatedPerBlock[b] = sat;
      saturated += sat;
    }
  }
  return { xhat, saturated, saturatedPerBlock, blocksPerRow, scales, scaleExps };
}

/** E of the block x[start, end) by the floor or ceil rule, from its finite amax (e8m0.ts). */
function mxScaleExp(xU: Uint32Array, start: number, end: number, el: MxElement, rule: ScaleRule): number {
  const amaxBits = finiteAmaxBits(xU, start, end);
  if (rule === 'floor') return scaleExpFloor(amaxBits, el.emax);
  amaxU[0] = amaxBits;
  return scaleExpCeil(amaxF[0], el.max);
}

/**
 * RNE quantization of one row of MX blocks (minifloat or MXINT8 element): per block
 * the finite amax, E by the floor or ceil rule (e8m0.ts, inlined), then the
 * castScaled contract (blockCommon.ts) with y = f32(x · 2^−E). Fills the
 * block's scale, exponent and saturated count (finite |y| > max); returns the
 * row's saturated count. x may alias out.
 */
type MxRowKernel = (
  x: Float32Array, xU: Uint32Array, out: Float32Array, outU: Uint32Array, rowStart: number, cols: number,
  b: number, ceil: boolean, scales: Float32Array, scaleExps: Int16Array, saturatedPerBlock: Uint16Array,
) => number;

const MX_ROW_KERNELS = new Map<MxFormatId, MxRowKernel>();

/**
 * MXINT8 as a fixed-point "minifloat": spacing 2^−6 in every binade, max 127/64.
 * y + m − m then rounds y·64 to an integer, ties to even (numpy rint), and the
 * clamp to ±127/64 is the int8 saturation; the sign multiply keeps −0.
 */
const MXINT8_MAGIC: ElementMagic = {
  magic: new Float64Array(256).fill(1.5 * 2 ** 52 * 2 ** -6),
  max: 127 / 64,
  maxBits: new Uint32Array(new Float32Array([127 / 64]).buffer)[0],
};

function mxRowKernel(format: MxFormatId): MxRowKernel {
  let k = MX_ROW_KERNELS.get(format);
  if (!k) {
    const el = MX_ELEMENTS[format];
    const m = el.magic ?? MXINT8_MAGIC;
    k = specialize(mxRowTemplate, m.magic, m.max, m.maxBits, el.emax, MX_BLOCK);
    MX_ROW_KERNELS.set(format, k);
  }
  return k;
}

/** Self-contained template for specialize(): one compiled copy per MX format. */
function mxRowTemplate(magic: Float64Array, max: number, maxBits: number, emax: number, blockSize: number): MxRowKernel {
  const pow2 = new Float64Array(255); // pow2[E + 127] = 2^E
  for (let e = -127; e <= 127; e++) pow2[e + 127] = 2 ** e;
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const sign = new Float64Array([1, -1]);
  return (x, xU, out, outU, rowStart, cols, b, ceil, scales, scaleExps, saturatedPerBlock) => {
    const rowEnd = rowStart + cols;
    let satRow = 0;
    for (let start = rowStart; start < rowEnd; start += blockSize, b++) {
      const end = Math.min(start + blockSize, rowEnd);
      // finite amax as in finiteAmaxBits (blockCommon.ts), repeated: templates are self-contained
      let amaxBits = 0;
      let nonFinite = 0;
      for (let i = start; i < end; i++) {
        const a = xU[i] & 0x7fffffff;
        const bad = (0x7f7fffff - a) >>> 31; // 1 for NaN/±Inf
        nonFinite += bad;
        amaxBits = Math.max(amaxBits, a & (bad - 1));
      }
      let e: number;
      if (!ceil) {
        // floor(log2(amax)) − emax (OCP MX v1.0 §6.3)
        e = amaxBits === 0 ? -127
          : (amaxBits >= 0x00800000 ? (amaxBits >>> 23) - 127 : 31 - Math.clz32(amaxBits) - 149) - emax;
      } else {
        // ceil(log2(f32(amax / max)))
        u[0] = amaxBits;
        f[0] = f[0] / max;
        const v = u[0] & 0x7fffffff;
        if (v === 0) e = -127;
        else if (v >= 0x00800000) e = (v >>> 23) - 127 + (v & 0x7fffff ? 1 : 0);
        else e = 31 - Math.clz32(v) - 149 + (v & (v - 1) ? 1 : 0);
      }
      if (e < -127) e = -127; else if (e > 127) e = 127;
      const inv = pow2[127 - e];
      const scale = pow2[127 + e];
      scaleExps[b] = e;
      scales[b] = scale;
      let sat = 0;
      for (let i = start; i < end; i++) {
        out[i] = x[i] * inv; // the store rounds y to float32
        const y = out[i];
        const bits = outU[i];
        sat += (maxBits - (bits & 0x7fffffff)) >>> 31; // |y| > max, non-finite y included
        const m = magic[(bits >>> 23) & 0xff];
        const a = Math.min(Math.abs(y), max); // NaN stays NaN
        out[i] = (a + m - m) * sign[bits >>> 31] * scale; // −0 when a negative y rounds to zero
      }
      sat -= nonFinite;
      saturatedPerBlock[b] = sat;
      satRow += sat;
    }
    return satRow;
  };
}
