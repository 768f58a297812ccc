/**
 * A labelled range input with its value shown next to it. `onInput` fires while
 * dragging (callers debounce URL writes), `onCommit` on release / keyboard step.
 */
import { useId } from 'react';

export interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onInput(value: number): void;
  /** formats the shown value (default: as is) */
  format?(value: number): string;
  hint?: string;
  disabled?: boolean;
}

export function Slider({ label, value, min, max, step, onInput, format, hint, disabled }: SliderProps) {
  const id = useId();
  const shown = format ? format(value) : String(value);
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} <output htmlFor={id}>{shown}</output>
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        aria-valuetext={shown}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onInput(Number(e.target.value))}
      />
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
