import { describe, expect, it } from 'vitest';
import { buildMagnitudeBuckets, entryOfBits } from '../../src/plot/magnitudeBuckets.ts';
import { colourize, getLut, lutIndex, NAN_RGBA } from '../../src/plot/colormaps.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (b: number) => { u32[0] = b >>> 0; return f32[0]; };
const bitsOf = (v: number) => { f32[0] = v; return u32[0]; };

/** colormaps.ts logThresholds, restated */
function thresholds(lo: number, hi: number): Float64Array {
  const l0 = Math.log(lo > 0 ? lo : Number.MIN_VALUE), l1 = Math.log(hi);
  const thr = new Float64Array(257);
  for (let k = 1; k < 256; k++) thr[k] = Math.exp(l0 + (k / 256) * (l1 - l0));
  thr[256] = Infinity;
  return thr;
}

/** colormaps.ts's log entry (its threshold search and near test), restated */
function searchEntry(a: number, thr: Float64Array): number {
  if (!(a > 0)) return 0;
  let k = 0;
  for (let step = 128; step >= 1; step >>= 1) if (a >= thr[k + step]) k += step;
  return a - thr[k] <= thr[k] * 1e-9 || thr[k + 1] - a <= thr[k + 1] * 1e-9 ? -1 : k;
}
const buildLogBuckets = (thr: Float64Array) => buildMagnitudeBuckets(thr, (a) => searchEntry(a, thr));

const DOMAINS = [[3.2e-3, 32], [1e-3, 50], [1, 100], [0, 1], [2.5e-7, 3.0000001e-7], [1e-300, 1e300], [1e-40, 1e-36], [1e30, 3e38]] as const;

/** float32 bit patterns worth asking about: every threshold's neighbourhood, bucket edges, random ones */
function probeBits(thr: Float64Array, shift: number, base: number): number[] {
  const out: number[] = [0, 1, 0x7f7fffff, 0x7f800000, 0x7f800001, 0x7fc00000, 0x7fffffff, base, base - 1, base + 1];
  for (let k = 1; k < 256; k++) {
    const b = bitsOf(Math.fround(thr[k]));
    for (let d = -40; d <= 40; d++) out.push(b + d);
    const j = (b - base) >>> shift;
    for (const e of [j - 2, j - 1, j, j + 1, j + 2, j + 3]) {
      const edge = base + e * 2 ** shift;
      out.push(edge - 1, edge, edge + 1);
    }
  }
  let s = 12345;
  for (let i = 0; i < 20000; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; out.push(s & 0x7fffffff); }
  return out.filter((b) => b >= 0 && b <= 0x7fffffff);
}

describe('magnitude bucket table (magnitudeBuckets.ts) of the log mapping', () => {
  for (const [lo, hi] of DOMAINS) {
    it(`domain [${lo}, ${hi}]: every table answer is the search's, and most values get one`, () => {
      const thr = thresholds(lo, hi);
      const t = buildLogBuckets(thr);
      const bits = probeBits(thr, t.shift, t.base);
      let answered = 0;
      const bad: string[] = [];
      for (const b of bits) {
        const e = entryOfBits(t, b);
        if (e < 0) continue;
        answered++;
        const a = fromBits(b);
        if (searchEntry(a, thr) !== e) bad.push(`bits ${b.toString(16)} (${a}): table ${e}, search ${searchEntry(a, thr)}`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
      expect(answered).toBeGreaterThan(0);
    });
  }

  it('a linear entry function: every table answer is the formula\'s', () => {
    for (const [lo, hi] of [[0, 3], [0.1, 7.3], [1e-3, 50], [2, 2.0001], [0, 3e38]] as const) {
      const span = hi - lo;
      const entry = (a: number) => { const k = Math.floor(((a - lo) / span) * 256); return k < 0 ? 0 : k > 255 ? 255 : k; };
      const starts = Float64Array.from({ length: 257 }, (_, k) => lo + (k / 256) * span);
      const t = buildMagnitudeBuckets(starts, entry);
      const bad: string[] = [];
      let answered = 0;
      for (const b of probeBits(starts, t.shift, t.base)) {
        const e = entryOfBits(t, b);
        if (e < 0) continue;
        answered++;
        if (entry(fromBits(b)) !== e) bad.push(`[${lo}, ${hi}] bits ${b.toString(16)}: table ${e}, formula ${entry(fromBits(b))}`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
      expect(answered).toBeGreaterThan(1000);
    }
  });

  it('answers all but a few of a pooled heatmap\'s values (the default 4-decade domain)', () => {
    const thr = thresholds(5.5e-3, 55);
    const t = buildLogBuckets(thr);
    let s = 99, asked = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const v = Math.fround(55 * 10 ** (-5 * (s / 2 ** 32)));
      if (entryOfBits(t, bitsOf(v)) < 0) asked++;
    }
    // the top bracket (1/256 of the log range, 4 of 5 decades here) and a bucket either side of each threshold
    expect(asked / n).toBeLessThan(0.02);
  });

  it('colourize through the table gives lutIndex\'s colour for every probed float32 value, signs and NaN payloads included', () => {
    const lut = getLut('cividis');
    for (const [lo, hi] of DOMAINS) {
      const thr = thresholds(lo, hi);
      const t = buildLogBuckets(thr);
      const bits = probeBits(thr, t.shift, t.base);
      const values = new Float32Array(bits.length * 2);
      const vb = new Uint32Array(values.buffer);
      bits.forEach((b, i) => { vb[2 * i] = b; vb[2 * i + 1] = (b | 0x80000000) >>> 0; });
      const m = { kind: 'log', domain: [lo, hi] } as const;
      const out = colourize(values, lut, m);
      const bad: string[] = [];
      for (let i = 0; i < values.length && bad.length < 5; i++) {
        const k = lutIndex(values[i], m);
        const want = k < 0 ? [...NAN_RGBA] : Array.from(lut.subarray(k * 4, k * 4 + 4));
        if (Array.from(out.subarray(i * 4, i * 4 + 4)).join() !== want.join()) bad.push(`[${lo}, ${hi}] ${values[i]} (bits ${vb[i].toString(16)})`);
      }
      expect(bad).toEqual([]);
    }
  });
});
