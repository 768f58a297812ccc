/**
 * Hadamard rotation (DOMAIN §5, `transform=hadamard:G` / `random-hadamard:G`):
 *   X' = (X · D) · blockdiag(H_G / √G)      along the last axis
 * with H_G the Sylvester Hadamard matrix (H_1 = [1], H_2n = [[H, H], [H, −H]])
 * and D = diag(d) (random variant: d_k = −1 when bit 0 of mulberry32At(seed, k)
 * is 1, else +1; plain variant: D = I). H is symmetric and H·H = G·I, so the
 * inverse is X = (X' · blockdiag(H_G / √G)) · D.
 *
 * Arithmetic (the reading the fixtures check bit-exactly): per block, the
 * sign flips and the unnormalized fast Walsh–Hadamard butterflies run in
 * float64, then each output is divided once by √G (float64) and rounded once
 * to float32. The fixture computes `((X64 · d) @ H_int) / sqrt(G)` → float32;
 * sums of ±float32 values are exact in float64 unless a block spans more than
 * ~2^(29 − log2 G) in magnitude, so both agree bit for bit on real data (any
 * difference would be a double-rounding case in the last float32 bit).
 * Cost O(rows · cols · log2 G), one float64 scratch block.
 */
import type { Tensor2D } from '../tensor.ts';
import { mulberry32At } from '../rng.ts';
import { rotateSimd } from './hadamardSimd.ts';

/** Block sizes G valid for a last axis of `cols`: the powers of two that divide it. */
export function validHadamardBlocks(cols: number): number[] {
  const out: number[] = [];
  for (let g = 1; g <= cols && cols % g === 0; g *= 2) out.push(g);
  return out;
}

function listValid(v: number[]): string {
  return v.length > 4 ? `${v.slice(0, 3).join(', ')}, …, ${v[v.length - 1]}` : v.join(', ');
}

/** Throws the house error unless G is a power of two that divides `cols`. */
export function checkHadamardBlock(name: string, block: number, cols: number): void {
  const valid = validHadamardBlocks(cols);
  if (!valid.includes(block)) {
    // an odd axis: G = 1 is the only one, and it rotates nothing
    const fits = valid.length === 1 ? `${cols} is odd, so only G = 1 (no rotation) divides it` : `valid: ${listValid(valid)}`;
    throw new Error(`${name}:${block} needs a power-of-two block size that divides the last axis (${cols}); ${fits}`);
  }
}

/** d_k ∈ {+1, −1} for k = 0…cols−1: −1 when bit 0 of the k-th mulberry32 draw is 1. */
export function hadamardSigns(cols: number, seed: number): Float32Array {
  const d = new Float32Array(cols);
  for (let k = 0; k < cols; k++) d[k] = mulberry32At(seed, k) & 1 ? -1 : 1;
  return d;
}

export interface HadamardSpec {
  /** block size G (power of two dividing cols) */
  block: number;
  /** random signs d (length cols), or null for the plain rotation */
  signs: Float32Array | null;
}

/** The spec of `hadamard:G` (random = false) or `random-hadamard:G` with `seed`; checks G against cols. */
export function hadamardSpec(block: number, cols: number, random: boolean, seed = 0): HadamardSpec {
  checkHadamardBlock(random ? 'random-hadamard' : 'hadamard', block, cols);
  return { block, signs: random ? hadamardSigns(cols, seed) : null };
}

/** X' = (X·D)·blockdiag(H/√G), float32 [rows, cols]; `out` may alias x.data. */
export function hadamardForward(x: Tensor2D, spec: HadamardSpec, out = new Float32Array(x.data.length)): Float32Array {
  return rotate(x, spec, out, false);
}

/** X = (X'·blockdiag(H/√G))·D, the inverse of hadamardForward; `out` may alias. */
export function hadamardInverse(xPrime: Tensor2D, spec: HadamardSpec, out = new Float32Array(xPrime.data.length)): Float32Array {
  return rotate(xPrime, spec, out, true);
}

