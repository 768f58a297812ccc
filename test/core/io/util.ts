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
