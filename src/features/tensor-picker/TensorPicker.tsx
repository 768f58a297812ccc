/** Which tensor to look at: a built-in seeded sample (default) or a file (read in the worker). */
import { SAMPLE_INFO, SAMPLE_KINDS, SAMPLE_SIZES, type SampleKind, type SampleSize } from '../../core/samples/samples.ts';
import { selectTensor } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { unusableReason } from '../../state/slices/sourceSlice.ts';
import { tensorText } from '../../state/config.ts';
import { SCHEMA_BY_KEY } from '../../state/url/schema.ts';
import { OpenFiles } from '../tensor-browser/OpenFiles.tsx';
import { PageDrop } from '../tensor-browser/PageDrop.tsx';
import { ReadProgress } from '../tensor-browser/ReadProgress.tsx';
import { NumberField } from '../../ui/NumberField.tsx';
import { Progress } from '../../ui/Progress.tsx';
import { Select } from '../../ui/Select.tsx';
import { Hideable } from '../lessons/Hideable.tsx';

const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(3));

function TensorSummary() {
  const t = useAppStore(selectTensor);
  if (t.status === 'error') return <p className="error-text" role="alert">{t.error}</p>;
  if (!t.data) return <Progress label="Generating the tensor" />;
  const { shape, summary } = t.data;
  return (
    <dl className={`summary${t.forKey !== t.wantedKey ? ' stale' : ''}`} aria-label="Tensor statistics">
      <dt>shape</dt>
      <dd>[{shape.join(', ')}]</dd>
      <dt>absmax</dt>
      <dd>{fmt(summary.absmax)}</dd>
      <dt>mean ± std</dt>
      <dd>
        {fmt(summary.mean)} ± {fmt(summary.std)}
      </dd>
      {summary.nonfinite > 0 && (
        <>
          <dt>NaN/Inf</dt>
          <dd>{summary.nonfinite}</dd>
        </>
      )}
    </dl>
  );
}

/**
 * The weight W for pair transforms (SmoothQuant, AWQ, SVDQuant), the matmul
 * table and LoRC (`weight-tensor=`): a tensor of the same file whose last axis
 * (input features) matches the analysed tensor's channels.
 */
function WeightPicker({ listing, tensor }: { listing: readonly { name: string; shape: number[]; dtype: string; notDecoded?: string }[]; tensor: string | null }) {
  const weightTensor = useAppStore((s) => s.config.weightTensor);
  const setConfig = useAppStore((s) => s.setConfig);
  const x = listing.find((t) => t.name === tensor);
  const channels = x && x.shape.length > 0 ? x.shape[x.shape.length - 1] : null;
  return (
    <Select
      label="Weight (for pair transforms)"
      value={weightTensor ?? ''}
      options={[
        { value: '', label: 'none' },
        ...listing.filter((t) => t.name !== tensor).map((t) => {
          const inF = t.shape.length > 0 ? t.shape[t.shape.length - 1] : 1;
          const fits = channels === null || inF === channels;
          return {
            value: t.name,
            label: `${tensorText(t)}${fits ? '' : ` (${inF} input features ≠ ${channels} channels)`}`,
            disabled: Boolean(unusableReason(t)) || !fits,
          };
        }),
      ]}
      hint="W [out, in] for X·Wᵀ: SmoothQuant, AWQ and SVDQuant need it, and so do the matmul table and LoRC."
      onChange={(v) => setConfig({ weightTensor: v === '' ? null : v })}
    />
  );
}

export function TensorPicker() {
  const sample = useAppStore((s) => s.config.sample);
  const size = useAppStore((s) => s.config.size);
  const seed = useAppStore((s) => s.config.sampleSeed);
  const file = useAppStore((s) => s.config.file);
  const setConfig = useAppStore((s) => s.setConfig);
  const requestOpen = useAppStore((s) => s.requestOpen);
  const cancelOpen = useAppStore((s) => s.cancelOpen);
  const opening = useAppStore((s) => (s.openRequest?.purpose === 'checkpoint' ? s.openRequest : null));
  const listing = useAppStore((s) => s.listing);
  const tensor = useAppStore((s) => s.config.tensor);
  const hasFiles = useAppStore((s) => s.files !== null);
  const closeCheckpoint = useAppStore((s) => s.closeCheckpoint);
  return (
    <section className="control-group" aria-labelledby="tensor-heading">
      <h2 id="tensor-heading">Tensor</h2>
      {file === null ? (
        <>
          <Hideable id="sample">
          <Select
            label="Sample"
            value={sample}
            options={SAMPLE_KINDS.map((k) => ({ value: k, label: SAMPLE_INFO[k].label }))}
            hint={SAMPLE_INFO[sample].description}
            onChange={(v) => setConfig({ sample: v as SampleKind })}
          />
          </Hideable>
          <Hideable id="size">
          <Select
            label="Size"
            value={String(size)}
            options={SAMPLE_SIZES.map((n) => ({ value: String(n), label: `${n} × ${n}` }))}
            onChange={(v) => setConfig({ size: Number(v) as SampleSize })}
          />
          </Hideable>
          <Hideable id="sample-seed">
          <NumberField
            label="Sample seed"
            value={String(seed)}
            validate={(t) => {
              try {
                SCHEMA_BY_KEY.get('sample-seed')!.parse(t);
                return null;
              } catch (e) {
                return (e as Error).message;
              }
            }}
            onCommit={(t) => setConfig({ sampleSeed: Number(t) })}
          />
          </Hideable>
        </>
      ) : (
        <div className="file-open">
          <p>
            File: <strong>{file.replace(/:[0-9]+$/, '')}</strong>
          </p>
          {listing && listing.length > 0 && (
            <Select
              label="Tensor"
              value={tensor ?? ''}
              options={listing.map((t) => ({
                value: t.name,
                label: `${tensorText(t)} ${t.dtype}${t.notDecoded ? ' (cannot decode)' : unusableReason(t) ? ` (${unusableReason(t)})` : ''}`,
                disabled: Boolean(unusableReason(t)),
              }))}
              onChange={(v) => setConfig({ tensor: v, row: 0, block: 0, r0: null, r1: null, c0: null, c1: null, channel: null })}
            />
          )}
          {listing && listing.length > 1 && <WeightPicker listing={listing} tensor={tensor} />}
          {!hasFiles && <p className="hint">This link names a file from someone's computer: open the same file to see it.</p>}
          {hasFiles && listing === null && <Progress label="Reading the file's tensor list" />}
          <button type="button" onClick={closeCheckpoint}>
            Back to the built-in samples
          </button>
        </div>
      )}
      <Hideable id="file">
      <OpenFiles
        label="Open a tensor file…"
        folderLabel="Open a folder…"
        onFiles={requestOpen}
        hint="safetensors (one file, or the shards with model.safetensors.index.json, or their folder), npy, npz or gguf; only headers are read until you pick a tensor, on this computer only. You can also drop files or a folder anywhere on the page."
      />
      <PageDrop onFiles={requestOpen} />
      {opening && (
        <ReadProgress label={`Reading the headers of ${opening.files.length === 1 ? opening.files[0].name : `${opening.files.length} files`}`}
          bytesRead={opening.bytesRead} totalBytes={0} startedAt={opening.startedAt} onCancel={cancelOpen} />
      )}
      </Hideable>
      <TensorSummary />
    </section>
  );
}
