/** A small labelled radio group (keyboard: arrows within the group, native radios). */
import { memo, useId } from 'react';

export interface ToggleProps<T extends string> {
  legend: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
}

function ToggleGroup<T extends string>({ legend, value, options, onChange }: ToggleProps<T>) {
  const name = useId();
  return (
    <fieldset className="toggle" style={{ border: 0, padding: 0, margin: '0 1em 0 0', display: 'inline-flex', flexWrap: 'wrap', gap: '0.5em', alignItems: 'center' }}>
      <legend style={{ float: 'left', marginRight: '0.5em' }}>{legend}</legend>
      {options.map((o) => (
        // a radio and its text stay together; on a narrow screen whole options wrap
        <label key={o.value} style={{ whiteSpace: 'nowrap' }}>
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

const sameOptions = <T extends string>(a: ToggleProps<T>['options'], b: ToggleProps<T>['options']) =>
  a === b || (a.length === b.length && a.every((o, i) => o.value === b[i].value && o.label === b[i].label));

/**
 * Re-rendered only when what it shows or calls changes: the heatmap panels re-render on every pan or
 * zoom step, and each render of a radio group sets its inputs' attributes again (style work per frame).
 */
export const Toggle = memo(ToggleGroup, (a, b) =>
  a.legend === b.legend && a.value === b.value && a.onChange === b.onChange && sameOptions(a.options, b.options),
) as typeof ToggleGroup;
