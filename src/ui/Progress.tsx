/**
 * Busy indicator: determinate when `value` (0…1) is known.
 *
 * Indeterminate work shows a bar whose moving segment is a CSS transform animation on its own
 * layer (the compositor moves it; the page is not repainted). Chromium's own indeterminate
 * <progress> repaints itself on the main thread several times a second, for every one visible:
 * during a transform change or a pan, that paint competed with the heatmaps it waits for. The
 * <progress> stays (appearance: none, no value) for assistive technology and the busy checks.
 *
 * Every indicator shows only after a short delay (CSS): most updates land before it, and then
 * nothing flashes. `over`: drawn over the top right of the (dimmed) result it stands for instead
 * of above it, so its coming and going does not move the result and repaint the panels below.
 */
export interface ProgressProps {
  label: string;
  value?: number | null;
  /** overlay the result below (its container is position: relative) instead of taking a line above it */
  over?: boolean;
}

export function Progress({ label, value, over = false }: ProgressProps) {
  const known = value != null;
  return (
    <span className={`progress${known ? '' : ' progress-indeterminate'}${over ? ' progress-over' : ''}`} role="status">
      <span className="progress-track">
        <progress aria-label={label} max={1} value={known ? value : undefined} />
      </span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
