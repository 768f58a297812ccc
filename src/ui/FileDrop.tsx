/**
 * Open files by button or drag-and-drop. Props only: calls `onFiles` with the
 * picked File objects; reading happens elsewhere (in the worker).
 */
import { useId, useRef, useState } from 'react';

export interface FileDropProps {
  label: string;
  accept?: string;
  multiple?: boolean;
  onFiles(files: File[]): void;
  hint?: string;
}

export function FileDrop({ label, accept, multiple, onFiles, hint }: FileDropProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <div
      className={`filedrop${over ? ' filedrop-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const files = [...e.dataTransfer.files];
        if (files.length) onFiles(files);
      }}
    >
      <label htmlFor={id} className="button">
        {label}
      </label>
      <input
        ref={input}
        id={id}
        className="visually-hidden-input"
        type="file"
        accept={accept}
        multiple={multiple}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const files = e.target.files ? [...e.target.files] : [];
          if (files.length) onFiles(files);
          e.target.value = '';
        }}
      />
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}
