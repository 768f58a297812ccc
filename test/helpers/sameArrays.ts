/**
 * Where two long numeric arrays first differ, as a short string (or 'same'):
 * a failing toEqual on arrays of ~10^5 elements makes vitest build a diff for
 * minutes, so the SIMD-versus-JavaScript tests compare through this instead.
 * NaN equals NaN; otherwise values must be Object.is-equal (so −0 ≠ +0).
 */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  let count = 0, first = -1;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    if (first < 0) first = i;
    count++;
  }
  return first < 0 ? 'same' : `${count} differ, first at ${first}: ${a[first]} vs ${b[first]}`;
}
