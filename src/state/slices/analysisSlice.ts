/**
 * User-started analysis work (not in the URL): the LoRC rank curve runs only
 * when asked for, and can be cancelled; the heatmap readout asks for x̂ of one
 * element. The scheduler watches these fields.
 */
import type { StateCreator } from 'zustand';
import type { AppState } from '../store.ts';
import type { ElementProbeRequest } from '../analysisTypes.ts';

export interface AnalysisSlice {
  /** bumped by requestLorc: the scheduler starts the LoRC job for the current config */
  lorcRequest: number;
  /** bumped by cancelLorc: the scheduler stops the running LoRC job */
  lorcCancel: number;
  requestLorc(): void;
  cancelLorc(): void;
  /** the heatmap element whose x̂ per format the readout shows (hover / keyboard focus), or null */
  probe: ElementProbeRequest | null;
  /** sets the probe (callers debounce; an equal request keeps the state unchanged) */
  setProbe(p: ElementProbeRequest | null): void;
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
  probe: null,
  setProbe(p) {
    set((s) => {
      const q = s.probe;
      if (p === q || (p && q && p.side === q.side && p.row === q.row && p.col === q.col)) return s;
      return { probe: p };
    });
  },
});
