/** Store → props adapter for the outlier split (outliers=Q in the URL). */
import { OutlierSplitTable } from '../../../features/outlier-split/OutlierSplitTable.tsx';
import { ANALYSIS_JOB, type OutlierSplitData } from '../../../state/analysisTypes.ts';
import { useAppStore } from '../../../state/store.ts';
import { Select } from '../../../ui/Select.tsx';
import { JobView, useConfigExcept, useJob } from './common.tsx';

const QUANTILES = ['0.99', '0.999', '0.9999'];

export function OutlierSplitPanel() {
  const r = useJob<OutlierSplitData>(ANALYSIS_JOB.outlierSplit);
  const c = useConfigExcept();
  const setConfig = useAppStore((s) => s.setConfig);
  const q = c.outliers === null ? '' : String(c.outliers);
  return (
    <div className="analysis-outlier-split">
      <Select
        label="Keep in bf16 the elements above the quantile (outliers=)"
        value={q}
        options={[{ value: '', label: 'off' }, ...(q && !QUANTILES.includes(q) ? [{ value: q, label: q }] : []), ...QUANTILES.map((v) => ({ value: v, label: `${v} (top ${Number((100 * (1 - Number(v))).toPrecision(2))} %)` }))]}
        onChange={(v) => setConfig({ outliers: v === '' ? null : Number(v) })}
      />
      {c.outliers === null
        ? <p>Pick a quantile to see each format's error with the largest elements kept in bf16 (LLM.int8-style), and what it costs in bits.</p>
        : (
          <JobView entry={r} busyLabel="Quantizing with and without the outliers">
            {(d) => (
              <OutlierSplitTable
                quantile={d.quantile}
                rows={d.rows}
                caption={`${d.tensor}, outliers=${d.quantile}: ${d.options}`}
              />
            )}
          </JobView>
        )}
    </div>
  );
}