function rotate(x: Tensor2D, spec: HadamardSpec, out: Float32Array, inverse: boolean): Float32Array {
  const { data, cols } = x;
  const g = spec.block;
  checkHadamardBlock(spec.signs ? 'random-hadamard' : 'hadamard', g, cols);
  const d = spec.signs;
  const rootG = Math.sqrt(g);
  // √G is a power of two when log2 G is even: x / √G = x · (1 / √G) exactly, and a product is cheaper
  const exactInverse = (Math.log2(g) & 1) === 0 ? 1 / rootG : 0;
  // the rotation without signs after it (forward, or a plain inverse = forward): fused passes
  if (g >= 16 && !(d && inverse)) {
    if (rotateSimd(data, cols, g, inverse ? null : d, rootG, exactInverse, out)) return out;
    return rotateFused(data, cols, g, inverse ? null : d, rootG, exactInverse, out);
  }
  const buf = new Float64Array(g);
  for (let base = 0; base < data.length; base += g) {
    const c0 = base % cols;
    if (d && !inverse) for (let k = 0; k < g; k++) buf[k] = data[base + k] * d[c0 + k];
    else for (let k = 0; k < g; k++) buf[k] = data[base + k];
    fwht(buf, g);
    if (d && inverse) for (let k = 0; k < g; k++) out[base + k] = (buf[k] / rootG) * d[c0 + k];
    else if (exactInverse) for (let k = 0; k < g; k++) out[base + k] = buf[k] * exactInverse;
    else for (let k = 0; k < g; k++) out[base + k] = buf[k] / rootG;
  }
  return out;
}

/**
 * out = f32(((x · d) · H_g) / √G) per block, as rotate's generic loop computes it (the same float64
 * operations in the same order, fwht's stage grouping), with its first three stages reading x (signs
 * applied) and its last stage group writing out, instead of copies through the scratch block in and
 * out. g ≥ 16 (at least two stage groups).
 */
function rotateFused(
  data: Float32Array, cols: number, g: number, d: Float32Array | null, rootG: number, exactInverse: number, out: Float32Array,
): Float32Array {
  const v = new Float64Array(g);
  for (let base = 0; base < data.length; base += g) {
    const c0 = base % cols;
    // stages 1, 2, 4 on groups of eight consecutive elements, from x (· d)
    for (let j = 0; j < g; j += 8) {
      const s = base + j;
      let a0, a1, a2, a3, a4, a5, a6, a7;
      if (d) {
        const e = c0 + j;
        a0 = data[s] * d[e]; a1 = data[s + 1] * d[e + 1]; a2 = data[s + 2] * d[e + 2]; a3 = data[s + 3] * d[e + 3];
        a4 = data[s + 4] * d[e + 4]; a5 = data[s + 5] * d[e + 5]; a6 = data[s + 6] * d[e + 6]; a7 = data[s + 7] * d[e + 7];
      } else {
        a0 = data[s]; a1 = data[s + 1]; a2 = data[s + 2]; a3 = data[s + 3];
        a4 = data[s + 4]; a5 = data[s + 5]; a6 = data[s + 6]; a7 = data[s + 7];
      }
      const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
      const b4 = a4 + a5, b5 = a4 - a5, b6 = a6 + a7, b7 = a6 - a7;
      const e0 = b0 + b2, e2 = b0 - b2, e1 = b1 + b3, e3 = b1 - b3;
      const e4 = b4 + b6, e6 = b4 - b6, e5 = b5 + b7, e7 = b5 - b7;
      v[j] = e0 + e4; v[j + 4] = e0 - e4; v[j + 1] = e1 + e5; v[j + 5] = e1 - e5;
      v[j + 2] = e2 + e6; v[j + 6] = e2 - e6; v[j + 3] = e3 + e7; v[j + 7] = e3 - e7;
    }
    let h = 8;
    // middle groups of three stages, in place
    for (; 8 * h < g; h *= 8) radix8Pass(v, g, h);
    // the last group (g = 8h, 4h or 2h), written out scaled by 1/√G
    const o = out;
    if (8 * h === g) {
      const h2 = 2 * h, h3 = 3 * h, h4 = 4 * h, h5 = 5 * h, h6 = 6 * h, h7 = 7 * h;
      for (let j = 0; j < h; j++) {
        const a0 = v[j], a1 = v[j + h], a2 = v[j + h2], a3 = v[j + h3];
        const a4 = v[j + h4], a5 = v[j + h5], a6 = v[j + h6], a7 = v[j + h7];
        const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
        const b4 = a4 + a5, b5 = a4 - a5, b6 = a6 + a7, b7 = a6 - a7;
        const e0 = b0 + b2, e2 = b0 - b2, e1 = b1 + b3, e3 = b1 - b3;
        const e4 = b4 + b6, e6 = b4 - b6, e5 = b5 + b7, e7 = b5 - b7;
        const t = base + j;
        if (exactInverse) {
          o[t] = (e0 + e4) * exactInverse; o[t + h4] = (e0 - e4) * exactInverse;
          o[t + h] = (e1 + e5) * exactInverse; o[t + h5] = (e1 - e5) * exactInverse;
          o[t + h2] = (e2 + e6) * exactInverse; o[t + h6] = (e2 - e6) * exactInverse;
          o[t + h3] = (e3 + e7) * exactInverse; o[t + h7] = (e3 - e7) * exactInverse;
        } else {
          o[t] = (e0 + e4) / rootG; o[t + h4] = (e0 - e4) / rootG;
          o[t + h] = (e1 + e5) / rootG; o[t + h5] = (e1 - e5) / rootG;
          o[t + h2] = (e2 + e6) / rootG; o[t + h6] = (e2 - e6) / rootG;
          o[t + h3] = (e3 + e7) / rootG; o[t + h7] = (e3 - e7) / rootG;
        }
      }
    } else if (4 * h === g) {
      const h2 = 2 * h, h3 = 3 * h;
      for (let j = 0; j < h; j++) {
        const a = v[j], b = v[j + h], c = v[j + h2], e = v[j + h3];
        const s0 = a + b, d0 = a - b, s1 = c + e, d1 = c - e;
        const t = base + j;
        if (exactInverse) {
          o[t] = (s0 + s1) * exactInverse; o[t + h2] = (s0 - s1) * exactInverse;
          o[t + h] = (d0 + d1) * exactInverse; o[t + h3] = (d0 - d1) * exactInverse;
        } else {
          o[t] = (s0 + s1) / rootG; o[t + h2] = (s0 - s1) / rootG;
          o[t + h] = (d0 + d1) / rootG; o[t + h3] = (d0 - d1) / rootG;
        }
      }
    } else {
      for (let j = 0; j < h; j++) {
        const a = v[j], b = v[j + h];
        const t = base + j;
        if (exactInverse) {
          o[t] = (a + b) * exactInverse; o[t + h] = (a - b) * exactInverse;
        } else {
          o[t] = (a + b) / rootG; o[t + h] = (a - b) / rootG;
        }
      }
    }
  }
  return out;
}

