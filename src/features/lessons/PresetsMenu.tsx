/**
 * Presets: the lesson views as plain links (same links as the lessons panel),
 * and a teacher link: the current view with chosen sidebar controls hidden
 * (`hide=` in the URL), to copy and share.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { HIDEABLE_CONTROLS, type HideableControl } from '../../state/config.ts';
import { useAppStore } from '../../state/store.ts';
import { encodeConfig } from '../../state/url/codec.ts';
import { LESSONS } from './lessons.ts';
import { useApplyView } from './useApplyView.ts';

/** What each hideable control is called in the sidebar. */
export const CONTROL_LABELS: Record<HideableControl, string> = {
  sample: 'Sample',
  size: 'Size',
  'sample-seed': 'Sample seed',
  file: 'Open a tensor file',
  format: 'Format to explore',
  formats: 'Compare side by side',
  granularity: 'Granularity',
  scale: 'Scale',
  'scale-rule': 'MX scale rule',
  clip: 'Clip quantile',
  rounding: 'Rounding',
  seed: 'Rounding seed',
  transform: 'Transform',
  'weight-format': 'Weight format',
};

function TeacherLink() {
  const config = useAppStore((s) => s.config);
  const [hide, setHide] = useState<HideableControl[]>(config.hide);
  const [status, setStatus] = useState('');
  const id = useId();
  const link = `${window.location.origin}${window.location.pathname}${encodeConfig({ ...config, hide })}`;
  const toggle = (c: HideableControl) =>
    setHide((h) => HIDEABLE_CONTROLS.filter((x) => (x === c ? !h.includes(c) : h.includes(x))));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setStatus('Teacher link copied');
    } catch {
      setStatus('Select the link above and copy it');
    }
  };
  return (
    <fieldset className="teacher-link">
      <legend>Teacher link: hide these controls in the shared view</legend>
      <div className="checkgrid">
        {HIDEABLE_CONTROLS.map((c) => (
          <label key={c} className="check">
            <input type="checkbox" checked={hide.includes(c)} onChange={() => toggle(c)} />
            {CONTROL_LABELS[c]}
          </label>
        ))}
      </div>
      <label htmlFor={`${id}-link`} className="teacher-link-label">
        Link to share (this view{hide.length ? `, ${hide.length} control${hide.length > 1 ? 's' : ''} hidden` : ''})
      </label>
      <input id={`${id}-link`} type="text" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
      <div className="teacher-link-actions">
        <button type="button" onClick={copy}>
          Copy teacher link
        </button>
        <span role="status" aria-live="polite" className="muted">
          {status}
        </span>
      </div>
    </fieldset>
  );
}

export function PresetsMenu() {
  const [open, setOpen] = useState(false);
  const { link } = useApplyView();
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onDown = (e: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open]);
  return (
    <div className="presets" ref={rootRef}>
      <button ref={buttonRef} type="button" aria-expanded={open} aria-controls={`${id}-menu`} onClick={() => setOpen((o) => !o)}>
        Presets {open ? '▴' : '▾'}
      </button>
      {open && (
        <div id={`${id}-menu`} className="presets-popover" role="region" aria-label="Presets and teacher link">
          <h2 className="presets-title">Presets</h2>
          <ul className="presets-list">
            <li>
              <a {...link({}, () => setOpen(false))}>Default view</a>
            </li>
            {LESSONS.map((l, i) => (
              <li key={l.id}>
                <a {...link(l.view, () => setOpen(false))}>
                  {i + 1}. {l.title}
                </a>
              </li>
            ))}
          </ul>
          <TeacherLink />
        </div>
      )}
    </div>
  );
}
