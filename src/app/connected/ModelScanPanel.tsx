/**
 * Store → props adapter for the whole-model view (issue 7): choose the scan
 * variants (config `scan-formats`, in the URL), start/cancel the scan (run by
 * src/engine/modelJob.ts on the pool), the layer × format table, the worst
 * tensors, and the recommendation under a target bit budget (config `bits`).
 * A cell click opens that tensor with that format in the analysis view.
 */
import { useMemo, useState } from 'react';
import { ALL_FORMAT_IDS, getFormat } from '../../core/formats/registry.ts';
import { formatGranularity, parseGranularity, type QuantOptions } from '../../core/quant/options.ts';
import { parseVariant } from '../../core/model/scan.ts';
import { RecommendPanel, ScanTable, WorstTensors } from '../../features/model-scan/index.ts';
import { MAX_COMPARE } from '../../state/config.ts';
import { useAppStore, useAppStoreApi, type AppStore } from '../../state/store.ts';
import { Select } from '../../ui/Select.tsx';
import { Slider } from '../../ui/Slider.tsx';
import { selectOpenCheckpoint } from './TensorBrowserPanel.tsx';

const GRANULARITIES = [
  { value: '', label: 'as in the sidebar' }, { value: 'tensor', label: 'per tensor' }, { value: 'row', label: 'per row' },
  { value: 'column', label: 'per column' }, { value: 'group:32', label: 'group of 32' }, { value: 'group:64', label: 'group of 64' },
  { value: 'group:128', label: 'group of 128' }, { value: 'block:128x128', label: '128×128 blocks' },
];

/**
 * Opens `name` in the analysis view with the scanned variant: its format is
 * focused and compared, its granularity (or the scan's base one) set.
 */
export function openScannedTensor(store: AppStore, name: string, variant: string): void {
  const s = store.getState();
  const base = s.scan.base;
  let format: QuantOptions['format'];
  let granularity = s.config.granularity;
  try {
    const v = parseVariant(variant, base ?? undefined);
    format = v.options.format;
    granularity = formatGranularity(v.options.granularity);
  } catch {
    return;
  }
  const formats = s.config.formats.includes(format) ? s.config.formats : [...s.config.formats.slice(0, MAX_COMPARE - 1), format];
  s.setConfig({
    tensor: name, format, formats, granularity, row: 0, block: 0,
    ...(base ? { scale: base.scale, scaleRule: base.scaleRule, rounding: base.rounding, clip: base.clip ?? null } : {}),
  });
  const target = typeof document !== 'undefined' ? document.querySelector('[data-panel="metrics"]') : null;
  target?.scrollIntoView({ block: 'start' });
}

function VariantPicker() {
  const variants = useAppStore((s) => s.config.scanFormats);
  const setConfig = useAppStore((s) => s.setConfig);
  const [format, setFormat] = useState('int4');
  const [gran, setGran] = useState('group:128');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    try {
      const label = parseVariant(gran ? `${format}@${gran}` : format).label;
      if (variants.includes(label)) return;
      if (variants.length >= 12) throw new Error('scan at most 12 formats at a time');
      setConfig({ scanFormats: [...variants, label] });
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div>
      <ul className="scan-variants" aria-label="formats to scan">
        {variants.map((v) => (
          <li key={v}>
            {v}
            <button type="button" aria-label={`remove ${v}`} disabled={variants.length <= 1}
              onClick={() => setConfig({ scanFormats: variants.filter((x) => x !== v) })}>×</button>
          </li>
        ))}
      </ul>
      <div className="scan-add">
        <Select label="Format" value={format} onChange={setFormat}
          options={ALL_FORMAT_IDS.map((id) => ({ value: id, label: getFormat(id).label }))} />
        <Select label="Scale granularity" value={gran} onChange={setGran} options={GRANULARITIES}
          hint={getFormat(format).kind === 'block' ? 'block formats have their own block scale; granularity does not apply' : undefined} />
        <button type="button" onClick={add}>Add format</button>
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}
    </div>
  );
}

function RecommendSection() {
  const rec = useAppStore((s) => s.recommendation);
  const status = useAppStore((s) => s.scan.status);
  const bits = useAppStore((s) => s.config.targetBits);
  const objective = useAppStore((s) => s.objective);
  const setConfig = useAppStore((s) => s.setConfig);
  const setObjective = useAppStore((s) => s.setObjective);
  if (status === 'idle' || status === 'running') {
    return <p className="hint">The recommendation appears when the scan has finished (or was cancelled, over the tensors scanned so far).</p>;
  }
  return (
    <div>
      <Slider label="Target bits per element" value={bits} min={2} max={16} step={0.25} format={(v) => v.toFixed(2)}
        onInput={(v) => setConfig({ targetBits: v }, 'replace')} hint="average over every scanned tensor, scale overhead included" />
      <RecommendPanel recommendation={rec.data} targetBits={bits} onTargetBitsChange={(v) => setConfig({ targetBits: Math.round(v * 100) / 100 })}
        objective={objective} onObjectiveChange={setObjective} error={rec.error} />
    </div>
  );
}

