/** A small labelled radio group (keyboard: arrows within the group, native radios). */
import { useId } from 'react';

export interface ToggleProps<T extends string> {
  legend: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
}

export function Toggle<T extends string>({ legend, value, options, onChange }: ToggleProps<T>) {
  const name = useId();
  return (
    <fieldset className="toggle" style={{ border: 0, padding: 0, margin: '0 1em 0 0', display: 'inline-flex', gap: '0.5em', alignItems: 'center' }}>
      <legend style={{ float: 'left', marginRight: '0.5em' }}>{legend}</legend>
      {options.map((o) => (
        <label key={o.value}>
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}
