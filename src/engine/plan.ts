/**
 * Pure planning for the scheduler: job keys (the identity of a job's inputs)
 * and how a tensor is split by rows across the pool.
 */
import { getFormat, type FormatId } from '../core/formats/registry.ts';
import type { QuantOptions } from '../core/quant/options.ts';
import { splitsAtRow } from '../core/model/bandedMeasure.ts';
import { quantBaseOf, type Config } from '../state/config.ts';

/** Identity of the tensor being analysed. */
export function tensorKey(c: Config): string {
  return c.file !== null ? `file:${c.file}:${c.tensor ?? ''}` : `sample:${c.sample}:${c.size}:${c.sampleSeed}`;
}

/** Quant options of `format` under the config (granularity etc. from the URL). */
export function quantOptions(c: Config, format: FormatId): QuantOptions {
  return { ...quantBaseOf(c), format };
}

/** The settings that change quantization results, as text. */
export function quantKey(c: Config): string {
  return [c.granularity, c.scale, c.scaleRule, c.clip ?? '', c.rounding, c.rounding === 'stochastic' ? c.seed : '', c.transform, c.weightFormat ?? ''].join('|');
}

export function metricsKey(c: Config): string {
  return `${tensorKey(c)}#${quantKey(c)}#${c.formats.join(',')}`;
}

export function errorHeatmapKey(c: Config): string {
  return `${tensorKey(c)}#${quantKey(c)}#${c.format}`;
}

export function blockKey(c: Config): string {
  return `${tensorKey(c)}#${c.format}#${c.row}:${c.block}#${c.scaleRule}|${c.rounding}|${c.seed}`;
}

export interface RowSlice {
  worker: number;
  rowStart: number;
  rowEnd: number;
}

/** Tensors smaller than this stay whole on worker 0. */
export const SPLIT_MIN_ELEMENTS = 1 << 19;

/** Split rows over `workers`, boundaries on multiples of 128 when possible. */
export function planSlices(rows: number, cols: number, workers: number): RowSlice[] {
  if (rows * cols < SPLIT_MIN_ELEMENTS || workers < 2 || rows < 2) return [{ worker: 0, rowStart: 0, rowEnd: rows }];
  const align = rows >= 128 * workers ? 128 : 1;
  const units = Math.ceil(rows / align);
  const slices: RowSlice[] = [];
  let start = 0;
  for (let w = 0; w < workers && start < rows; w++) {
    const end = w === workers - 1 ? rows : Math.min(rows, Math.round((units * (w + 1)) / workers) * align);
    if (end > start) slices.push({ worker: w, rowStart: start, rowEnd: end });
    start = end;
  }
  return slices;
}

/** Whether quantizing each slice separately gives the same bits as the whole tensor. */
export function splittable(opts: QuantOptions, slices: readonly RowSlice[]): boolean {
  return slices.length >= 2 && slices.every((s) => splitsAtRow(opts, s.rowStart));
}

/** The worker holding `row`. */
export function sliceOf(slices: readonly RowSlice[], row: number): RowSlice {
  return slices.find((s) => row >= s.rowStart && row < s.rowEnd) ?? slices[0];
}
