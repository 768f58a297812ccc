/**
 * The tensors of an opened checkpoint (issue 6): labelled search, optional
 * grouping by layer, dtype/shape/size columns, a per-dtype parameter summary,
 * the file's `__metadata__`, packed tensors flagged with their decoding rule.
 * Choosing a row analyses that tensor; "Use as weight W" picks the weight of
 * an activation/weight pair. Props only.
 *
 * Keyboard: the table is an ARIA grid with one tab stop; ↑/↓, Home/End,
 * PageUp/PageDown move between tensors, Enter or Space analyses the focused
 * one, W makes it the weight; ↓ in the search box enters the table.
 */
import { useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TensorInfo } from '../../core/io/types.ts';
import { packedPartNames } from '../../core/model/scan.ts';
import { unusableReason } from '../../state/slices/sourceSlice.ts';
import { dtypeSummary, filterTensors, fmtBytes, fmtCount, fmtShape, groupByLayer, numelOf } from './browserModel.ts';
import './tensorBrowser.css';

export interface TensorBrowserProps {
  tensors: readonly TensorInfo[];
  metadata: Readonly<Record<string, string>>;
  /** "safetensors", "gguf", … */
  format: string;
  fileNames: readonly string[];
  totalBytes: number;
  /** the analysed tensor (config `tensor`) */
  selected: string | null;
  onSelect(name: string): void;
  /** the weight W of a pair (config `weight-tensor`); omit onSetWeight to hide pair picking */
  weightTensor?: string | null;
  onSetWeight?(name: string | null): void;
  /** shown under the table for the selected tensor (e.g. its packed-scale statistics) */
  selectedDetails?: ReactNode;
  /** most rows drawn at once (the filter narrows the rest) */
  maxRows?: number;
}

/** "model.safetensors.index.json + 2 shards", "a.npy", "3 files" */
export function filesLabel(names: readonly string[]): string {
  const index = names.find((n) => /\.index\.json$/i.test(n));
  if (index) return `${index} + ${names.length - 1} shard${names.length === 2 ? '' : 's'}`;
  return names.length === 1 ? names[0] : `${names.length} files`;
}

type Item = { kind: 'group'; label: string; count: number; params: number } | { kind: 'tensor'; t: TensorInfo; part: string | null };

