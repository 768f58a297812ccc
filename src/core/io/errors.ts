/**
 * Errors of the tensor-file readers. Every problem with a file's contents is a
 * `TensorFileError` whose message is one plain sentence naming the problem
 * (with the tensor or byte offset where useful) and what would work.
 * A cancelled read throws `TensorReadAborted` (name 'AbortError', like fetch).
 */
export class TensorFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TensorFileError';
  }
}

export class TensorReadAborted extends Error {
  constructor() {
    super('reading the tensor was cancelled');
    this.name = 'AbortError';
  }
}

/** Throws a TensorFileError with `message` unless `cond` holds. */
export function check(cond: unknown, message: string | (() => string)): asserts cond {
  if (!cond) throw new TensorFileError(typeof message === 'string' ? message : message());
}

/** 1234567 -> "1,234,567" (ASCII, locale-independent) */
export function fmtInt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A zeroed Float32Array for a decoded tensor, after checking `numel` against
 * the element limit (the float32 copy must fit in memory).
 */
export function allocDecoded(name: string, numel: number, maxElements: number): Float32Array {
  const gib = (n: number) => (n * 4 / 2 ** 30).toFixed(n * 4 >= 2 ** 30 ? 1 : 3).replace(/\.?0+$/, '');
  check(
    numel <= maxElements,
    () => `tensor "${name}" has ${fmtInt(numel)} elements (${gib(numel)} GiB as float32), more than the ${gib(maxElements)} GiB limit (${fmtInt(maxElements)} elements); pick a smaller tensor or split it before loading.`,
  );
  return new Float32Array(numel);
}
