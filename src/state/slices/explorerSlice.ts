/**
 * Transient explorer state (not in the URL: it is a pointer position, not a
 * view choice): the value picked on the number line for the bit layout.
 */
import type { StateCreator } from 'zustand';
import type { AppState } from '../store.ts';

/** which value grid the bit editor shows: an element format or a scale format */
export type BitTarget = string;

export interface ExplorerSlice {
  /** picked value per grid id (format id, 'e8m0' or 'e4m3_scale') */
  picked: Record<string, number>;
  pickValue(grid: BitTarget, value: number): void;
}

export const createExplorerSlice: StateCreator<AppState, [], [], ExplorerSlice> = (set) => ({
  picked: {},
  pickValue(grid, value) {
    set((s) => ({ picked: { ...s.picked, [grid]: value } }));
  },
});
