/**
 * Open a checkpoint: several files (shards + model.safetensors.index.json) or
 * a whole folder (webkitdirectory), by button or by dropping them on this box.
 * Props only: hands the picked tensor files to `onFiles`; nothing is read here.
 */
import { useId, useState } from 'react';
import { filesFromDataTransfer, pickCheckpointFiles } from './pickFiles.ts';

export interface OpenFilesProps {
  /** label of the several-files button */
  label: string;
  /** label of the folder button */
  folderLabel: string;
  onFiles(files: File[]): void;
  hint?: string;
  accept?: string;
}

export function OpenFiles({ label, folderLabel, onFiles, hint, accept = '.safetensors,.npy,.npz,.gguf,.json,.bin,.pt,.pth' }: OpenFilesProps) {
  const id = useId();
  const [over, setOver] = useState(false);
  const take = (all: File[]) => {
    const { files } = pickCheckpointFiles(all);
    if (files.length) onFiles(files);
  };
  return (
    <div
      className={`filedrop${over ? ' filedrop-over' : ''}`}
      onDragOver={(e) => { e.preventDefault(); setOver(true); }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(false);
        void filesFromDataTransfer(e.dataTransfer).then(take);
      }}
    >
      <div className="open-buttons">
        <label htmlFor={`${id}-files`} className="button">{label}</label>
        <label htmlFor={`${id}-dir`} className="button">{folderLabel}</label>
      </div>
      <input
        id={`${id}-files`} className="visually-hidden-input" type="file" accept={accept} multiple
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const files = e.target.files ? [...e.target.files] : [];
          e.target.value = '';
          if (files.length) take(files);
        }}
      />
      <input
        id={`${id}-dir`} className="visually-hidden-input" type="file"
        {...{ webkitdirectory: '', directory: '' }}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const files = e.target.files ? [...e.target.files] : [];
          e.target.value = '';
          if (files.length) take(files);
        }}
      />
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}
