/** Busy indicator: determinate when `value` (0…1) is known. */
export interface ProgressProps {
  label: string;
  value?: number | null;
}

export function Progress({ label, value }: ProgressProps) {
  return (
    <span className="progress" role="status">
      <progress aria-label={label} max={1} value={value ?? undefined} />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
