/**
 * Reading behaviour: lazy (headers only on open), chunked with progress,
 * abortable; the Blob and Node byte sources; writeNpyF32 matches np.save.
 */
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobSource } from '../../../src/core/io/blobSource.ts';
import { CHUNK_BYTES, memorySource } from '../../../src/core/io/byteSource.ts';
import { TensorFileError } from '../../../src/core/io/errors.ts';
import { writeNpyF32 } from '../../../src/core/io/npy.ts';
import { openTensorFile } from '../../../src/core/io/open.ts';
import { nodeByteSource, openTensorFileAtPath } from '../../../src/cli/nodeByteSource.ts';
import { firstBitMismatch } from '../../helpers/fixtures.ts';
import { IO_DIR, countingSource, fixtureBytes, makeSafetensors } from './util.ts';

/** a safetensors file with one BF16 tensor "w" of n elements, values (i mod 256)/16 (exact in bf16) */
function bigBf16(n: number): Uint8Array {
  const data = new Uint16Array(n);
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) { f[0] = (i % 256) / 16; data[i] = u[0] >>> 16; }
  return makeSafetensors({ w: { dtype: 'BF16', shape: [n / 1024, 1024], data_offsets: [0, n * 2] } }, new Uint8Array(data.buffer));
}

describe('lazy, chunked reading', () => {
  const n = 10 << 20; // 20 MiB of BF16: several CHUNK_BYTES chunks
  const bytes = bigBf16(n);

  it('opening reads only the header', async () => {
    const src = countingSource(bytes, 'big.safetensors');
    const tf = await openTensorFile([src]);
    expect(tf.tensors[0]).toMatchObject({ name: 'w', dtype: 'BF16', shape: [n / 1024, 1024], byteSize: 2 * n });
    expect(src.bytesRead).toBeLessThan(200);
  });

  it('reads a tensor in chunks and reports progress up to the total', async () => {
    const src = countingSource(bytes, 'big.safetensors');
    const tf = await openTensorFile([src]);
    const progress: [number, number][] = [];
    const d = await tf.read('w', { onProgress: (a, b) => progress.push([a, b]) });
    expect(progress.length).toBe(Math.ceil((2 * n) / CHUNK_BYTES));
    expect(progress[progress.length - 1]).toEqual([2 * n, 2 * n]);
    expect(progress.every(([a], i) => i === 0 || a > progress[i - 1][0])).toBe(true);
    expect(d.data[4097]).toBe(1 / 16);
    expect(d.data[n - 1]).toBe(((n - 1) % 256) / 16);
  });

  it('an aborted read throws AbortError and stops reading', async () => {
    const src = countingSource(bytes, 'big.safetensors');
    const tf = await openTensorFile([src]);
    const signal = { aborted: false };
    const before = src.reads;
    const err = await tf.read('w', { signal, onProgress: () => { signal.aborted = true; } }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('AbortError');
    expect(err).not.toBeInstanceOf(TensorFileError);
    // the first chunk, plus the one already being read ahead while the first decoded; none after the cancel
    expect(Math.ceil((2 * n) / CHUNK_BYTES)).toBeGreaterThan(3);
    expect(src.reads - before).toBe(2);
  });

  it('decodes BF16 at a useful speed', async () => {
    const tf = await openTensorFile([memorySource(bytes, 'big.safetensors')]);
    const t0 = performance.now();
    await tf.read('w');
    const mbPerS = (2 * n) / 2 ** 20 / ((performance.now() - t0) / 1000);
    expect(mbPerS).toBeGreaterThan(20); // typically several hundred MB/s; loose for loaded CI machines
  });
});

describe('byte sources', () => {
  it('blobSource reads through slice()', async () => {
    const bytes = fixtureBytes('npy/f4_le.npy');
    const blob = { size: bytes.length, name: 'f4_le.npy', slice: (a: number, b: number) => ({ arrayBuffer: async () => bytes.slice(a, b).buffer }) };
    const tf = await openTensorFile([blobSource(blob)]);
    expect(tf.format).toBe('npy');
    expect((await tf.read('f4_le')).shape).toEqual([2, 4]);
  });

  it('nodeByteSource reads files and explains a missing one', async () => {
    const src = await nodeByteSource(path.join(IO_DIR, 'small.gguf'));
    expect(src.size).toBe(fixtureBytes('small.gguf').length);
    expect(Array.from(await src.read(0, 4))).toEqual([0x47, 0x47, 0x55, 0x46]);
    await src.close?.();
    await expect(nodeByteSource(path.join(IO_DIR, 'nope.safetensors'))).rejects.toThrow(/nope.safetensors does not exist; give the path of a \.safetensors/);
  });

  it('openTensorFileAtPath opens the shards of an index from its folder', async () => {
    const tf = await openTensorFileAtPath(path.join(IO_DIR, 'sharded', 'model.safetensors.index.json'));
    expect(tf.tensors.map((t) => t.name)).toContain('experts.gate_up_proj');
    expect((await tf.read('embed.weight')).shape).toEqual([4, 8]);
    await tf.close();
  });

  it('openTensorFileAtPath names a shard missing on disk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qs-io-'));
    copyFileSync(path.join(IO_DIR, 'sharded', 'model.safetensors.index.json'), path.join(dir, 'model.safetensors.index.json'));
    copyFileSync(path.join(IO_DIR, 'sharded', 'model-00001-of-00002.safetensors'), path.join(dir, 'model-00001-of-00002.safetensors'));
    await expect(openTensorFileAtPath(path.join(dir, 'model.safetensors.index.json'))).rejects.toThrow(/model-00002-of-00002.safetensors, which is missing/);
  });
});

describe('writeNpyF32', () => {
  it('writes exactly what np.save writes for a float32 array', () => {
    const want = fixtureBytes('npy/f4_le.npy');
    const data = new Float32Array(want.slice(128).buffer);
    expect(want.length).toBe(128 + 32);
    expect(Buffer.from(writeNpyF32([2, 4], data)).equals(Buffer.from(want))).toBe(true);
  });

  it('round-trips through the reader for 0-d, 1-d and 3-d shapes (NaN, −0 kept)', async () => {
    for (const shape of [[], [5], [2, 1, 3]]) {
      const n = shape.reduce((a, d) => a * d, 1);
      const data = new Float32Array(n).map((_, i) => (i === 1 ? -0 : i === 2 ? NaN : i * 1.5 - 2));
      const bytes = writeNpyF32(shape, data);
      expect(bytes.length % 64).toBe((n * 4) % 64);
      const dir = mkdtempSync(path.join(tmpdir(), 'qs-npy-'));
      writeFileSync(path.join(dir, 'x.npy'), bytes);
      const tf = await openTensorFileAtPath(path.join(dir, 'x.npy'));
      const d = await tf.read('x');
      await tf.close();
      expect(d.shape).toEqual(shape);
      expect(firstBitMismatch(d.data, data)).toBe(-1);
    }
  });

  it('refuses data that does not match the shape', () => {
    expect(() => writeNpyF32([2, 2], new Float32Array(3))).toThrow(/needs 4 values/);
  });
});

describe('deflated npz members', () => {
  it('concurrent reads of one member give the same values', async () => {
    const tf = await openTensorFile([memorySource(fixtureBytes('arrays_compressed.npz'), 'a.npz')]);
    const [a, b, c] = await Promise.all([tf.read('x'), tf.read('w'), tf.read('x')]);
    expect(firstBitMismatch(a.data, c.data)).toBe(-1);
    expect(b.shape).toEqual([3, 7]);
  });
});
