/**
 * The teaching panel: what the focused format can represent (number line,
 * bits), what a real block of the tensor looks like under each scale rule, and
 * the compared formats side by side.
 */
import { useMemo, useState } from 'react';
import { gridInfo, gridValues, type GridId } from '../../core/explorer/grids.ts';
import { getFormat, type FormatId } from '../../core/formats/registry.ts';
import { useAppStore } from '../../state/store.ts';
import { Select } from '../../ui/Select.tsx';
import { BitEditor } from './BitEditor.tsx';
import { BlockView } from './BlockView.tsx';
import { CompareFormats } from './CompareFormats.tsx';
import { NumberLine } from './NumberLine.tsx';

function useGrid(id: GridId) {
  return useMemo(() => ({ info: gridInfo(id), values: gridValues(id) }), [id]);
}

function ScaleToggle() {
  const line = useAppStore((s) => s.config.line);
  const setConfig = useAppStore((s) => s.setConfig);
  return (
    <fieldset className="segmented">
      <legend>Number line</legend>
      {(['linear', 'log'] as const).map((v) => (
        <label key={v}>
          <input type="radio" name="line-scale" value={v} checked={line === v} onChange={() => setConfig({ line: v })} />
          {v === 'linear' ? 'linear' : 'log₂ (positive values)'}
        </label>
      ))}
    </fieldset>
  );
}

function Bits({ format }: { format: FormatId }) {
  const spec = getFormat(format);
  const targets: { value: GridId; label: string }[] = [{ value: format, label: `${spec.label} element` }];
  if (spec.scaleKind === 'e8m0') targets.push({ value: 'e8m0', label: 'E8M0 block scale' });
  if (spec.scaleKind === 'e4m3-f32') targets.push({ value: 'e4m3_scale', label: 'E4M3 block scale' });
  if (!targets.some((t) => t.value === 'e8m0')) targets.push({ value: 'e8m0', label: 'E8M0 scale (MX formats)' });
  if (!targets.some((t) => t.value === 'e4m3_scale')) targets.push({ value: 'e4m3_scale', label: 'E4M3 scale (NVFP4)' });
  const [target, setTarget] = useState<GridId>(format);
  const grid: GridId = targets.some((t) => t.value === target) ? target : format;
  const { info, values } = useGrid(grid);
  const picked = useAppStore((s) => s.picked[grid]);
  const pick = useAppStore((s) => s.pickValue);
  const line = useAppStore((s) => s.config.line);
  const [code, setCode] = useState<{ grid: GridId; code: number } | null>(null);
  const value = picked ?? (values.includes(1) ? 1 : info.max);
  return (
    <div className="bits-panel">
      <Select label="Show bits of" value={grid} options={targets} onChange={(v) => setTarget(v as GridId)} />
      {grid !== format && (
        <NumberLine info={info} values={values} scale={line} picked={value} onPick={(v) => { setCode(null); pick(grid, v); }} />
      )}
      <BitEditor
        info={info}
        value={value}
        code={code && code.grid === grid ? code.code : undefined}
        onChange={(v, c) => {
          setCode({ grid, code: c });
          if (Number.isFinite(v)) pick(grid, v === 0 ? 0 : v);
        }}
      />
    </div>
  );
}

export function FormatExplorer() {
  const format = useAppStore((s) => s.config.format);
  const line = useAppStore((s) => s.config.line);
  const picked = useAppStore((s) => s.picked[format]);
  const pick = useAppStore((s) => s.pickValue);
  const spec = getFormat(format);
  const { info, values } = useGrid(format);
  return (
    <div className="explorer">
      <div className="explorer-head">
        <h3>
          {spec.label} <span className="muted">· {values.length} distinct values · {spec.elementBits}-bit element{spec.blockSize ? `, blocks of ${spec.blockSize}` : ''}</span>
        </h3>
        <ScaleToggle />
      </div>
      <p className="description">{spec.description}</p>
      <NumberLine info={info} values={values} scale={line} picked={picked} onPick={(v) => pick(format, v)} />
      <p className="legend" aria-hidden="true">
        <span className="key tick-val-key">value</span>
        {info.minSubnormal !== null && <span className="key tick-sub-key">subnormal</span>}
        <span className="key sat-key">saturation region (clipped to max)</span>
        <span className="key interval-key">rounding interval</span>
      </p>
      <h3>Bit layout</h3>
      <Bits key={format} format={format} />
      <h3>One block of this tensor</h3>
      <BlockView />
      <h3>Side by side</h3>
      <CompareFormats />
    </div>
  );
}
