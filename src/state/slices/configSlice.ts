/**
 * The URL-backed configuration. Every change records how the URL should follow
 * it: 'push' for discrete choices (back/forward steps through them), 'replace'
 * for continuous ones (sliders), 'none' when the change came from the URL.
 */
import type { StateCreator } from 'zustand';
import type { FormatId } from '../../core/formats/registry.ts';
import { MAX_COMPARE, defaultConfig, type Config } from '../config.ts';
import type { AppState } from '../store.ts';

export type HistoryMode = 'push' | 'replace' | 'none';

export interface ConfigSlice {
  config: Config;
  /** how the last config change should reach the URL (read by state/url/sync) */
  historyMode: HistoryMode;
  setConfig(patch: Partial<Config>, mode?: HistoryMode): void;
  /** add or remove a format from the comparison (keeps 1–4 formats) */
  toggleCompare(id: FormatId): void;
  resetConfig(): void;
}

export const createConfigSlice =
  (initial: Config): StateCreator<AppState, [], [], ConfigSlice> =>
  (set, get) => ({
    config: initial,
    historyMode: 'none',
    setConfig(patch, mode = 'push') {
      const prev = get().config;
      const next = { ...prev, ...patch };
      // picking a different sample or size resets the block position when it no longer fits
      if (next.file === null && next.row >= next.size) next.row = 0;
      set({ config: next, historyMode: mode });
    },
    toggleCompare(id) {
      const { formats } = get().config;
      let next: FormatId[];
      if (formats.includes(id)) {
        if (formats.length <= 1) return;
        next = formats.filter((f) => f !== id);
      } else {
        if (formats.length >= MAX_COMPARE) return;
        next = [...formats, id];
      }
      get().setConfig({ formats: next });
    },
    resetConfig() {
      set({ config: defaultConfig(), historyMode: 'push' });
    },
  });
