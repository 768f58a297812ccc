/**
 * Quantization options, with the CLI's names in the hints. Text inputs are
 * validated by the same parsers as the URL schema, so what the UI accepts is
 * exactly what a link can carry.
 */
import { FORMATS, type FormatId } from '../../core/formats/registry.ts';
import { parseGranularity, type Granularity } from '../../core/quant/options.ts';
import { SCHEMA_BY_KEY } from '../../state/url/schema.ts';
import { useAppStore, useConfigExcept } from '../../state/store.ts';
import { Select } from '../../ui/Select.tsx';
import { NumberField } from '../../ui/NumberField.tsx';
import { Hideable } from '../lessons/Hideable.tsx';

const validator = (key: string) => (text: string): string | null => {
  try {
    SCHEMA_BY_KEY.get(key)!.parse(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

const GRANULARITY_KINDS = [
  { value: 'tensor', label: 'one scale per tensor' },
  { value: 'row', label: 'per row (output channel / token)' },
  { value: 'column', label: 'per column (input channel)' },
  { value: 'group', label: 'per group of G along a row' },
  { value: 'block', label: 'per 2-D tile R×C' },
];

function granularityParts(text: string): Granularity {
  try {
    return parseGranularity(text);
  } catch {
    return { kind: 'row' };
  }
}

export function QuantControls() {
  const c = useConfigExcept(); // not re-rendered by a pan or zoom
  const setConfig = useAppStore((s) => s.setConfig);
  const g = granularityParts(c.granularity);
  const groupText = g.kind === 'group' ? String(g.size) : g.kind === 'block' ? `${g.rows}x${g.cols}` : '';
  return (
    <section className="control-group" aria-labelledby="quant-heading">
      <h2 id="quant-heading">Quantization</h2>
      <Hideable id="granularity">
      <Select
        label="Granularity (scalar formats)"
        value={g.kind}
        options={GRANULARITY_KINDS}
        hint="granularity: how many elements share one float32 scale. Block formats have their own fixed blocks."
        onChange={(kind) =>
          setConfig({ granularity: kind === 'group' ? 'group:128' : kind === 'block' ? 'block:128x128' : kind })
        }
      />
      {(g.kind === 'group' || g.kind === 'block') && (
        <NumberField
          key={g.kind}
          label={g.kind === 'group' ? 'Group size G' : 'Tile size R×C'}
          value={groupText}
          inputMode={g.kind === 'group' ? 'numeric' : 'text'}
          validate={(t) => validator('granularity')(`${g.kind}:${t}`)}
          onCommit={(t) => setConfig({ granularity: `${g.kind}:${t}` })}
        />
      )}
      </Hideable>
      <Hideable id="scale">
      <Select
        label="Scale"
        value={c.scale}
        options={[
          { value: 'absmax', label: 'absmax (float32)' },
          { value: 'pow2', label: 'power of two, rounded up' },
          { value: 'pow2-row', label: 'row scale × power of two' },
        ]}
        onChange={(v) => setConfig({ scale: v as typeof c.scale })}
      />
      </Hideable>
      <Hideable id="scale-rule">
      <Select
        label="MX scale rule"
        value={c.scaleRule}
        options={[
          { value: 'floor', label: 'floor (OCP: may clip)' },
          { value: 'ceil', label: 'ceil (never clips)' },
        ]}
        hint="scale-rule: how MX formats pick their power-of-two block scale."
        onChange={(v) => setConfig({ scaleRule: v as typeof c.scaleRule })}
      />
      </Hideable>
      <Hideable id="clip">
      <NumberField
        label="Clip quantile (empty = absmax)"
        value={c.clip === null ? '' : String(c.clip)}
        inputMode="decimal"
        placeholder="e.g. 0.999"
        validate={(t) => (t === '' ? null : validator('clip')(t))}
        onCommit={(t) => setConfig({ clip: t === '' ? null : Number(t) })}
      />
      </Hideable>
      <Hideable id="rounding">
      <Select
        label="Rounding"
        value={c.rounding}
        options={[
          { value: 'rne', label: 'nearest, ties to even' },
          { value: 'stochastic', label: 'stochastic (seeded)' },
        ]}
        onChange={(v) => setConfig({ rounding: v as typeof c.rounding })}
      />
      </Hideable>
      <Hideable id="seed">
      {c.rounding === 'stochastic' && (
        <NumberField label="Rounding seed" value={String(c.seed)} validate={validator('seed')} onCommit={(t) => setConfig({ seed: Number(t) })} />
      )}
      </Hideable>
      <Hideable id="transform">
      <NumberField
        label="Transform"
        value={c.transform}
        inputMode="text"
        hint="none, smooth:0.5, hadamard:64, random-hadamard:64, awq, svdquant:32"
        validate={validator('transform')}
        onCommit={(t) => setConfig({ transform: t })}
      />
      </Hideable>
      <Hideable id="weight-format">
      <Select
        label="Weight format (X/W transforms)"
        value={c.weightFormat ?? ''}
        options={[{ value: '', label: 'same as the format' }, ...FORMATS.map((f) => ({ value: f.id, label: f.label }))]}
        onChange={(v) => setConfig({ weightFormat: v === '' ? null : (v as FormatId) })}
      />
      </Hideable>
    </section>
  );
}
