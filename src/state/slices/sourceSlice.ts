/**
 * Where the tensor comes from when it is not a built-in sample: the File the
 * user opened (kept here by reference so the scheduler can hand it to the
 * worker; never read on the main thread) and what the worker found in it.
 * The File identity and tensor name live in the config (and so in the URL).
 */
import type { StateCreator } from 'zustand';
import type { AppState } from '../store.ts';

export interface TensorListing {
  name: string;
  dtype: string;
  shape: number[];
  /** set when the tensor cannot be decoded; says why */
  notDecoded?: string;
}

/**
 * Why a listed tensor cannot be analysed, or undefined when it can: it cannot be decoded
 * (notDecoded says why) or it has no elements (a 0 in its shape: nothing to pool or quantize).
 */
export function unusableReason(t: Pick<TensorListing, 'shape' | 'notDecoded'>): string | undefined {
  if (t.notDecoded) return t.notDecoded;
  return t.shape.some((d) => d === 0) ? 'no elements' : undefined;
}

export interface SourceSlice {
  /** the opened files (a sharded checkpoint may be several) */
  files: File[] | null;
  /** tensors the worker found in `files` (null until listed) */
  listing: TensorListing[] | null;
  openFiles(files: File[]): void;
  setListing(listing: TensorListing[] | null): void;
  closeFiles(): void;
}

/** "name:bytes": how a link names an uploaded file (no content, no path). */
export function fileIdentity(files: readonly File[]): string {
  const f = files[0];
  const bytes = files.reduce((n, x) => n + x.size, 0);
  return `${f.name.replace(/[<>"`\u0000-\u001f\u007f]/g, '_').slice(0, 180)}:${bytes}`;
}

export const createSourceSlice: StateCreator<AppState, [], [], SourceSlice> = (set, get) => ({
  files: null,
  listing: null,
  openFiles(files) {
    if (files.length === 0) return;
    const id = fileIdentity(files);
    const sameFile = get().config.file === id;
    set({ files, listing: null });
    get().setConfig({ file: id, tensor: sameFile ? get().config.tensor : null, row: 0, block: 0 });
    get().dismissNotice('file-needed');
  },
  setListing(listing) {
    set({ listing });
  },
  closeFiles() {
    set({ files: null, listing: null });
    get().setConfig({ file: null, tensor: null, row: 0, block: 0 });
  },
});