export function ModelScanPanel() {
  const store = useAppStoreApi();
  const cp = useAppStore(selectOpenCheckpoint);
  const scan = useAppStore((s) => s.scan);
  const view = useAppStore((s) => s.scanView);
  const setView = useAppStore((s) => s.setScanView);
  const variants = useAppStore((s) => s.config.scanFormats);
  const startScan = useAppStore((s) => s.startScan);
  const cancelScan = useAppStore((s) => s.cancelScan);
  const running = scan.status === 'running';
  const secondsLeft = useMemo(() => {
    const p = scan.progress;
    if (!running || !p || p.bytesDone <= 0) return null;
    const elapsed = (performance.now() - scan.startedAt) / 1000;
    return (elapsed / p.bytesDone) * (p.bytesTotal - p.bytesDone);
  }, [running, scan.progress, scan.startedAt]);
  if (!cp) return null;
  const start = () => {
    const c = store.getState().config;
    let granularity;
    try {
      granularity = parseGranularity(c.granularity);
    } catch {
      granularity = parseGranularity('row');
    }
    const base: Omit<QuantOptions, 'format'> = { granularity, scale: c.scale, scaleRule: c.scaleRule, clip: c.clip ?? undefined, rounding: c.rounding, seed: c.seed };
    // a big model reads better by layer first (the per-tensor table is one row per tensor)
    if (cp.tensors.length > 300 && view.groupBy === 'tensor') setView({ groupBy: 'layer' });
    startScan(c.scanFormats, base);
  };
  const open = (name: string, variant: string) => openScannedTensor(store, name, variant);
  const fromOtherFormats = scan.variants.length > 0 && scan.variants.join(',') !== variants.join(',');
  const scanned = new Set(scan.rows.map((r) => r.name)).size;
  const of = scan.progress ? ` of ${scan.progress.tensorsTotal}` : '';
  const statusText = scan.status === 'cancelled' ? `Cancelled: the ${scanned} tensors scanned so far are kept (${scanned}${of}).`
    : scan.status === 'error' ? null
      : scan.status === 'done' ? `Done in ${(((scan.finishedAt ?? scan.startedAt) - scan.startedAt) / 1000).toFixed(1)} s: ${scanned} tensors × ${scan.variants.length} formats.` : null;
  return (
    <div className="model-scan">
      <p className="hint">
        Quantizes every floating-point tensor of the checkpoint with each format, one tensor at a time per worker, and
        measures the error. Scalar formats use the sidebar's granularity unless a variant names one (e.g. int4@group:128).
      </p>
      <VariantPicker />
      <div className="scan-actions">
        {running
          ? <button type="button" onClick={cancelScan}>Cancel scan</button>
          : <button type="button" onClick={start}>{scan.status === 'idle' ? 'Scan model' : 'Scan again'}</button>}
        {statusText && <span role="status">{statusText}</span>}
        {fromOtherFormats && !running && <span className="hint">The table shows the last scan ({scan.variants.join(', ')}).</span>}
      </div>
      {scan.status === 'error' && <p className="error-text" role="alert">The scan stopped: {scan.error}</p>}
      {scan.status !== 'idle' && (
        <>
          <div className="scan-table-wrap">
            <ScanTable rows={scan.rows} variants={scan.variants} groupBy={view.groupBy} onGroupByChange={(groupBy) => setView({ groupBy })}
              metric={view.metric} onMetricChange={(metric) => setView({ metric })} sort={view.sort} onSortChange={(sort) => setView({ sort })}
              onOpenTensor={open} progress={running ? scan.progress : null} secondsLeft={secondsLeft} onCancel={running ? cancelScan : undefined} />
          </div>
          {view.groupBy !== 'tensor' && <p className="hint">Group by “each tensor” to open a tensor from its cell.</p>}
          {scan.skipped.length > 0 && (
            <details className="hint">
              <summary>{scan.skipped.length} tensors not scanned</summary>
              <ul>{scan.skipped.slice(0, 200).map((k) => <li key={k.name}>{k.name}: {k.reason}</li>)}</ul>
            </details>
          )}
          <div className="model-columns">
            {scan.rows.length > 0 && <div className="worst-lists"><WorstTensors rows={scan.rows} variants={scan.variants} metric={view.metric} onOpenTensor={open} /></div>}
            <RecommendSection />
          </div>
        </>
      )}
    </div>
  );
}
