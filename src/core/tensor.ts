/**
 * A tensor as the numerics see it (DOMAIN.md §1): float32, row-major, viewed as
 * 2-D [rows, cols] with cols = last axis and rows = product of the others
 * (rank 1 is [1, n], rank 0 is [1, 1]). `shape` keeps the original shape.
 */
export interface Tensor2D {
  /** row-major float32 values, length rows·cols */
  data: Float32Array;
  rows: number;
  cols: number;
  /** original shape (any rank) */
  shape: number[];
}

/** [rows, cols] of the 2-D view of `shape`. */
export function view2D(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]];
  const cols = shape[shape.length - 1];
  let rows = 1;
  for (let i = 0; i < shape.length - 1; i++) rows *= shape[i];
  return [rows, cols];
}

export function tensor2D(data: Float32Array, shape: readonly number[]): Tensor2D {
  const [rows, cols] = view2D(shape);
  if (rows * cols !== data.length) {
    throw new Error(`shape [${shape.join(', ')}] needs ${rows * cols} values but the data has ${data.length}`);
  }
  return { data, rows, cols, shape: [...shape] };
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
