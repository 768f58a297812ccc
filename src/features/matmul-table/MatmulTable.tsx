/**
 * Matmul output error of Y = X·Wᵀ for W-format × A-format combinations
 * (ZeroQuant-FP's W4A8 and friends), with and without the transform, the best
 * SQNR marked. Props only.
 */
import { fmtBits, fmtNum, fmtSqnr } from '../export/format.ts';
import type { Metrics } from '../../core/stats/metrics.ts';

export interface MatmulTableRow {
  tag: string;
  wLabel: string;
  xLabel: string;
  transform: string;
  matmul: Metrics;
  x: Metrics;
  w: Metrics;
  wBits: number;
  xBits: number;
}

export interface MatmulTableProps {
  rows: readonly MatmulTableRow[];
  caption: string;
}

export function MatmulTable({ rows, caption }: MatmulTableProps) {
  let best = -Infinity;
  for (const r of rows) if (r.matmul.sqnrDb > best) best = r.matmul.sqnrDb;
  return (
    <div className="matmul-table">
      <table>
        <caption style={{ textAlign: 'left', captionSide: 'top' }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Combination</th>
            <th scope="col">Weight W</th>
            <th scope="col">Activation X</th>
            <th scope="col">Transform</th>
            <th scope="col" title="higher is better">Y SQNR (dB)</th>
            <th scope="col">Y rel. error</th>
            <th scope="col">X SQNR (dB)</th>
            <th scope="col">W SQNR (dB)</th>
            <th scope="col">Bits/element W · X</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const isBest = r.matmul.sqnrDb === best;
            return (
              <tr key={`${r.tag}|${r.wLabel}|${r.xLabel}|${r.transform}`} data-testid={`matmul-${r.wLabel}-${r.xLabel}-${r.transform}`}>
                <th scope="row">{r.tag}</th>
                <td>{r.wLabel}</td>
                <td>{r.xLabel}</td>
                <td>{r.transform}</td>
                <td style={{ textAlign: 'right', fontWeight: isBest ? 700 : undefined }}>
                  {fmtSqnr(r.matmul.sqnrDb)}{isBest && <><span aria-hidden="true"> ★</span><span className="visually-hidden"> (best)</span></>}
                </td>
                <td style={{ textAlign: 'right' }}>{fmtNum(r.matmul.relErr)}</td>
                <td style={{ textAlign: 'right' }}>{fmtSqnr(r.x.sqnrDb)}</td>
                <td style={{ textAlign: 'right' }}>{fmtSqnr(r.w.sqnrDb)}</td>
                <td style={{ textAlign: 'right' }}>{fmtBits(r.wBits)} · {fmtBits(r.xBits)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
