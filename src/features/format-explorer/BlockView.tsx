/**
 * One block of real values from the tensor and its shared scale under each
 * rule: where every element lands on the element grid and which saturate
 * (the OCP floor rule's clipping). Data from the worker (results.block).
 */
import { scaleLinear } from 'd3-scale';
import { BLOCK_RULE_LABELS } from '../../core/explorer/blockView.ts';
import { isStale, selectBlock } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { NumberField } from '../../ui/NumberField.tsx';
import { Progress } from '../../ui/Progress.tsx';
import { fmtValue } from './format.ts';

const W = 560, ROW_H = 34;

export function BlockView() {
  const r = useAppStore(selectBlock);
  const row = useAppStore((s) => s.config.row);
  const block = useAppStore((s) => s.config.block);
  const setConfig = useAppStore((s) => s.setConfig);
  const tensorRows = useAppStore((s) => (s.results.tensor?.data as { rows?: number } | null)?.rows ?? null);
  const d = r.data;
  const stale = isStale(r) || r.status === 'running';
  const indexValidator = (max: number | null) => (t: string) =>
    /^[0-9]{1,7}$/.test(t) && (max === null || Number(t) < max) ? null : `a whole number from 0 to ${max === null ? '…' : max - 1}`;
  return (
    <div className="blockview">
      <div className="row-fields">
        <NumberField label="Row" value={String(row)} validate={indexValidator(tensorRows)} onCommit={(t) => setConfig({ row: Number(t) })} />
        <NumberField label="Block along the row" value={String(block)} validate={indexValidator(d?.blocksPerRow ?? null)} onCommit={(t) => setConfig({ block: Number(t) })} />
        {r.status === 'running' && <Progress label="Computing the block view" />}
      </div>
      {r.status === 'error' && <p className="error-text" role="alert">{r.error}</p>}
      {d && d.rules.length === 0 && <p>This format has no shared block scale to compare (it is a plain cast or uses a zero point).</p>}
      {d && d.rules.length > 0 && (
        <div className={stale ? 'stale' : undefined} aria-busy={stale}>
          <p>
            Row {d.row}, columns {d.col}–{d.col + d.x.length - 1} ({d.x.length} values, block {d.block} of {d.blocksPerRow}).
            Block absmax <strong>{fmtValue(d.amax)}</strong>; element max {fmtValue(d.elementMax)}.
          </p>
          <table className="data">
            <caption className="visually-hidden">Scale of this block under each rule</caption>
            <thead>
              <tr>
                <th scope="col">scale rule</th>
                <th scope="col">scale</th>
                <th scope="col">largest |x| / scale</th>
                <th scope="col">saturated</th>
                <th scope="col">Σ error²</th>
              </tr>
            </thead>
            <tbody>
              {d.rules.map((rr) => (
                <tr key={rr.rule} className={rr.saturatedCount ? 'row-sat' : undefined}>
                  <th scope="row">{BLOCK_RULE_LABELS[rr.rule]}</th>
                  <td>{rr.scales.map(fmtValue).join(' / ')}</td>
                  <td>{fmtValue(rr.peak)}</td>
                  <td>{rr.saturatedCount ? `${rr.saturatedCount} clipped` : '0'}</td>
                  <td>{rr.sqErr.toExponential(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <BlockStrips />
        </div>
      )}
      {!d && r.status !== 'error' && <Progress label="Computing the block view" />}
    </div>
  );
}

/** Each rule as a strip: the element grid (ticks) and the block's scaled values (dots; × = saturated). */
function BlockStrips() {
  const d = useAppStore(selectBlock).data!;
  const gridMax = d.elementMax;
  if (!Number.isFinite(gridMax)) return null;
  let yMax = gridMax;
  for (const rr of d.rules) for (const v of rr.y) if (Number.isFinite(v)) yMax = Math.max(yMax, Math.abs(v));
  const x = scaleLinear().domain([-yMax * 1.05, yMax * 1.05]).range([150, W - 10]);
  const h = d.rules.length * ROW_H + 24;
  return (
    <svg className="blockstrips" viewBox={`0 0 ${W} ${h}`} role="img" aria-label="Where each element of the block lands after scaling, per rule; crosses mark saturated elements">
      {d.rules.map((rr, k) => {
        const y = 14 + k * ROW_H;
        return (
          <g key={rr.rule} transform={`translate(0,${y})`}>
            <text className="strip-label" x={4} y={ROW_H / 2 + 4}>
              {BLOCK_RULE_LABELS[rr.rule]}
            </text>
            <rect className="strip-ok" x={x(-gridMax)} y={4} width={x(gridMax) - x(-gridMax)} height={ROW_H - 8} />
            <line className="max-line" x1={x(gridMax)} x2={x(gridMax)} y1={2} y2={ROW_H - 2} />
            <line className="max-line" x1={x(-gridMax)} x2={x(-gridMax)} y1={2} y2={ROW_H - 2} />
            {Array.from(rr.y).map((v, i) =>
              !Number.isFinite(v) ? null : rr.saturated[i] ? (
                <path key={i} className="dot-sat" d={`M${x(v) - 4},${ROW_H / 2 - 4}l8,8m0,-8l-8,8`} />
              ) : (
                <circle key={i} className="dot" cx={x(v)} cy={ROW_H / 2} r={2.6} />
              ),
            )}
          </g>
        );
      })}
      <g transform={`translate(0,${h - 8})`}>
        {[-gridMax, 0, gridMax].map((t) => (
          <text key={t} className="axis-text" x={x(t)} textAnchor="middle">
            {fmtValue(t)}
          </text>
        ))}
      </g>
    </svg>
  );
}
