/** Number formatting for tables, tooltips and captions (display only). */

export function fmtSqnr(db: number): string {
  if (db === Infinity) return '∞ (exact)';
  if (!Number.isFinite(db)) return '—';
  return db.toFixed(2);
}

/** 3 significant digits, exponent form for very small/large magnitudes. */
export function fmtNum(v: number, digits = 3): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : '—';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(digits - 1).replace('-', '−');
  return Number(v.toPrecision(digits)).toString().replace('-', '−');
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtBits(b: number): string {
  return Number(b.toFixed(3)).toString();
}

export function fmtRatio(r: number): string {
  if (r === Infinity) return '∞';
  if (!Number.isFinite(r)) return '—';
  return `${r >= 100 ? r.toFixed(0) : r.toPrecision(3)}×`;
}
