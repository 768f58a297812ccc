/** Helpers for the io tests: fixture files as in-memory ByteSources. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURE_DIR } from '../../helpers/fixtures.ts';
import { type ByteSource, memorySource } from '../../../src/core/io/byteSource.ts';

export const IO_DIR = path.join(FIXTURE_DIR, 'io');

export function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(IO_DIR, rel)));
}

/** A fixture as a memory source named by its base name (as a browser File would be). */
export function fixtureSource(rel: string): ByteSource {
  return memorySource(fixtureBytes(rel), path.basename(rel));
}

/** A memory source that counts the bytes read through it. */
export function countingSource(bytes: Uint8Array, name: string): ByteSource & { bytesRead: number; reads: number } {
  const s = {
    size: bytes.length, name, bytesRead: 0, reads: 0,
    read: async (offset: number, length: number) => { s.bytesRead += length; s.reads++; return bytes.slice(offset, offset + length); },
  };
  return s;
}

/** A safetensors file from a header object and a data buffer (header length may be overridden). */
export function makeSafetensors(header: unknown, data: Uint8Array = new Uint8Array(0), headerLen?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLen ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Deterministic pseudo-random bytes (mulberry32). */
export function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 255;
  }
  return out;
}
