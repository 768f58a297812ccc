/**
 * "SVG" / "PNG" download buttons for the figure under `target` (a ref to the
 * panel's figure element), with a caption. Props only.
 */
import { useState, type RefObject } from 'react';
import { downloadPng, downloadSvg, slug } from './export.ts';

export interface ExportButtonsProps {
  target: RefObject<Element | null>;
  /** what the figure shows: tensor, formats, options */
  caption: string;
  /** file name without extension; default: a slug of the caption */
  filename?: string;
  /** accessible name of the group, e.g. "Export error histogram" */
  label?: string;
}

export function ExportButtons({ target, caption, filename, label = 'Export figure' }: ExportButtonsProps) {
  const [error, setError] = useState<string | null>(null);
  const name = filename ?? slug(caption);
  const run = async (kind: 'svg' | 'png') => {
    const el = target.current;
    if (!el) return;
    setError(null);
    try {
      if (kind === 'svg') downloadSvg(el, `${name}.svg`, caption);
      else await downloadPng(el, `${name}.png`, caption);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div role="group" aria-label={label} className="export-buttons">
      <button type="button" onClick={() => run('svg')}>Download SVG</button>
      <button type="button" onClick={() => run('png')}>Download PNG</button>
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
