/**
 * Store → props adapter for the release diff (issue 7): open the quantized
 * release of the opened checkpoint (files or a folder), the engine diffs them
 * tensor by tensor in a worker; progress, cancel, and the DiffTable (the
 * release's real error next to quantscope's own quantizer for that format).
 */
import type { CheckpointMatch } from '../../core/model/match.ts';
import { DiffTable } from '../../features/model-scan/index.ts';
import { OpenFiles, ReadProgress } from '../../features/tensor-browser/index.ts';
import { Progress } from '../../ui/Progress.tsx';
import { useAppStore } from '../../state/store.ts';
import { selectOpenCheckpoint } from './TensorBrowserPanel.tsx';

/** while rows stream in, before the worker reports the match lists */
const NO_MISMATCHES: CheckpointMatch = { pairs: [], missingInRelease: [], extraInRelease: [], mismatched: [], auxiliary: [] };

export function DiffPanel() {
  const cp = useAppStore(selectOpenCheckpoint);
  const release = useAppStore((s) => s.release);
  const diff = useAppStore((s) => s.diff);
  const openReq = useAppStore((s) => (s.openRequest?.purpose === 'release' ? s.openRequest : null));
  const requestOpen = useAppStore((s) => s.requestOpen);
  const cancelOpen = useAppStore((s) => s.cancelOpen);
  const cancelDiff = useAppStore((s) => s.cancelDiff);
  const clearRelease = useAppStore((s) => s.clearRelease);
  const setConfig = useAppStore((s) => s.setConfig);
  if (!cp) return null;
  const running = diff.status === 'running';
  return (
    <div className="diff-panel">
      <p className="hint">
        Open a quantized release of this checkpoint (FP8 with block scales, MXFP4/NVFP4 packed, GGUF Q8_0/Q4_0, …):
        each tensor is matched by name, decoded with its scales and compared with the original.
      </p>
      <OpenFiles label="Open the release files…" folderLabel="Open the release folder…" onFiles={(files) => requestOpen(files, 'release')}
        hint="The release is read on this computer only, tensor by tensor." />
      {openReq && (
        <ReadProgress label="Reading the release's headers" bytesRead={openReq.bytesRead} totalBytes={0} startedAt={openReq.startedAt} onCancel={cancelOpen} />
      )}
      {release && (
        <div className="scan-actions">
          <span>Release: <strong>{release.info.fileNames.length === 1 ? release.info.fileNames[0] : `${release.info.fileNames.length} files`}</strong> ({release.info.tensors.length} tensors)</span>
          {running && <Progress label="Comparing the release" value={diff.total ? diff.done / diff.total : null} />}
          {running && <span>{diff.done} of {diff.total || '…'} tensors</span>}
          {running && <button type="button" onClick={cancelDiff}>Cancel</button>}
          {!running && <button type="button" onClick={clearRelease}>Close the release</button>}
        </div>
      )}
      {diff.status === 'error' && <p className="error-text" role="alert">The comparison stopped: {diff.error}</p>}
      {(diff.match || diff.rows.length > 0) && (
        <DiffTable
          result={{ rows: diff.rows, match: diff.match ?? NO_MISMATCHES, cancelled: diff.status === 'cancelled' }}
          onOpenTensor={(name) => setConfig({ tensor: name, row: 0, block: 0 })}
        />
      )}
    </div>
  );
}
