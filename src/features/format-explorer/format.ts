/** Number formatting for the explorer (display only). */
export function fmtValue(v: number): string {
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (Number.isNaN(v)) return 'NaN';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const e = Math.floor(Math.log2(a));
    if (2 ** e === a) return `${v < 0 ? '−' : ''}2^${e}`;
    return v.toExponential(3).replace('-', '−');
  }
  return String(Number(v.toPrecision(6))).replace('-', '−');
}

export function fmtDb(v: number): string {
  return Number.isFinite(v) ? `${v.toFixed(2)} dB` : v > 0 ? 'exact' : '—';
}
