/**
 * A format's value grid, scaled, as vertical lines for a value histogram:
 * every representable element value times `scale` that falls in [lo, hi].
 * The caller picks the scale it means (e.g. the per-tensor absmax scale
 * absmax / max, or one row's scale) and says so in the chart caption.
 */
export function scaledGridLines(values: ArrayLike<number>, scale: number, lo: number, hi: number, maxLines = 256): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] * scale;
    if (v >= lo && v <= hi && (out.length === 0 || v !== out[out.length - 1])) out.push(v);
  }
  if (out.length <= maxLines) return out;
  // too dense to draw: keep an even subset including both ends
  const step = (out.length - 1) / (maxLines - 1);
  return Array.from({ length: maxLines }, (_, k) => out[Math.round(k * step)]);
}
