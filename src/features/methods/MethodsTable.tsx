/**
 * One table for the pair: none / SmoothQuant / Hadamard / AWQ / SVDQuant ×
 * the chosen W/A formats, with the matmul SQNR of Ŷ = X̂Ŵᵀ versus Y = XWᵀ and
 * the bits per element of each side; CSV download. Props only.
 */
import { downloadText, slug } from '../../plot/export.ts';
import { fmtBits, fmtNum, fmtSqnr } from '../export/format.ts';
import { methodsCsv, type MethodsRow } from './tableCsv.ts';

export interface MethodsTableProps {
  rows: readonly MethodsRow[];
  /** label of a format id */
  labelOf: (format: string) => string;
  caption: string;
  /** task errors shown under the table */
  errors?: readonly string[];
}

export function MethodsTable({ rows, labelOf, caption, errors = [] }: MethodsTableProps) {
  const best = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.activationFormat}/${r.weightFormat}`;
    // AWQ leaves X unquantized, so it is not in the running for "best W+A method"
    if (r.method !== 'AWQ' && r.sqnrDb !== null && r.sqnrDb > (best.get(k) ?? -Infinity)) best.set(k, r.sqnrDb);
  }
  return (
    <section aria-label="Methods comparison">
      <table className="metrics-table">
        <caption>{caption}. Bold: the best method that quantizes both X and W (AWQ is weight-only).</caption>
        <thead>
          <tr>
            <th scope="col">method</th><th scope="col">--transform</th><th scope="col">A format</th><th scope="col">W format</th>
            <th scope="col">matmul SQNR (dB)</th><th scope="col">matmul MSE</th><th scope="col">bits/element X</th><th scope="col">bits/element W</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const top = r.method !== 'AWQ' && r.sqnrDb !== null && best.get(`${r.activationFormat}/${r.weightFormat}`) === r.sqnrDb;
            return (
              <tr key={`${r.method}|${r.activationFormat}|${r.weightFormat}`}>
                <th scope="row">{r.method}</th>
                <td><code>{r.transform}</code></td>
                <td>{r.method === 'AWQ' ? 'not quantized' : labelOf(r.activationFormat)}</td>
                <td>{labelOf(r.weightFormat)}</td>
                <td data-testid={`methods-sqnr-${r.method}-${r.activationFormat}`}>{r.sqnrDb === null ? '…' : top ? <strong>{fmtSqnr(r.sqnrDb)}</strong> : fmtSqnr(r.sqnrDb)}</td>
                <td>{r.mse === null ? '…' : fmtNum(r.mse)}</td>
                <td>{r.xBits === null ? '…' : fmtBits(r.xBits)}</td>
                <td>{r.wBits === null ? '…' : fmtBits(r.wBits)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {errors.map((e) => <p key={e} className="error-text">{e}</p>)}
      <button type="button" onClick={() => downloadText(methodsCsv(rows), `${slug(caption)}.csv`, 'text/csv')}>Download CSV</button>
    </section>
  );
}
