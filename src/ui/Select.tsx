/** A labelled native <select> (keyboard and screen-reader friendly by default). Props only. */
import { useId } from 'react';

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectProps {
  label: string;
  value: string;
  options: readonly SelectOption[];
  onChange(value: string): void;
  /** short help shown under the control and linked with aria-describedby */
  hint?: string;
  disabled?: boolean;
  id?: string;
}

export function Select({ label, value, options, onChange, hint, disabled, id }: SelectProps) {
  const auto = useId();
  const sid = id ?? auto;
  return (
    <div className="field">
      <label htmlFor={sid}>{label}</label>
      <select
        id={sid}
        value={value}
        disabled={disabled}
        aria-describedby={hint ? `${sid}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <p className="hint" id={`${sid}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
