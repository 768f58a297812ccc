/**
 * Original vs quantized release (core/model/diff.ts): per tensor the real error
 * of the release next to quantscope's own quantizer for the same format, and
 * the tensors that could not be compared. Props only.
 */
import type { DiffResult } from '../../core/model/diff.ts';
import { fmtDb, fmtErr } from './format.ts';

export interface DiffTableProps {
  result: DiffResult;
  onOpenTensor?(name: string): void;
}

export function DiffTable({ result, onOpenTensor }: DiffTableProps) {
  const m = result.match;
  return (
    <section aria-labelledby="diff-heading">
      <h2 id="diff-heading">Release vs original</h2>
      {result.cancelled && <p className="hint">Cancelled: showing the {result.rows.length} tensors compared so far.</p>}
      <table className="data" aria-label="release error per tensor">
        <thead>
          <tr>
            <th scope="col">tensor</th><th scope="col">stored as</th><th scope="col">release SQNR</th><th scope="col">release max |err|</th>
            <th scope="col">quantscope format</th><th scope="col">quantscope SQNR</th><th scope="col">difference</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r) => {
            const d = r.own && Number.isFinite(r.real.sqnrDb) && Number.isFinite(r.own.sqnrDb) ? r.real.sqnrDb - r.own.sqnrDb : null;
            return (
              <tr key={r.name} title={`${r.rule}${r.note ? `; ${r.note}` : ''}`}>
                <th scope="row">{onOpenTensor ? <button type="button" className="link" onClick={() => onOpenTensor(r.name)}>{r.name}</button> : r.name}</th>
                <td>{r.releaseDtype} ({r.releaseBitsPerElement.toFixed(2)} b)</td>
                <td>{fmtDb(r.real.sqnrDb)}</td>
                <td>{fmtErr(r.real.maxAbsErr)}</td>
                <td>{r.own?.format ?? '—'}</td>
                <td>{r.own ? fmtDb(r.own.sqnrDb) : '—'}</td>
                <td>{d === null ? '—' : `${d >= 0 ? '+' : ''}${d.toFixed(2)} dB`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {(m.missingInRelease.length > 0 || m.extraInRelease.length > 0 || m.mismatched.length > 0) && (
        <ul aria-label="tensors not compared">
          {m.missingInRelease.map((n) => <li key={`m${n}`}>{n}: missing in the release</li>)}
          {m.extraInRelease.map((n) => <li key={`e${n}`}>{n}: only in the release</li>)}
          {m.mismatched.map((x) => <li key={`x${x.original}`}>{x.original}: {x.reason}</li>)}
        </ul>
      )}
      {m.auxiliary.length > 0 && <p className="hint">{m.auxiliary.length} scale tensors of the release are used for decoding, not compared.</p>}
    </section>
  );
}
