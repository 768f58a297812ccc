/** A labelled text field that accepts a value only when `parse` accepts it (else shows its message). */
import { useEffect, useId, useState } from 'react';

export interface NumberFieldProps {
  label: string;
  /** the committed value as text */
  value: string;
  /** returns an error message, or null when `text` is valid */
  validate(text: string): string | null;
  onCommit(text: string): void;
  hint?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
}

export function NumberField({ label, value, validate, onCommit, hint, placeholder, inputMode = 'numeric' }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(value);
    setError(null);
  }, [value]);
  const commit = () => {
    if (text === value) return;
    const err = validate(text);
    setError(err);
    if (!err) onCommit(text);
  };
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        value={text}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="error-text" id={`${id}-err`} role="alert">{error}</p>}
    </div>
  );
}
