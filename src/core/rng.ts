/**
 * mulberry32 (DOMAIN.md §4): a 32-bit state that advances by the constant
 * 0x6D2B79F5 per draw, so the i-th draw (0-based) of a stream seeded with
 * `seed` can be computed directly: state_i = seed + (i + 1)·0x6D2B79F5 (mod 2^32).
 * Draws are unsigned 32-bit integers; u = draw / 2^32 lies in [0, 1).
 */
const GOLDEN = 0x6d2b79f5;

/** The i-th (0-based) unsigned 32-bit draw of mulberry32(seed). */
export function mulberry32At(seed: number, i: number): number {
  const state = (seed + Math.imul(i + 1, GOLDEN)) | 0;
  return mix(state);
}

function mix(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
}

/** A sequential stream of draws starting at draw index `start`. */
export function mulberry32Stream(seed: number, start = 0): () => number {
  let state = (seed + Math.imul(start, GOLDEN)) | 0;
  return () => {
    state = (state + GOLDEN) | 0;
    return mix(state);
  };
}

/** u = draw / 2^32 in [0, 1) */
export const drawToUnit = (draw: number): number => draw / 4294967296;
