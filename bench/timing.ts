/** Tiny timing helpers for the benchmarks: median of repeated runs, in ms. */
export function medianMs(runs: number, fn: () => void): number {
  const times: number[] = [];
  fn(); // warm-up (JIT)
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export const pad = (s: string | number, n: number): string => String(s).padStart(n);
export const padEnd = (s: string | number, n: number): string => String(s).padEnd(n);

/**
 * Best and median of repeated runs, in ms (after one warm-up run). On a shared
 * machine other processes only ever add time, so the best run is the closest
 * to what the code itself costs; the median shows the spread.
 */
export function bestAndMedianMs(runs: number, fn: () => void): { best: number; median: number } {
  const times: number[] = [];
  fn();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)] };
}
