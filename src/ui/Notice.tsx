/** A dismissible notice box; text only (details are plain strings, never HTML). */
export interface NoticeProps {
  tone: 'info' | 'warning' | 'error';
  title: string;
  details?: readonly string[];
  onDismiss?(): void;
}

export function Notice({ tone, title, details, onDismiss }: NoticeProps) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'info' ? 'status' : 'alert'}>
      <div className="notice-body">
        <strong>{title}</strong>
        {details && details.length > 0 && (
          <ul>
            {details.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="notice-close" onClick={onDismiss} aria-label={`Dismiss: ${title}`}>
          ×
        </button>
      )}
    </div>
  );
}
