/**
 * Store → props adapter for the LoRC curve: started by the user, computed on
 * its own worker with progress; cancel stops it at once.
 */
import { useMemo } from 'react';
import { LorcCurve } from '../../../features/lorc-curve/LorcCurve.tsx';
import { getFormat } from '../../../core/formats/registry.ts';
import { LORC_ITERS } from '../../../core/transforms/lorc.ts';
import { ANALYSIS_JOB, type LorcData } from '../../../state/analysisTypes.ts';
import { lorcKey } from '../../../state/analysisView.ts';
import { useAppStore, useConfigExcept } from '../../../state/store.ts';
import { useJob } from './common.tsx';

const CANCELLED = 'cancelled';

export function LorcPanel() {
  const r = useJob<LorcData>(ANALYSIS_JOB.lorc);
  const c = useConfigExcept(); // not re-rendered by a pan or zoom
  const start = useAppStore((s) => s.requestLorc);
  const cancel = useAppStore((s) => s.cancelLorc);
  const key = lorcKey(c);
  const status = r.status === 'running' ? 'running' : r.status === 'error' ? (r.error === CANCELLED ? 'cancelled' : 'error')
    : r.status === 'done' ? 'done' : 'idle';
  const d = r.data;
  const error = r.error;
  const current = d !== null && r.forKey === key;
  // whole per cent: the curve element is rebuilt only when the shown number changes
  const done = r.status === 'running' ? Math.round((r.progress ?? 0) * 100) / 100 : undefined;
  // the curve depends on the job only: built once per change of it, not redrawn on every config change
  const curve = useMemo(() => (
    <LorcCurve
      series={d ? [{ label: `${getFormat(d.format).label} + rank-r fp16 correction`, points: d.ranks.map((rank, i) => ({ rank, value: d.relErr[i] })) }] : []}
      metricLabel="relative error ‖W − Ŵ′‖/‖W‖"
      status={status}
      progress={done}
      error={error ?? undefined}
      onStart={start}
      onCancel={cancel}
      caption={d ? `LoRC for ${d.weightName} [${d.shape.join(', ')}] in ${getFormat(d.format).label}: rank 0…${d.ranks[d.ranks.length - 1]}; each rank of the fp16 correction stores ${d.extraBytes[1] ?? 0} bytes; computed in ${(d.ms / 1000).toFixed(1)} s on ${d.workers === 1 ? 'one worker' : `${d.workers} workers`}` : 'LoRC error versus rank'}
    />
  ), [d, status, done, error, start, cancel]);
  const weight = c.file === null ? 'the Linear weight sample (same size and seed)' : (c.weightTensor ?? c.tensor ?? 'the tensor');
  return (
    <div className="analysis-lorc">
      <p className="hint">
        LoRC keeps the top-r singular vectors of the error W − Ŵ in fp16 (randomized SVD, {LORC_ITERS} power iterations). Weight: {weight}; format {getFormat(c.format).label}, granularity {c.granularity}.
        {d && !current && r.status !== 'running' ? ' The curve shown is for earlier settings: recompute.' : ''}
      </p>
      <div className={d && !current ? 'stale' : undefined}>
        {curve}
      </div>
    </div>
  );
}
