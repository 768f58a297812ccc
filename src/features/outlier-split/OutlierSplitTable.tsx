/**
 * Outlier split (DOMAIN §5 outliers=Q): each format's error without and with
 * the elements above the Q-quantile kept in bf16, and the bits the sparse side
 * tensor costs (16-bit value + 32-bit index per kept element). Props only.
 */
import { fmtBits, fmtNum, fmtSqnr } from '../export/format.ts';
import type { Metrics } from '../../core/stats/metrics.ts';

export interface OutlierSplitRowView {
  format: string;
  label: string;
  without: Metrics;
  with: Metrics;
  bitsWithout: number;
  bitsWith: number;
  keptFraction: number;
}

export interface OutlierSplitTableProps {
  quantile: number;
  rows: readonly OutlierSplitRowView[];
  caption: string;
}

export function OutlierSplitTable({ quantile, rows, caption }: OutlierSplitTableProps) {
  return (
    <div className="outlier-split">
      <table>
        <caption style={{ textAlign: 'left', captionSide: 'top' }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Format</th>
            <th scope="col">SQNR (dB) without</th>
            <th scope="col">SQNR (dB) with outliers in bf16</th>
            <th scope="col">Gain (dB)</th>
            <th scope="col">Max |x̂ − x| without → with</th>
            <th scope="col">Kept</th>
            <th scope="col">Bits/element without → with</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.format} data-testid={`split-${r.format}`}>
              <th scope="row">{r.label}</th>
              <td style={{ textAlign: 'right' }}>{fmtSqnr(r.without.sqnrDb)}</td>
              <td style={{ textAlign: 'right' }}>{fmtSqnr(r.with.sqnrDb)}</td>
              <td style={{ textAlign: 'right' }}>{Number.isFinite(r.with.sqnrDb - r.without.sqnrDb) ? `${r.with.sqnrDb >= r.without.sqnrDb ? '+' : ''}${(r.with.sqnrDb - r.without.sqnrDb).toFixed(2)}` : '—'}</td>
              <td style={{ textAlign: 'right' }}>{fmtNum(r.without.maxAbsErr)} → {fmtNum(r.with.maxAbsErr)}</td>
              <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{(100 * r.keptFraction).toFixed(3)} %</td>
              <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{fmtBits(r.bitsWithout)} → {fmtBits(r.bitsWith)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Elements with |x| above the {quantile}-quantile are stored as bf16 values with 32-bit indices; the rest is quantized.</p>
    </div>
  );
}
