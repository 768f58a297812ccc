/**
 * Seeded fuzzing: thousands of mutations (bit flips, truncations, length-field
 * and byte edits, insertions, deletions) of every valid fixture. The readers
 * must only ever return tensors (of consistent size, bounded by the file) or
 * throw TensorFileError: never another error type, never a hang.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../src/core/io/byteSource.ts';
import { TensorFileError } from '../../../src/core/io/errors.ts';
import { openTensorFile } from '../../../src/core/io/open.ts';
import { fixtureBytes } from './util.ts';

const PER_FILE = 1500;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Offsets of length/count fields worth editing, per format. */
const FIELDS: Record<string, number[]> = {
  safetensors: [0, 4], npy: [6, 8, 10], npz: [], gguf: [4, 8, 12, 16, 20], json: [],
};

function mutate(src: Uint8Array, fmt: string, r: () => number): { bytes: Uint8Array; how: string } {
  const int = (n: number) => Math.floor(r() * n);
  const b = src.slice();
  const kind = int(7);
  switch (kind) {
    case 0: { // bit flips
      const n = 1 + int(8);
      for (let i = 0; i < n; i++) b[int(b.length)] ^= 1 << int(8);
      return { bytes: b, how: `flip ${n} bits` };
    }
    case 1: { const n = int(b.length); return { bytes: b.subarray(0, n), how: `truncate to ${n}` }; }
    case 2: { // a length/count field set to an edge value
      const fields = [...FIELDS[fmt], int(b.length)];
      const at = fields[int(fields.length)];
      const vals = [0, 1, 0xff, 0x7f, 0x80, int(256)];
      const width = [1, 2, 4, 8][int(4)];
      const v = vals[int(vals.length)];
      for (let k = 0; k < width && at + k < b.length; k++) b[at + k] = k === 0 || v === 0xff ? v : r() < 0.5 ? 0 : v;
      return { bytes: b, how: `field @${at} width ${width} = ${v}` };
    }
    case 3: { // random bytes overwritten
      const at = int(b.length), n = 1 + int(16);
      for (let k = 0; k < n && at + k < b.length; k++) b[at + k] = int(256);
      return { bytes: b, how: `overwrite ${n} @${at}` };
    }
    case 4: { // insertion
      const at = int(b.length + 1), n = 1 + int(32);
      const out = new Uint8Array(b.length + n);
      out.set(b.subarray(0, at));
      for (let k = 0; k < n; k++) out[at + k] = int(256);
      out.set(b.subarray(at), at + n);
      return { bytes: out, how: `insert ${n} @${at}` };
    }
    case 5: { // deletion
      const at = int(b.length), n = Math.min(1 + int(32), b.length - at);
      const out = new Uint8Array(b.length - n);
      out.set(b.subarray(0, at));
      out.set(b.subarray(at + n), at);
      return { bytes: out, how: `delete ${n} @${at}` };
    }
    default: { // a digit in a text header changed (JSON / npy dict)
      const digits: number[] = [];
      for (let i = 0; i < Math.min(b.length, 4096); i++) if (b[i] >= 0x30 && b[i] <= 0x39) digits.push(i);
      if (!digits.length) return { bytes: b, how: 'no-op' };
      const at = digits[int(digits.length)];
      b[at] = [0x30 + int(10), 0x2d, 0x2e, 0x65][int(4)];
      return { bytes: b, how: `digit @${at}` };
    }
  }
}

/** Opens and reads everything; returns '' when the outcome is acceptable, else what went wrong. */
async function exercise(files: { bytes: Uint8Array; name: string }[]): Promise<string> {
  const total = files.reduce((a, f) => a + f.bytes.length, 0);
  try {
    const tf = await openTensorFile(files.map((f) => memorySource(f.bytes, f.name)));
    for (const t of tf.tensors) {
      try {
        const d = await tf.read(t.name);
        const n = d.shape.reduce((a, x) => a * x, 1);
        if (d.data.length !== n) return `tensor ${t.name}: ${d.data.length} values for shape [${d.shape}]`;
        if (d.data.length > 2 * 1032 * total + 1024) return `tensor ${t.name}: ${d.data.length} values from a ${total}-byte file`;
      } catch (e) {
        if (!(e instanceof TensorFileError)) return `read ${t.name}: ${(e as Error)?.name}: ${(e as Error)?.message}`;
      }
    }
  } catch (e) {
    if (!(e instanceof TensorFileError)) return `open: ${(e as Error)?.name}: ${(e as Error)?.message}`;
  }
  return '';
}

const SINGLE: [string, string][] = [
  ['all_dtypes.safetensors', 'safetensors'], ['subbyte.safetensors', 'safetensors'], ['mxfp4_gptoss.safetensors', 'safetensors'],
  ['nvfp4_ct.safetensors', 'safetensors'], ['fp8_block.safetensors', 'safetensors'], ['f6.safetensors', 'safetensors'],
  ['npy/f4_le.npy', 'npy'], ['npy/fortran.npy', 'npy'], ['npy/v3.npy', 'npy'], ['npy/i8_be.npy', 'npy'],
  ['arrays.npz', 'npz'], ['arrays_compressed.npz', 'npz'], ['small.gguf', 'gguf'],
];

describe('fuzzed fixtures never escape as other errors', () => {
  it.each(SINGLE)('%s', async (file, fmt) => {
    const base = fixtureBytes(file);
    const name = file.split('/').pop()!;
    const r = rng(0xc0ffee ^ file.length * 7919);
    let ok = 0, failed = 0;
    for (let i = 0; i < PER_FILE; i++) {
      const m = mutate(base, fmt, r);
      const problem = await exercise([{ bytes: m.bytes, name }]);
      expect(problem, `mutation #${i} (${m.how})`).toBe('');
      if (problem === '') ok++; else failed++;
    }
    expect(ok).toBe(PER_FILE);
  });

  it('sharded checkpoint (index and shards mutated)', async () => {
    const names = ['model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
    const files = names.map((n) => ({ name: n, bytes: fixtureBytes(`sharded/${n}`) }));
    const r = rng(42);
    for (let i = 0; i < PER_FILE; i++) {
      const k = Math.floor(r() * 3);
      const m = mutate(files[k].bytes, k === 0 ? 'json' : 'safetensors', r);
      const set = files.map((f, j) => (j === k ? { name: f.name, bytes: m.bytes } : f));
      expect(await exercise(set), `mutation #${i} of ${names[k]} (${m.how})`).toBe('');
    }
  });

  it('the unmutated fixtures pass the same checks', async () => {
    for (const [file] of SINGLE) expect(await exercise([{ bytes: fixtureBytes(file), name: file.split('/').pop()! }])).toBe('');
  });
});
