/**
 * Progress and cancellation for long-running numerics (matmul, SVD, searches).
 * Every long function takes `{ onProgress?, signal? }`, reports a fraction in
 * [0, 1] between chunks, and checks `signal.aborted` between chunks; an abort
 * throws `AbortedError` (the caller drops the job; nothing partial is returned).
 */
export interface LongRunOptions {
  /** called with the finished fraction in [0, 1], between chunks */
  onProgress?(fraction: number): void;
  /** checked between chunks; set `aborted = true` to stop (an AbortSignal fits) */
  signal?: { readonly aborted: boolean };
}

export class AbortedError extends Error {
  constructor() {
    super('the computation was aborted');
    this.name = 'AbortError';
  }
}

export function throwIfAborted(signal: LongRunOptions['signal']): void {
  if (signal?.aborted) throw new AbortedError();
}

/**
 * Maps the progress of one sub-step onto [start, start + span] of the caller's
 * range, so nested long functions report one monotone fraction.
 */
export function subProgress(opts: LongRunOptions, start: number, span: number): LongRunOptions {
  const { onProgress, signal } = opts;
  return { signal, onProgress: onProgress ? (f) => onProgress(start + span * f) : undefined };
}