export function TensorBrowser(p: TensorBrowserProps) {
  const uid = useId();
  const [query, setQuery] = useState('');
  const [grouped, setGrouped] = useState(true);
  const [focusName, setFocusName] = useState<string | null>(null);
  const gridRef = useRef<HTMLTableElement>(null);
  const maxRows = p.maxRows ?? 400;

  const summary = useMemo(() => dtypeSummary(p.tensors), [p.tensors]);
  /** stored part name → the logical packed tensor it belongs to */
  const partOf = useMemo(() => {
    const m = new Map<string, string>();
    for (const t of p.tensors) for (const part of t.packed?.parts ?? []) if (part !== t.name) m.set(part, t.name);
    return m;
  }, [p.tensors]);
  const parts = useMemo(() => packedPartNames(p.tensors), [p.tensors]);
  const filtered = useMemo(() => filterTensors(p.tensors, query), [p.tensors, query]);
  const shown = filtered.slice(0, maxRows);
  const items: Item[] = useMemo(() => {
    const tensorItem = (t: TensorInfo): Item => ({ kind: 'tensor', t, part: parts.has(t.name) ? partOf.get(t.name) ?? null : null });
    if (!grouped) return shown.map(tensorItem);
    return groupByLayer(shown).flatMap((g): Item[] => [
      { kind: 'group', label: g.label, count: g.tensors.length, params: g.tensors.reduce((n, t) => n + (parts.has(t.name) ? 0 : numelOf(t.shape)), 0) },
      ...g.tensors.map(tensorItem),
    ]);
  }, [shown, grouped, parts, partOf]);
  const rowsInOrder = items.flatMap((it) => (it.kind === 'tensor' ? [it.t] : []));
  const focusIndex = Math.max(0, rowsInOrder.findIndex((t) => t.name === (focusName ?? p.selected)));
  const focused = rowsInOrder[focusIndex]?.name ?? null;

  const focusRow = (i: number) => {
    const t = rowsInOrder[Math.max(0, Math.min(rowsInOrder.length - 1, i))];
    if (!t) return;
    setFocusName(t.name);
    // move DOM focus to the row (roving tabindex) now when it is on the page, so a key pressed right
    // after lands on it; after the next render otherwise
    const focusNow = () => {
      const rows = gridRef.current?.querySelectorAll<HTMLElement>('tr[data-name]') ?? [];
      for (const r of rows) if (r.dataset.name === t.name) { r.focus(); return true; }
      return false;
    };
    if (!focusNow()) requestAnimationFrame(focusNow);
  };
  const selectable = (t: TensorInfo) => !unusableReason(t);
  const onGridKey = (e: KeyboardEvent) => {
    const page = 10;
    const k = e.key;
    if (k === 'ArrowDown') focusRow(focusIndex + 1);
    else if (k === 'ArrowUp') focusRow(focusIndex - 1);
    else if (k === 'Home') focusRow(0);
    else if (k === 'End') focusRow(rowsInOrder.length - 1);
    else if (k === 'PageDown') focusRow(focusIndex + page);
    else if (k === 'PageUp') focusRow(focusIndex - page);
    else if (k === 'Enter' || k === ' ') {
      const t = rowsInOrder[focusIndex];
      if (t && selectable(t)) p.onSelect(t.name);
    } else if ((k === 'w' || k === 'W') && p.onSetWeight) {
      const t = rowsInOrder[focusIndex];
      if (t && selectable(t)) p.onSetWeight(t.name);
    } else return;
    e.preventDefault();
  };

  const metaEntries = Object.entries(p.metadata);
  const sel = p.tensors.find((t) => t.name === p.selected) ?? null;

  return (
    <div className="tensor-browser">
      <p className="tb-summary" aria-label="checkpoint summary">
        <strong>{filesLabel(p.fileNames)}</strong>
        {` · ${p.format} · ${summary.tensors} tensors${summary.tensors !== p.tensors.length ? ` (${p.tensors.length} stored, counting the parts of packed tensors)` : ''} · ${fmtCount(summary.params)} parameters (`}
        {summary.byDtype.map((d, i) => (
          <span key={d.dtype}>{i > 0 ? ', ' : ''}<span className="tb-dtype">{d.dtype}</span> {fmtCount(d.params)}</span>
        ))}
        {`) · ${fmtBytes(p.totalBytes)}`}
      </p>
      {metaEntries.length > 0 && (
        <details className="tb-meta">
          <summary>Metadata ({metaEntries.length} {metaEntries.length === 1 ? 'entry' : 'entries'})</summary>
          <dl className="summary">
            {metaEntries.slice(0, 200).map(([k, v]) => (
              <div key={k} className="tb-meta-row"><dt>{k}</dt><dd>{v.length > 300 ? `${v.slice(0, 300)}…` : v}</dd></div>
            ))}
          </dl>
        </details>
      )}
      <div className="tb-controls">
        <div className="field tb-search">
          <label htmlFor={`${uid}-q`}>Filter tensors by name</label>
          <input
            id={`${uid}-q`} type="search" value={query} placeholder="e.g. layers.3 q_proj" aria-controls={`${uid}-grid`}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'ArrowDown') { e.preventDefault(); focusRow(focusIndex); } }}
          />
        </div>
        <label className="tb-check"><input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} /> Group by layer</label>
        <span className="hint" role="status">
          {filtered.length === p.tensors.length ? `${p.tensors.length} tensors` : `${filtered.length} of ${p.tensors.length} tensors match`}
          {filtered.length > maxRows ? `; showing the first ${maxRows}, narrow the filter to see the rest` : ''}
        </span>
      </div>
      <div className="tb-scroll">
        <table
          ref={gridRef} id={`${uid}-grid`} role="grid" className="data tb-grid" aria-label="Tensors in the checkpoint"
          aria-describedby={`${uid}-keys`} aria-rowcount={items.length + 1} onKeyDown={onGridKey}
        >
          <thead>
            <tr>
              <th scope="col">tensor</th><th scope="col">dtype</th><th scope="col">shape</th><th scope="col">parameters</th><th scope="col">size</th>
            </tr>
          </thead>
          <tbody>
            {items.map((it) => {
              if (it.kind === 'group') {
                return (
                  <tr key={`g:${it.label}`} className="tb-group">
                    <th scope="colgroup" colSpan={5}>{it.label} <span className="muted">· {it.count} tensors · {fmtCount(it.params)} parameters</span></th>
                  </tr>
                );
              }
              const t = it.t;
              const isSel = t.name === p.selected;
              const isW = t.name === p.weightTensor;
              const disabled = !selectable(t);
              return (
                <tr
                  key={t.name} data-name={t.name} tabIndex={t.name === focused ? 0 : -1}
                  aria-selected={isSel} aria-disabled={disabled || undefined}
                  className={`tb-row${isSel ? ' tb-selected' : ''}${it.part ? ' tb-part' : ''}`}
                  onClick={() => { setFocusName(t.name); if (!disabled) p.onSelect(t.name); }}
                  onFocus={() => setFocusName(t.name)}
                >
                  <td role="gridcell" className="tb-name">
                    <span className="tb-name-text">{t.name}</span>
                    {isSel && <> <span className="tb-badge tb-badge-x" title="analysed">analysed</span></>}
                    {isW && <> <span className="tb-badge tb-badge-w" title="weight W of the pair">W</span></>}
                    {t.packed && <> <span className="tb-badge tb-badge-packed" title={t.packed.rule}>packed {t.packed.kind}</span></>}
                    {it.part && <span className="tb-note">stored part of {it.part}</span>}
                    {unusableReason(t) && <span className="tb-note">{unusableReason(t)}</span>}
                  </td>
                  <td role="gridcell">{t.dtype}</td>
                  <td role="gridcell">{fmtShape(t.shape)}</td>
                  <td role="gridcell">{fmtCount(numelOf(t.shape))}</td>
                  <td role="gridcell">{fmtBytes(t.byteSize)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="hint" id={`${uid}-keys`}>
        Click a tensor or press Enter to analyse it{p.onSetWeight ? '; W makes it the weight of an activation/weight pair' : ''}. Arrow keys move.
      </p>
      {sel && (
        <section className="tb-details" aria-label="selected tensor">
          <h3>{sel.name}</h3>
          <dl className="summary">
            <dt>stored as</dt><dd>{sel.dtype}{sel.packed ? ` (${sel.packed.kind}, ${sel.packed.scaleFormat} scales, block ${Array.isArray(sel.packed.blockSize) ? sel.packed.blockSize.join('×') : sel.packed.blockSize})` : ''}</dd>
            <dt>shape</dt><dd>{fmtShape(sel.shape)} · {fmtCount(numelOf(sel.shape))} parameters · {fmtBytes(sel.byteSize)}</dd>
            {sel.packed && (<><dt>decoding</dt><dd>{sel.packed.rule}</dd></>)}
            {sel.packed && sel.packed.parts.length > 0 && (<><dt>stored parts</dt><dd>{sel.packed.parts.join(', ')}</dd></>)}
          </dl>
          {p.selectedDetails}
          {p.onSetWeight && (
            <p className="tb-pair">
              {p.weightTensor ? <>Weight W: <strong>{p.weightTensor}</strong> </> : 'No weight W picked for pair transforms. '}
              {p.weightTensor !== sel.name && <button type="button" onClick={() => p.onSetWeight!(sel.name)}>Use {sel.name.split('.').slice(-2).join('.')} as weight W</button>}
              {p.weightTensor && <button type="button" onClick={() => p.onSetWeight!(null)}>Clear weight W</button>}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
