/**
 * Per-tensor format recommendation under a bit budget (core/model/recommend.ts):
 * the budget and objective inputs, the summary against every uniform choice,
 * the assignment and a JSON export. Props only: the caller runs `recommend`.
 */
import type { Recommendation, RecommendObjective } from '../../core/model/recommend.ts';
import { recommendationToJson } from '../../core/model/recommend.ts';
import { NumberField } from '../../ui/NumberField.tsx';
import { Select } from '../../ui/Select.tsx';
import { downloadText } from '../../plot/export.ts';
import { fmtBytes, fmtDb } from './format.ts';

export interface RecommendPanelProps {
  /** null before a scan finished (or when the budget is unreachable: see `error`) */
  recommendation: Recommendation | null;
  targetBits: number;
  onTargetBitsChange(bits: number): void;
  objective: RecommendObjective;
  onObjectiveChange(o: RecommendObjective): void;
  /** one plain sentence, e.g. the budget is below the cheapest format */
  error?: string | null;
  /** receives the export; default downloads recommendation.json */
  onExport?(json: string): void;
}

export function validateBits(text: string): string | null {
  const v = Number(text);
  return /^[0-9.]+$/.test(text) && v > 0 && v <= 64 ? null : 'Enter the average bits per element, e.g. 4.5.';
}

export function RecommendPanel(p: RecommendPanelProps) {
  const r = p.recommendation;
  const exportJson = () => {
    if (!r) return;
    const json = JSON.stringify(recommendationToJson(r), null, 2);
    (p.onExport ?? ((j: string) => downloadText(j, 'recommendation.json', 'application/json')))(json);
  };
  return (
    <section className="control-group" aria-labelledby="recommend-heading">
      <h2 id="recommend-heading">Recommend formats under a bit budget</h2>
      <div className="field-row">
        <NumberField label="Average bits per element" value={String(p.targetBits)} inputMode="decimal" validate={validateBits} onCommit={(t) => p.onTargetBitsChange(Number(t))} />
        <Select label="Minimise" value={p.objective} onChange={(v) => p.onObjectiveChange(v as RecommendObjective)}
          options={[{ value: 'sse', label: 'total squared error' }, { value: 'nsr', label: 'noise-to-signal, weighted by size' }]} />
      </div>
      {p.error && <p className="error-text" role="alert">{p.error}</p>}
      {r && (
        <>
          <p aria-label="recommendation summary">
            {`${r.achievedBits.toFixed(3)} bits per element, ${fmtBytes(r.totalBytes)}, total error ${r.totalError.toPrecision(4)} — `}
            {r.optimal ? 'optimal' : `best found; at most ${(r.totalError - r.lowerBound).toPrecision(3)} above optimal`}
          </p>
          <table className="data" aria-label="uniform formats compared">
            <thead><tr><th scope="col">choice</th><th scope="col">bits/element</th><th scope="col">size</th><th scope="col">total error</th><th scope="col">vs recommended</th></tr></thead>
            <tbody>
              <tr><th scope="row">recommended</th><td>{r.achievedBits.toFixed(3)}</td><td>{fmtBytes(r.totalBytes)}</td><td>{r.totalError.toPrecision(4)}</td><td>1×</td></tr>
              {r.uniform.map((u) => (
                <tr key={u.variant} className={u.fitsBudget ? '' : 'over-budget'}>
                  <th scope="row">all {u.variant}{u.fitsBudget ? '' : ' (over budget)'}</th>
                  <td>{u.avgBits.toFixed(3)}</td><td>{fmtBytes(u.totalBytes)}</td><td>{u.totalError.toPrecision(4)}</td>
                  <td>{r.totalError > 0 ? `${(u.totalError / r.totalError).toPrecision(3)}×` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="data" aria-label="assignment">
            <thead><tr><th scope="col">tensor</th><th scope="col">format</th><th scope="col">bits/element</th><th scope="col">SQNR</th></tr></thead>
            <tbody>
              {r.assignment.map((a) => (
                <tr key={a.name}><th scope="row">{a.name}</th><td>{a.variant}</td><td>{a.bitsPerElement.toFixed(3)}</td><td>{fmtDb(a.sqnrDb)}</td></tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={exportJson}>Export assignment (JSON)</button>
        </>
      )}
    </section>
  );
}
