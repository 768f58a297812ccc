/**
 * The heatmap readout's per-format part (issue 5): for the element the
 * readout points at (the one holding the hovered / focused cell's max |x|),
 * its value and its quantized value x̂ under each compared format, with the
 * error x̂ − x and the relative error |x̂ − x|/|x|. Values are in tensor units.
 * On the "after" side the element is one of X' (the transformed tensor): the
 * table adds Q(x′), the quantized transformed value, next to x̂ in the original
 * space. Props only; the numbers come from the worker (elementProbe.ts).
 */
import { useId } from 'react';
import type { ElementProbeData } from '../../state/analysisTypes.ts';
import { fmtNum } from '../export/format.ts';

export interface ElementReadoutProps {
  /** the probe result, or null while none has arrived */
  data: ElementProbeData | null;
  /** the element the readout points at now; data for another element is shown as pending */
  want: { side: 'before' | 'after'; row: number; col: number; tensor?: 'w' };
  /** format id → label */
  labelOf: (id: string) => string;
  /** the worker failed (message) */
  error?: string | null;
}

const digits = 5;

function relText(xhat: number, x: number): string {
  if (x === 0) return xhat === 0 ? '0 %' : '—';
  const r = Math.abs(xhat - x) / Math.abs(x);
  return `${fmtNum(100 * r, 3)} %`;
}

export function ElementReadout({ data, want, labelOf, error }: ElementReadoutProps) {
  const captionId = useId();
  const fresh = data !== null && data.side === want.side && data.row === want.row && data.col === want.col && data.tensor === want.tensor;
  if (!fresh) {
    return <span className="element-readout" aria-busy="true">{error ? `x̂ unavailable: ${error}` : 'computing x̂ per format…'}</span>;
  }
  const after = data.side === 'after';
  const t = data.transform;
  /** the element's symbol: x of the analysed tensor, w of the SmoothQuant weight */
  const v = data.tensor === 'w' ? 'w' : 'x';
  return (
    <div className="element-readout" data-row={data.row} data-col={data.col} data-side={data.side}>
      <div id={captionId}>
        {after
          ? <>{v}′[{data.row}, {data.col}] = <span data-testid="probe-xprime">{fmtNum(data.xPrime, digits)}</span> after {t} ({v} = {fmtNum(data.x, digits)} before): Q({v}′) per format, and {v}̂ = Q({v}′) mapped back to the original space (tensor units)</>
          : <>{v}[{data.row}, {data.col}] = <span data-testid="probe-x">{fmtNum(data.x, digits)}</span> quantized by each format{t === 'none' ? '' : `, through ${t} and back`} (tensor units)</>}
      </div>
      <table className="probe-table" aria-labelledby={captionId} style={{ borderCollapse: 'collapse', marginTop: 4, fontVariantNumeric: 'tabular-nums' }}>
        <thead>
          <tr>
            <th scope="col" style={{ textAlign: 'left', paddingRight: 12 }}>Format</th>
            {after && <th scope="col" style={{ textAlign: 'right', paddingRight: 12 }}>Q({v}′)</th>}
            <th scope="col" style={{ textAlign: 'right', paddingRight: 12 }}>{v}̂</th>
            <th scope="col" style={{ textAlign: 'right', paddingRight: 12 }}>{v}̂ − {v}</th>
            <th scope="col" style={{ textAlign: 'right' }}>|{v}̂ − {v}| / |{v}|</th>
          </tr>
        </thead>
        <tbody>
          {data.perFormat.map((f) => (
            <tr key={f.format} data-format={f.format}>
              <th scope="row" style={{ textAlign: 'left', fontWeight: 'normal', paddingRight: 12 }}>{labelOf(f.format)}</th>
              {f.error
                ? <td colSpan={after ? 4 : 3} className="error-text">{f.error}</td>
                : <>
                    {after && <td style={{ textAlign: 'right', paddingRight: 12 }} data-qprime={String(f.qPrime)}>{fmtNum(f.qPrime, digits)}</td>}
                    <td style={{ textAlign: 'right', paddingRight: 12 }} data-testid={`probe-xhat-${f.format}`} data-xhat={String(f.xhat)}>{fmtNum(f.xhat, digits)}</td>
                    <td style={{ textAlign: 'right', paddingRight: 12 }}>{fmtNum(f.xhat - data.x, 3)}</td>
                    <td style={{ textAlign: 'right' }}>{relText(f.xhat, data.x)}</td>
                  </>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
