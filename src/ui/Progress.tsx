/**
 * Busy indicator: determinate when `value` (0…1) is known.
 *
 * Indeterminate work shows a bar whose moving segment is a CSS transform animation on its own
 * layer (the compositor moves it; the page is not repainted). Chromium's own indeterminate
 * <progress> repaints itself on the main thread several times a second, for every one visible:
 * during a transform change or a pan, that paint competed with the heatmaps it waits for. The
 * <progress> stays (appearance: none, no value) for assistive technology and the busy checks.
 */
export interface ProgressProps {
  label: string;
  value?: number | null;
}

export function Progress({ label, value }: ProgressProps) {
  const known = value != null;
  return (
    <span className={known ? 'progress' : 'progress progress-indeterminate'} role="status">
      <span className="progress-track">
        <progress aria-label={label} max={1} value={known ? value : undefined} />
      </span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
