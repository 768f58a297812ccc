/**
 * A colour mapping of float32 magnitudes by table: an exact per-value entry
 * function asked once per bucket of 2^shift consecutive float32 bit patterns
 * instead of once per value (colourize, colormaps.ts: one table read per
 * heatmap cell of a log mapping; linear ones compute as fast as a table read).
 *
 * Contract: given entryOf(a) for magnitudes a ≥ 0, MONOTONE non-decreasing in a
 * wherever it is ≥ 0 between two of its changes (colourize's log search is, and
 * so is a linear formula: correctly rounded float arithmetic is monotone),
 * and returning −1 for "ask the slow way" (near a log threshold), then for the
 * float32 magnitude with bits b (sign cleared)
 *   entryOfBits(table, b) ≥ 0  ⇒  entryOfBits(table, b) = entryOf(a).
 * −1 means "ask entryOf / the formula": NaN, ±∞, the buckets at a change,
 * anything outside the table. Why one entry holds for a whole run of buckets:
 * the run's lowest and highest values are asked when the table is built, and
 * entryOf agrees at both ends; monotone, it agrees in between. A log entry's
 * "near" test is monotone in a for a fixed entry too (see colormaps.ts).
 */

export interface MagnitudeBuckets {
  /** float32 bits of the table's first bucket's first value */
  base: number;
  /** log2 of the bit patterns per bucket */
  shift: number;
  /** per bucket: the entry of every value in it, or −1 */
  entries: Int16Array;
  /** the entry of every positive magnitude with bits below `base` (0), or −1 */
  below: number;
}

/** most buckets a table may have (Int16: 256 KiB) */
const MAX_BUCKETS = 1 << 17;
/** at least 2^13 buckets per binade: a log bracket of the default 4-decade domain spans ~300 */
const MIN_SHIFT = 10;
const INF_BITS = 0x7f800000;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (v: number): number => { f32[0] = v; return u32[0]; };
const fromBits = (b: number): number => { u32[0] = b; return f32[0]; };

/**
 * The table of `entryOf`, whose entry k starts near starts[k] (k = 1…255, ascending; where
 * exactly is for entryOf to say: a bucket either side of each is left to it).
 */
export function buildMagnitudeBuckets(starts: ArrayLike<number>, entryOf: (a: number) => number): MagnitudeBuckets {
  // one binade of margin below the first change and above the last, within [0, ∞) of float32
  const first = bitsOf(Math.fround(starts[1]));
  const last = bitsOf(Math.fround(starts[255]));
  const base = Math.max(0, Math.min(INF_BITS, first) - (1 << 23));
  const top = Math.min(INF_BITS, last + (1 << 23));
  let shift = MIN_SHIFT;
  while (((top - base) >>> shift) >= MAX_BUCKETS) shift++;
  const size = Math.max(1, ((top - base) >>> shift) + 1);
  const entries = new Int16Array(size).fill(-1);
  const bucketOf = (b: number) => Math.max(0, Math.min(size - 1, (b - base) >>> shift));
  const lowest = (j: number) => fromBits(base + j * 2 ** shift);
  const highest = (j: number) => fromBits(Math.min(INF_BITS - 1, base + (j + 1) * 2 ** shift - 1));
  let prev = -2; // entry 0 runs from the table's start
  for (let k = 0; k < 256; k++) {
    const next = k < 255 ? bucketOf(bitsOf(Math.fround(starts[k + 1]))) : size + 1;
    const from = Math.max(0, prev + 2), to = Math.min(size - 1, next - 2);
    if (from <= to && entryOf(lowest(from)) === k && entryOf(highest(to)) === k) entries.fill(k, from, to + 1);
    prev = next;
  }
  const below = base > 0 && entryOf(fromBits(base - 1)) === 0 ? 0 : -1;
  return { base, shift, entries, below };
}

/** The entry of the float32 magnitude with bits b (sign cleared), or −1 (see the contract above). */
export function entryOfBits(t: MagnitudeBuckets, b: number): number {
  if (b >= INF_BITS) return -1;
  const d = b - t.base;
  if (d < 0) return b === 0 ? 0 : t.below;
  const j = d >>> t.shift;
  return j < t.entries.length ? t.entries[j] : -1;
}
