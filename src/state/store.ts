/**
 * The app store: zustand slices combined by `createAppStore(initial)`, so each
 * test (and each app instance) gets its own store (ARCHITECTURE rule 5).
 * Components read it through narrow selectors with `useAppStore`.
 */
import { createContext, createElement, useContext, useRef, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { defaultConfig, type Config } from './config.ts';
import { createConfigSlice, type ConfigSlice } from './slices/configSlice.ts';
import { createExplorerSlice, type ExplorerSlice } from './slices/explorerSlice.ts';
import { createNoticeSlice, type NoticeSlice } from './slices/noticeSlice.ts';
import { createResultsSlice, type ResultsSlice } from './slices/resultsSlice.ts';
import { createSourceSlice, type SourceSlice } from './slices/sourceSlice.ts';
import { createMethodsSlice, type MethodsSlice } from './slices/methods.ts';
import { createCheckpointSlice, type CheckpointSlice } from './slices/checkpoint.ts';
import { createModelSlice, type ModelSlice } from './slices/model.ts';
import { createAnalysisSlice, type AnalysisSlice } from './slices/analysisSlice.ts';

export type AppState = ConfigSlice & NoticeSlice & ResultsSlice & SourceSlice & ExplorerSlice & AnalysisSlice
  & CheckpointSlice & ModelSlice & MethodsSlice;
export type AppStore = StoreApi<AppState>;

export interface InitialState {
  config?: Partial<Config>;
}

export function createAppStore(initial: InitialState = {}): AppStore {
  const config = { ...defaultConfig(), ...initial.config };
  return createStore<AppState>()((...a) => ({
    ...createConfigSlice(config)(...a),
    ...createNoticeSlice(...a),
    ...createResultsSlice(...a),
    ...createSourceSlice(...a),
    ...createExplorerSlice(...a),
    ...createMethodsSlice(...a),
    ...createAnalysisSlice(...a),
    ...createCheckpointSlice(...a),
    ...createModelSlice(...a),
  }));
}

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

/** Select narrowly: `useAppStore((s) => s.config.format)`. */
export function useAppStore<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore needs a <StoreProvider>');
  return useStore(store, selector);
}

/** The store itself, for effects that subscribe (rarely needed in components). */
export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStoreApi needs a <StoreProvider>');
  return store;
}

/** Config fields that only move the heatmap view (pan, zoom, picked channel). */
export const VIEW_ONLY_KEYS: readonly (keyof Config)[] = ['r0', 'r1', 'c0', 'c1', 'channel'];

/**
 * The config, but the same object as before when only `ignore` fields changed: components that do
 * not draw the heatmap viewport (the sidebar's controls, most panels) skip the re-render of every
 * pan/zoom step.
 */
export function useConfigExcept(ignore: readonly (keyof Config)[] = VIEW_ONLY_KEYS): Config {
  const last = useRef<Config | null>(null);
  return useAppStore((s) => {
    const c = s.config, l = last.current;
    if (l !== null && (l === c || (Object.keys(c) as (keyof Config)[]).every((k) => ignore.includes(k) || c[k] === l[k]))) return l;
    last.current = c;
    return c;
  });
}
