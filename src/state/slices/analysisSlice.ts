/**
 * User-started analysis work (not in the URL): the LoRC rank curve runs only
 * when asked for, and can be cancelled. The scheduler watches these counters.
 */
import type { StateCreator } from 'zustand';
import type { AppState } from '../store.ts';

export interface AnalysisSlice {
  /** bumped by requestLorc: the scheduler starts the LoRC job for the current config */
  lorcRequest: number;
  /** bumped by cancelLorc: the scheduler stops the running LoRC job */
  lorcCancel: number;
  requestLorc(): void;
  cancelLorc(): void;
}

export const createAnalysisSlice: StateCreator<AppState, [], [], AnalysisSlice> = (set) => ({
  lorcRequest: 0,
  lorcCancel: 0,
  requestLorc() {
    set((s) => ({ lorcRequest: s.lorcRequest + 1 }));
  },
  cancelLorc() {
    set((s) => ({ lorcCancel: s.lorcCancel + 1 }));
  },
});
