/** Store → props adapter for SQNR vs bits per element across the compared formats and granularities. */
import { TradeoffChart } from '../../../features/tradeoff-chart/TradeoffChart.tsx';
import { ANALYSIS_JOB, type TradeoffData } from '../../../state/analysisTypes.ts';
import { JobView, useJob } from './common.tsx';

export function TradeoffPanel() {
  const r = useJob<TradeoffData>(ANALYSIS_JOB.tradeoff);
  return (
    <JobView entry={r} busyLabel="Quantizing each format × granularity">
      {(d) => (
        <TradeoffChart
          points={d.points}
          caption={`${d.tensor}: SQNR of each compared format at granularity tensor, row, group:128 and group:32 (block formats at their own blocks), scale ${d.scale}, transform ${d.transform}. Bits include the scales.`}
        />
      )}
    </JobView>
  );
}
