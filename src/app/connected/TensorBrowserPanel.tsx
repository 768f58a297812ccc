/**
 * Store → props adapter for the tensor browser (issue 6). The panel shows
 * only while a checkpoint is open (see PANELS.when). Reading a packed tensor's
 * stored-scale statistics is asked of the engine for the selected tensor.
 */
import { useEffect } from 'react';
import { PackedStatsView, ReadProgress, TensorBrowser } from '../../features/tensor-browser/index.ts';
import { useAppStore } from '../../state/store.ts';
import type { AppState } from '../../state/store.ts';

/** The checkpoint whose files are the ones being analysed, or null. */
export const selectOpenCheckpoint = (s: AppState) => (s.checkpoint && s.files && s.config.file === s.checkpoint.key ? s.checkpoint : null);

function SelectedDetails({ name, blockElements }: { name: string; blockElements?: number }) {
  const entry = useAppStore((s) => s.tensorDetails[name]);
  const requestDetails = useAppStore((s) => s.requestDetails);
  useEffect(() => {
    requestDetails(name);
    return () => requestDetails(null);
  }, [name, requestDetails]);
  if (!entry) return null;
  if (entry.status === 'reading') {
    return <ReadProgress label="Reading the stored scales" bytesRead={entry.bytesRead} totalBytes={entry.totalBytes} startedAt={entry.startedAt} onCancel={() => requestDetails(null)} />;
  }
  if (entry.status === 'error') return <p className="error-text" role="alert">{entry.error}</p>;
  return entry.packedInfo ? <PackedStatsView stats={entry.packedInfo} blockElements={blockElements} /> : null;
}

/** The analysed tensor's read, with bytes and Cancel once it takes over ~100 ms. */
function TensorReadProgress() {
  const r = useAppStore((s) => s.tensorRead);
  const cancel = useAppStore((s) => s.cancelTensorRead);
  if (!r || r.cancelled) return null;
  return <ReadProgress key={r.jobId} label={`Reading ${r.name}`} bytesRead={r.bytesRead} totalBytes={r.totalBytes} startedAt={r.startedAt} onCancel={cancel} />;
}

/** The whole-model panels sit below the analysis; these jump there (and move focus to their heading). */
function jumpTo(panel: string) {
  const h = document.getElementById(`${panel}-title`);
  if (!h) return;
  h.scrollIntoView({ block: 'start' });
  h.setAttribute('tabindex', '-1');
  h.focus();
}

export function TensorBrowserPanel() {
  const cp = useAppStore(selectOpenCheckpoint);
  const selected = useAppStore((s) => s.config.tensor);
  const weightTensor = useAppStore((s) => s.config.weightTensor);
  const setConfig = useAppStore((s) => s.setConfig);
  if (!cp) return null;
  const sel = cp.tensors.find((t) => t.name === selected);
  return (
    <>
    <p className="tb-jump">
      <button type="button" className="link" onClick={() => jumpTo('model-scan')}>Scan the whole model ↓</button>
      <button type="button" className="link" onClick={() => jumpTo('diff')}>Compare with a quantized release ↓</button>
    </p>
    <TensorReadProgress />
    <TensorBrowser
      tensors={cp.tensors} metadata={cp.metadata} format={cp.format} fileNames={cp.fileNames} totalBytes={cp.totalBytes}
      selected={selected} onSelect={(name) => setConfig({ tensor: name, row: 0, block: 0 })}
      weightTensor={weightTensor} onSetWeight={(name) => setConfig({ weightTensor: name })}
      selectedDetails={sel?.packed ? <SelectedDetails name={sel.name} blockElements={typeof sel.packed.blockSize === 'number' ? sel.packed.blockSize : undefined} /> : null}
    />
    </>
  );
}
