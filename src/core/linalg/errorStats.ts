/**
 * Small error summary of an approximation (float64, finite pairs only; DOMAIN
 * §6 definitions). The full metric set lives in stats/metrics.ts; this is what
 * the transform curves (error vs α, vs rank) report per point.
 */
export interface ErrorStats {
  /** mean((approx − ref)²) over finite pairs */
  mse: number;
  /** 10·log10(Σref² / Σ(approx − ref)²) in dB; +Infinity when exact */
  sqnrDb: number;
  /** ‖approx − ref‖ / ‖ref‖ */
  relErr: number;
  /** pairs left out because either side is NaN/±Inf */
  nonfinite: number;
}

export function errorStats(ref: Float32Array, approx: Float32Array): ErrorStats {
  let se = 0, sr = 0, n = 0, bad = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i], a = approx[i];
    if (!Number.isFinite(r) || !Number.isFinite(a)) { bad++; continue; }
    const d = a - r;
    se += d * d;
    sr += r * r;
    n++;
  }
  return {
    mse: n ? se / n : 0,
    sqnrDb: se === 0 ? Infinity : 10 * Math.log10(sr / se),
    relErr: sr === 0 ? (se === 0 ? 0 : Infinity) : Math.sqrt(se / sr),
    nonfinite: bad,
  };
}
