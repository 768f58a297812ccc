/**
 * Teacher links (`hide=`): a sidebar control wrapped in <Hideable id> is not
 * rendered while its id is in config.hide; <HiddenControlsNotice> says so and
 * offers to show everything again.
 */
import type { ReactNode } from 'react';
import type { HideableControl } from '../../state/config.ts';
import { useAppStore } from '../../state/store.ts';

export function Hideable({ id, children }: { id: HideableControl; children: ReactNode }) {
  const hidden = useAppStore((s) => s.config.hide.includes(id));
  return hidden ? null : <>{children}</>;
}

export function HiddenControlsNotice() {
  const count = useAppStore((s) => s.config.hide.length);
  const setConfig = useAppStore((s) => s.setConfig);
  if (count === 0) return null;
  return (
    <div className="hidden-notice" role="note">
      <span>
        Some controls are hidden by this link ({count}).
      </span>{' '}
      <button type="button" onClick={() => setConfig({ hide: [] }, 'push')}>
        Show all controls
      </button>
    </div>
  );
}
