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
import { castIntStochastic } from './int.ts';
import { mulberry32At, drawToUnit } from '../rng.ts';
import { POW2_TABLE, scaleExpCeil, scaleExpFloor } from './e8m0.ts';
import {
  blockLayout, castScaled, elementMagic, finiteAmaxBits, lastNonFinite, outputBuffer, scaledCastStochastic, u32View, type ElementMagic,
} from './blockCommon.ts';

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

/** 1.5·2^52: x + M − M rounds |x| < 2^51 to an integer, ties to even */
const RNE_MAGIC = 6755399441055744;

/** MXINT8 elements of one block, RNE; returns the saturated count. */
function mxint8Range(src: Float32Array, dst: Float32Array, start: number, end: number, inv: number, scale: number): number {
  let sat = 0;
  for (let i = start; i < end; i++) {
    const y = Math.fround(src[i] * inv);
    const t = y * 64; // exact
    let r: number;
    if (t > 127 || t < -127) {
      if (t !== Infinity && t !== -Infinity) sat++;
      r = t > 0 ? 127 : -127;
    } else if (t === t) {
      r = t + RNE_MAGIC - RNE_MAGIC;
      if (r === 0) r = t * 0; // keep the sign of zero (numpy rint)
    } else {
      dst[i] = NaN;
      continue;
    }
    dst[i] = (r / 64) * scale;
  }
  return sat;
}

function mxint8RangeStochastic(
  src: Float32Array, dst: Float32Array, start: number, end: number, inv: number, scale: number, seed: number, flatStart: number,
): number {
  let sat = 0;
  for (let i = start; i < end; i++) {
    const y = Math.fround(src[i] * inv);
    if (Math.abs(y) > 127 / 64 && Math.abs(y) < Infinity) sat++;
    const u = drawToUnit(mulberry32At(seed, flatStart + (i - start)));
    dst[i] = (castIntStochastic(y * 64, u, 127) / 64) * scale;
  }
  return sat;
}

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
  let b = 0;
  for (let r = 0; r < rows; r++) {
    const rowStart = r * cols;
    for (let c0 = 0; c0 < cols; c0 += MX_BLOCK, b++) {
      const start = rowStart + c0;
      const end = Math.min(start + MX_BLOCK, rowStart + cols);
      const amaxBits = finiteAmaxBits(xU, start, end);
      const nonFinite = lastNonFinite;
      let e: number;
      if (p.rule === 'floor') e = scaleExpFloor(amaxBits, el.emax);
      else {
        amaxU[0] = amaxBits;
        e = scaleExpCeil(amaxF[0], el.max);
      }
      const inv = POW2_TABLE[127 - e];
      const scale = POW2_TABLE[127 + e];
      scaleExps[b] = e;
      scales[b] = scale;
      let sat: number;
      if (stochastic) {
        const flatStart = (rowOffset + r) * cols + c0;
        sat = el.mf
          ? scaledCastStochastic(el.mf, data, xhat, start, end, inv, false, scale, p.seed, flatStart)
          : mxint8RangeStochastic(data, xhat, start, end, inv, scale, p.seed, flatStart);
      } else {
        const m = el.magic;
        sat = m
          ? castScaled(data, xhat, outU, start, end, inv, scale, m.magic, m.max, m.maxBits) - nonFinite
          : mxint8Range(data, xhat, start, end, inv, scale);
      }
      saturatedPerBlock[b] = sat;
      saturated += sat;
    }
  }
  return { xhat, saturated, saturatedPerBlock, blocksPerRow, scales, scaleExps };
}
