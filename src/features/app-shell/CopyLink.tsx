/** "Copy link": the URL already holds the whole view; copy it and say so. */
import { useState } from 'react';

export function CopyLink() {
  const [done, setDone] = useState<string | null>(null);
  const copy = async () => {
    const link = window.location.href;
    try {
      await navigator.clipboard.writeText(link);
      setDone('Link copied');
    } catch {
      // clipboard blocked (permissions, insecure context): show the link to copy by hand
      window.prompt('Copy this link:', link);
      setDone('Link shown');
    }
    window.setTimeout(() => setDone(null), 2000);
  };
  return (
    <div className="copylink">
      <button type="button" onClick={copy}>
        Copy link
      </button>
      <span role="status" aria-live="polite" className="copylink-status">
        {done ?? ''}
      </span>
    </div>
  );
}
