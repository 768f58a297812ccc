/** Visible notices: ignored link parts, a file the link asks for, job errors. */
import type { StateCreator } from 'zustand';
import type { AppState } from '../store.ts';

export interface Notice {
  id: string;
  tone: 'info' | 'warning' | 'error';
  title: string;
  /** plain-text lines (never HTML) */
  details: string[];
}

export interface NoticeSlice {
  notices: Notice[];
  /** adds or replaces the notice with the same id */
  showNotice(n: Notice): void;
  dismissNotice(id: string): void;
}

export const createNoticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set) => ({
  notices: [],
  showNotice(n) {
    set((s) => ({ notices: [...s.notices.filter((o) => o.id !== n.id), n] }));
  },
  dismissNotice(id) {
    set((s) => ({ notices: s.notices.filter((o) => o.id !== id) }));
  },
});
