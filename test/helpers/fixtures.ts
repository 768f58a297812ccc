/** Readers for the golden fixtures written by test/fixtures/generate.py. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

export function readFixtureJson<T = any>(relPath: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, relPath), 'utf8')) as T;
}

/** Concatenated 8-hex-digit float32 bit patterns (see gen/common.py f32_hex) -> Float32Array */
export function hexToF32(hex: string): Float32Array {
  const n = hex.length / 8;
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) u[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return new Float32Array(u.buffer);
}

/** Bit pattern of a float32 value as 8 hex digits, for readable failure messages. */
export function f32Hex(v: number): string {
  const f = new Float32Array([v]);
  return new Uint32Array(f.buffer)[0].toString(16).padStart(8, '0');
}

/**
 * Index of the first element whose float32 bits differ (NaN matches any NaN;
 * −0 and +0 are distinct), or -1 when bit-identical.
 */
export function firstBitMismatch(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) return Math.min(got.length, want.length);
  const gu = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const wu = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < got.length; i++) {
    if (gu[i] !== wu[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) return i;
  }
  return -1;
}
