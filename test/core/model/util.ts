/** Helpers for the whole-model tests: the test/fixtures/model checkpoints as in-memory TensorFiles. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FIXTURE_DIR, readFixtureJson } from '../../helpers/fixtures.ts';
import { memorySource } from '../../../src/core/io/byteSource.ts';
import { openTensorFile } from '../../../src/core/io/open.ts';
import type { TensorFile } from '../../../src/core/io/types.ts';

export const MODEL_DIR = path.join(FIXTURE_DIR, 'model');

/** A fixture folder (all its files, as a browser multi-file pick would give) or a single file. */
export async function openModel(rel: string): Promise<TensorFile> {
  const p = path.join(MODEL_DIR, rel);
  const files = rel.endsWith('.gguf') ? [p] : readdirSync(p).map((n) => path.join(p, n));
  return openTensorFile(files.map((f) => memorySource(new Uint8Array(readFileSync(f)), path.basename(f))));
}

export interface ExpMetrics { sqnr_db: number | null; mse: number; max_abs_err: number; saturated: number; bits_per_element?: number }
export const expected = () => readFixtureJson<{
  scan: Record<string, Record<string, ExpMetrics>>;
  diff: Record<string, { rows: Record<string, { real: ExpMetrics; own: (ExpMetrics & { format: string }) | null }>; extra: string[]; missing: string[]; mismatched: string[] }>;
}>('model/expected.json');

/** Relative closeness for float64 statistics summed in a different order. */
export function close(got: number, want: number, rel = 1e-9): boolean {
  return got === want || Math.abs(got - want) <= rel * Math.max(Math.abs(got), Math.abs(want));
}
