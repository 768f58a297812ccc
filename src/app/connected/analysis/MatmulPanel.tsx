/** Store → props adapter for the W×A matmul table of the activation/weight pair. */
import { MatmulTable } from '../../../features/matmul-table/MatmulTable.tsx';
import { ANALYSIS_JOB, type MatmulTableData } from '../../../state/analysisTypes.ts';
import { PAIR_MISSING, pairKey } from '../../../state/analysisView.ts';
import { useAppStore } from '../../../state/store.ts';
import { JobView, formatLabel, useJob } from './common.tsx';

export function MatmulPanel() {
  const r = useJob<MatmulTableData>(ANALYSIS_JOB.matmul);
  const noPair = useAppStore((s) => pairKey(s.config) === null);
  if (noPair) return <p className="hint">{PAIR_MISSING.replace('This transform needs', 'The matmul table needs')}</p>;
  return (
    <JobView entry={r} busyLabel="Multiplying X̂·Ŵᵀ for each combination">
      {(d) => (
        <MatmulTable
          rows={d.rows.map((row) => ({ ...row, wLabel: formatLabel(row.wFormat), xLabel: formatLabel(row.xFormat) }))}
          caption={`Y = X·Wᵀ with X = ${d.tensor} and W = ${d.weightName}: both are quantized whole (granularity ${d.granularity}); Y is measured on the first ${d.tokens} tokens × ${d.outFeatures} output features (${d.channels} channels).`}
        />
      )}
    </JobView>
  );
}
