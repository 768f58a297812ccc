/**
 * Where the tensor comes from when it is not a built-in sample: the File the
 * user opened (kept here by reference so the scheduler can hand it to the
 * worker; never read on the main thread) and what the worker found in it.
 * The File identity and tensor name live in the config (and so in the URL).
 */
import type { StateCreator } from 'zustand';
import { DEFAULT_MAX_ELEMENTS } from '../../core/io/types.ts';
import { numel } from '../../core/tensor.ts';
import type { AppState } from '../store.ts';

export interface TensorListing {
  name: string;
  dtype: string;
  shape: number[];
  /** set when the tensor cannot be decoded; says why */
  notDecoded?: string;
}

/** More elements than one analysed tensor may have (its float32 copy must fit: core/io DEFAULT_MAX_ELEMENTS, 2 GiB). */
export function overAnalysisLimit(shape: readonly number[]): boolean {
  return numel(shape) > DEFAULT_MAX_ELEMENTS;
}

/**
 * Why a listed tensor cannot be analysed, or undefined when it can: it cannot be decoded
 * (notDecoded says why), it has no elements (a 0 in its shape: nothing to pool or quantize), or
 * it is over the element limit (the whole-model scan may still read it in row bands).
 */
export function unusableReason(t: Pick<TensorListing, 'shape' | 'notDecoded'>): string | undefined {
  if (t.notDecoded) return t.notDecoded;
  const n = numel(t.shape);
  if (n === 0) return 'no elements';
  if (overAnalysisLimit(t.shape)) {
    return `${n.toLocaleString('en-US')} elements: over the ${DEFAULT_MAX_ELEMENTS.toLocaleString('en-US')}-element (2 GiB) limit of one analysed tensor`;
  }
  return undefined;
}

export const NO_USABLE_TENSOR = 'this file has no tensor quantscope can analyse: each one is empty, too large (over 2 GiB as float32) or cannot be decoded';

/**
 * Which tensor of a freshly listed file to analyse, given the one the config (a link) names:
 * keep it when it is usable; else the first usable 2-D-or-more tensor (else the first usable one),
 * with a notice when a named tensor could not be kept. No pick: nothing can be analysed.
 */
export function chooseTensor(
  tensors: readonly TensorListing[], wanted: string | null,
): { keep?: true; pick?: string; notice?: { title: string; detail: string } } {
  const usable = tensors.filter((t) => !unusableReason(t));
  if (wanted !== null && usable.some((t) => t.name === wanted)) return { keep: true };
  const pick = (usable.find((t) => t.shape.length >= 2) ?? usable[0])?.name;
  if (wanted === null) return pick === undefined ? {} : { pick };
  const named = tensors.find((t) => t.name === wanted);
  const shortName = wanted.slice(0, 120);
  const notice = {
    title: named ? `"${shortName}" cannot be analysed (${unusableReason(named)})` : `This file has no tensor "${shortName}"`,
    detail: pick !== undefined
      ? `Showing ${pick} instead.${named ? '' : ' The link may have been made with a different file.'}`
      : 'It has no tensor quantscope can analyse: each one is empty, too large or cannot be decoded.',
  };
  return pick === undefined ? { notice } : { pick, notice };
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