/**
 * In-place unnormalized fast Walsh–Hadamard transform: v ← v·H_g (Sylvester order).
 * The butterflies of stage h are (v[j], v[j+h]) → (a + b, a − b) for stages h = 1, 2, 4, …, g/2
 * in that order; three consecutive stages run together on groups of eight (the same additions on
 * the same operands, in the same stage order, so the same float64 bits: half the loads and stores
 * of one stage at a time), then one group of four or two for the last one or two stages.
 */
export function fwht(v: Float64Array, g: number): void {
  let h = 1;
  for (; 8 * h <= g; h *= 8) radix8Pass(v, g, h);
  // g = 4h or 2h here (or h: done)
  if (4 * h === g) {
    const h2 = 2 * h, h3 = 3 * h;
    for (let j = 0; j < h; j++) {
      const a = v[j], b = v[j + h], c = v[j + h2], e = v[j + h3];
      const s0 = a + b, d0 = a - b, s1 = c + e, d1 = c - e;
      v[j] = s0 + s1;
      v[j + h2] = s0 - s1;
      v[j + h] = d0 + d1;
      v[j + h3] = d0 - d1;
    }
  } else if (2 * h === g) {
    for (let j = 0; j < h; j++) {
      const a = v[j], b = v[j + h];
      v[j] = a + b;
      v[j + h] = a - b;
    }
  }
}

/** Stages h, 2h, 4h of the FWHT on v (length g, 8h ≤ g), in place, on groups of eight elements h apart. */
function radix8Pass(v: Float64Array, g: number, h: number): void {
  const h2 = 2 * h, h3 = 3 * h, h4 = 4 * h, h5 = 5 * h, h6 = 6 * h, h7 = 7 * h;
  for (let i = 0; i < g; i += 8 * h) {
    for (let j = i; j < i + h; j++) {
      const a0 = v[j], a1 = v[j + h], a2 = v[j + h2], a3 = v[j + h3];
      const a4 = v[j + h4], a5 = v[j + h5], a6 = v[j + h6], a7 = v[j + h7];
      // stage h
      const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
      const b4 = a4 + a5, b5 = a4 - a5, b6 = a6 + a7, b7 = a6 - a7;
      // stage 2h
      const c0 = b0 + b2, c2 = b0 - b2, c1 = b1 + b3, c3 = b1 - b3;
      const c4 = b4 + b6, c6 = b4 - b6, c5 = b5 + b7, c7 = b5 - b7;
      // stage 4h
      v[j] = c0 + c4;
      v[j + h4] = c0 - c4;
      v[j + h] = c1 + c5;
      v[j + h5] = c1 - c5;
      v[j + h2] = c2 + c6;
      v[j + h6] = c2 - c6;
      v[j + h3] = c3 + c7;
      v[j + h7] = c3 - c7;
    }
  }
}
