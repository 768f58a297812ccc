/** Applying a lesson view: one config change with pushState, so Back returns to the previous view. */
import type { MouseEvent } from 'react';
import { useAppStore } from '../../state/store.ts';
import { viewConfig, viewQuery, type View } from './lessons.ts';

export interface ViewLink {
  href: string;
  onClick(e: MouseEvent<HTMLAnchorElement>): void;
}

export function useApplyView() {
  const setConfig = useAppStore((s) => s.setConfig);
  const hide = useAppStore((s) => s.config.hide);
  const apply = (view: View) => setConfig(viewConfig(view, hide), 'push');
  /** props for a real <a href> (copyable, opens in a new tab) that applies in place on a plain click */
  const link = (view: View, after?: () => void): ViewLink => ({
    href: viewQuery(view, hide) || '?',
    onClick(e) {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      apply(view);
      after?.();
    },
  });
  return { apply, link };
}
