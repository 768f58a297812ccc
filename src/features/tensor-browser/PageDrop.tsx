/**
 * Drag-and-drop of files or a folder anywhere on the page: shows an overlay
 * while something is dragged over the window and hands the dropped tensor
 * files to `onFiles`. Drops on inner drop boxes (which stop propagation) are
 * theirs. Props only.
 */
import { useEffect, useState } from 'react';
import { filesFromDataTransfer, pickCheckpointFiles } from './pickFiles.ts';

export interface PageDropProps {
  onFiles(files: File[]): void;
  message?: string;
}

const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

export function PageDrop({ onFiles, message = 'Drop tensor files or a checkpoint folder to open them' }: PageDropProps) {
  const [active, setActive] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setActive(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      depth = 0;
      setActive(false);
      if (!e.dataTransfer || e.defaultPrevented) return;
      e.preventDefault();
      void filesFromDataTransfer(e.dataTransfer).then((all) => {
        const { files } = pickCheckpointFiles(all);
        if (files.length) onFiles(files);
      });
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles]);
  return active ? <div className="page-drop" aria-hidden="true"><p>{message}</p></div> : null;
}
