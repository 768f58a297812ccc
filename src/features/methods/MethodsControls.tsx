/**
 * Controls of the methods panel: AWQ α (search or fixed), SVDQuant rank
 * (0–128) and smoothing α, progress with Cancel, and Compare/Resume. Props only.
 */
import { Slider } from '../../ui/Slider.tsx';
import { Toggle } from '../export/Toggle.tsx';

export interface MethodsControlsProps {
  awqAlpha: number | null;
  onAwqAlpha(alpha: number | null): void;
  rank: number;
  /** 1 when the rank comes from transform=svdquant:R (R ≥ 1), else 0 */
  minRank: number;
  maxRank: number;
  onRank(rank: number): void;
  svdAlpha: number;
  onSvdAlpha(alpha: number): void;
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  done: number;
  total: number;
  /** false until the user asks (or picks a pair transform) */
  active: boolean;
  onStart(): void;
  onCancel(): void;
}

export function MethodsControls(p: MethodsControlsProps) {
  const running = p.status === 'running';
  return (
    <div className="controls methods-controls" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5em 1.5em', alignItems: 'end' }}>
      <div>
        <Toggle legend="AWQ α" value={p.awqAlpha === null ? 'search' : 'fixed'}
          options={[{ value: 'search', label: 'search' }, { value: 'fixed', label: 'fixed' }]}
          onChange={(v) => p.onAwqAlpha(v === 'search' ? null : 0.5)} />
        {p.awqAlpha !== null && (
          <Slider label="AWQ α" value={p.awqAlpha} min={0} max={1} step={0.05} onInput={(v) => p.onAwqAlpha(Math.round(v * 20) / 20)} />
        )}
      </div>
      <Slider label="SVDQuant rank" value={p.rank} min={p.minRank} max={p.maxRank} step={1} onInput={p.onRank} />
      <Slider label="SVDQuant smoothing α" value={p.svdAlpha} min={0} max={1} step={0.05} onInput={(v) => p.onSvdAlpha(Math.round(v * 20) / 20)} />
      <div>
        {!p.active && <button type="button" onClick={p.onStart}>Compare methods on this pair</button>}
        {p.active && running && (
          <>
            <label>
              {' '}{p.done} of {p.total} points <progress max={Math.max(1, p.total)} value={p.done} />
            </label>{' '}
            <button type="button" onClick={p.onCancel}>Cancel</button>
          </>
        )}
        {p.active && p.status === 'cancelled' && (
          <><span role="status">Cancelled at {p.done} of {p.total} points; the ones computed are shown.</span>{' '}<button type="button" onClick={p.onStart}>Resume</button></>
        )}
        {p.active && p.status === 'done' && <span role="status">All {p.total} points computed.</span>}
      </div>
    </div>
  );
}
