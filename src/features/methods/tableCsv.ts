/** CSV of the methods comparison table (CLI/JSON names, DOMAIN §6–7; SQNR "inf" when exact). */
export interface MethodsRow {
  method: string;
  /** the CLI --transform text of the row */
  transform: string;
  activationFormat: string;
  weightFormat: string;
  sqnrDb: number | null;
  mse: number | null;
  /** bits per element of X (32 when not quantized) and of W (with the fp16 branch for SVDQuant) */
  xBits: number | null;
  wBits: number | null;
}

const cell = (v: string | number | null): string => {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

export const METHODS_CSV_COLUMNS = ['method', 'transform', 'activation_format', 'weight_format', 'matmul_sqnr_db', 'matmul_mse', 'bits_per_element_x', 'bits_per_element_w'] as const;

export function methodsCsv(rows: readonly MethodsRow[]): string {
  const lines = [METHODS_CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push([r.method, r.transform, r.activationFormat, r.weightFormat, r.sqnrDb, r.mse, r.xBits, r.wBits].map(cell).join(','));
  return lines.join('\n') + '\n';
}
