/**
 * Progress of a read with bytes done and a Cancel button, shown only once the
 * read has taken ~100 ms (quick reads never flash a bar). Props only.
 */
import { useEffect, useState } from 'react';
import { Progress } from '../../ui/Progress.tsx';
import { fmtBytes } from './browserModel.ts';

export interface ReadProgressProps {
  label: string;
  bytesRead: number;
  /** 0 or less when unknown */
  totalBytes: number;
  /** performance.now() when the read started */
  startedAt: number;
  onCancel?(): void;
  /** show after this many ms (default 100) */
  delayMs?: number;
}

export function ReadProgress({ label, bytesRead, totalBytes, startedAt, onCancel, delayMs = 100 }: ReadProgressProps) {
  const [visible, setVisible] = useState(() => performance.now() - startedAt >= delayMs);
  useEffect(() => {
    if (visible) return;
    const t = setTimeout(() => setVisible(true), Math.max(0, delayMs - (performance.now() - startedAt)));
    return () => clearTimeout(t);
  }, [visible, startedAt, delayMs]);
  if (!visible) return null;
  return (
    <p className="read-progress">
      <Progress label={label} value={totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : null} />
      <span>{label}: {fmtBytes(bytesRead)}{totalBytes > 0 ? ` of ${fmtBytes(totalBytes)}` : ''}</span>
      {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
    </p>
  );
}
