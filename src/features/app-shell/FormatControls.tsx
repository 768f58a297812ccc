/** The focused format and the 1–MAX_COMPARE (6) formats compared side by side; each format's description is its tooltip. */
import { FORMATS, getFormat, type FormatId } from '../../core/formats/registry.ts';
import { MAX_COMPARE } from '../../state/config.ts';
import { useAppStore } from '../../state/store.ts';
import { Select } from '../../ui/Select.tsx';
import { Hideable } from '../lessons/Hideable.tsx';

const KIND_LABEL = { scalar: 'scaled', unscaled: 'plain cast', block: 'block' } as const;
const OPTIONS = FORMATS.map((f) => ({ value: f.id, label: `${f.label} (${KIND_LABEL[f.kind]})` }));

export function FormatControls() {
  const format = useAppStore((s) => s.config.format);
  const formats = useAppStore((s) => s.config.formats);
  const setConfig = useAppStore((s) => s.setConfig);
  const toggle = useAppStore((s) => s.toggleCompare);
  return (
    <section className="control-group" aria-labelledby="formats-heading">
      <h2 id="formats-heading">Formats</h2>
      <Hideable id="format">
        <Select
          label="Format to explore"
          value={format}
          options={OPTIONS}
          onChange={(v) => setConfig({ format: v as FormatId })}
          hint={getFormat(format).description}
        />
      </Hideable>
      <Hideable id="formats">
      <fieldset className="compare-set">
        <legend>
          Compare side by side ({formats.length} of {MAX_COMPARE} chosen)
        </legend>
        <div className="checkgrid">
          {FORMATS.map((f) => {
            const on = formats.includes(f.id);
            const disabled = (on && formats.length <= 1) || (!on && formats.length >= MAX_COMPARE);
            const why = !disabled ? '' : on ? 'At least one format stays compared. ' : `At most ${MAX_COMPARE} formats at once: untick one first. `;
            return (
              <label key={f.id} className={`check${disabled ? ' check-disabled' : ''}`} title={`${why}${f.description}`}>
                <input type="checkbox" checked={on} disabled={disabled} onChange={() => toggle(f.id)} />
                {f.label}
              </label>
            );
          })}
        </div>
      </fieldset>
      </Hideable>
    </section>
  );
}
