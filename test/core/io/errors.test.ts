/**
 * Bad files: each gives one plain sentence in a TensorFileError (never another
 * error type, never a hang), naming the problem and what would work.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../src/core/io/byteSource.ts';
import { TensorFileError, allocDecoded } from '../../../src/core/io/errors.ts';
import { openTensorFile } from '../../../src/core/io/open.ts';
import { DEFAULT_MAX_ELEMENTS } from '../../../src/core/io/types.ts';
import { fixtureBytes, fixtureSource, makeSafetensors, randomBytes } from './util.ts';

/** Opens (and reads every tensor of) the file; returns the error it throws. */
async function failure(sources: { bytes: Uint8Array; name: string }[], opts = {}): Promise<TensorFileError> {
  try {
    const tf = await openTensorFile(sources.map((s) => memorySource(s.bytes, s.name)), opts);
    for (const t of tf.tensors) await tf.read(t.name);
  } catch (e) {
    expect(e).toBeInstanceOf(TensorFileError);
    const m = (e as Error).message;
    expect(m, 'one sentence, one line').not.toMatch(/\n/);
    expect(m).toMatch(/[.]$/);
    expect(m.length).toBeLessThan(400);
    return e as TensorFileError;
  }
  throw new Error('expected a TensorFileError');
}
const one = (bytes: Uint8Array, name: string, opts = {}) => failure([{ bytes, name }], opts);
const f32 = (n: number) => new Uint8Array(new Float32Array(n).buffer);

describe('bad safetensors', () => {
  it('empty file', async () => expect((await one(new Uint8Array(0), 'a.safetensors')).message).toMatch(/too small to be a safetensors file/));
  it('header length beyond the file', async () =>
    expect((await one(makeSafetensors({}, new Uint8Array(0), 1000n), 'a.safetensors')).message).toMatch(/1,000-byte header but the file has only/));
  it('2^63 header length', async () =>
    expect((await one(makeSafetensors({}, new Uint8Array(0), 2n ** 63n), 'a.safetensors')).message).toMatch(/declares an impossibly long header but the file has only/));
  it('non-JSON header', async () =>
    expect((await one(makeSafetensors('{"a": [1, 2'), 'a.safetensors')).message).toMatch(/not valid JSON/));
  it('JSON that is not an object', async () =>
    expect((await one(makeSafetensors('[1, 2, 3]'), 'a.safetensors')).message).toMatch(/not a JSON object/));
  it('offsets out of range', async () =>
    expect((await one(makeSafetensors({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32(2)), 'a.safetensors')).message)
      .toMatch(/tensor "x" .* ends at data byte 16 but the data section has only 8 bytes/));
  it('overlapping tensors', async () =>
    expect((await one(makeSafetensors({
      x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(3)), 'a.safetensors')).message)
      .toMatch(/"x" and "y" .* overlap/));
  it('unknown dtype', async () =>
    expect((await one(makeSafetensors({ x: { dtype: 'F7', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), 'a.safetensors')).message)
      .toMatch(/unknown dtype "F7"; known dtypes are F64, F32/));
  it('shape / size mismatch', async () =>
    expect((await one(makeSafetensors({ x: { dtype: 'BF16', shape: [3, 2], data_offsets: [0, 8] } }, f32(2)), 'a.safetensors')).message)
      .toMatch(/shape \[3, 2\] of BF16, which needs 12 bytes, but its data_offsets span 8 bytes/));
  it('odd F4 element count that is not a whole number of bytes', async () =>
    expect((await one(makeSafetensors({ x: { dtype: 'F4', shape: [3], data_offsets: [0, 2] } }, new Uint8Array(2)), 'a.safetensors')).message)
      .toMatch(/whole number of bytes/));
  it('negative and fractional dims', async () => {
    expect((await one(makeSafetensors({ x: { dtype: 'U8', shape: [-1], data_offsets: [0, 0] } }), 'a.safetensors')).message).toMatch(/invalid dimension -1/);
    expect((await one(makeSafetensors({ x: { dtype: 'U8', shape: [1.5], data_offsets: [0, 0] } }), 'a.safetensors')).message).toMatch(/invalid dimension 1.5/);
  });
  it('truncated data', async () => {
    const good = fixtureBytes('all_dtypes.safetensors');
    expect((await one(good.subarray(0, good.length - 10), 'a.safetensors')).message).toMatch(/truncated|ends at data byte/);
  });
  it('truncated inside the header', async () => {
    const good = fixtureBytes('all_dtypes.safetensors');
    expect((await one(good.subarray(0, 100), 'a.safetensors')).message).toMatch(/header but the file has only 100 bytes/);
  });
});

describe('sharded checkpoints', () => {
  const dir = 'sharded/';
  const idx = { bytes: fixtureBytes(`${dir}model.safetensors.index.json`), name: 'model.safetensors.index.json' };
  const s1 = { bytes: fixtureBytes(`${dir}model-00001-of-00002.safetensors`), name: 'model-00001-of-00002.safetensors' };
  it('a missing shard is named', async () =>
    expect((await failure([idx, s1])).message).toMatch(/names shard model-00002-of-00002.safetensors, which is missing; open the index together with all of its shard files/));
  it('an index that points outside its folder is refused', async () => {
    const bad = new TextEncoder().encode(JSON.stringify({ weight_map: { a: '../../etc/passwd' } }));
    expect((await failure([{ bytes: bad, name: 'model.safetensors.index.json' }])).message).toMatch(/not a plain shard file name/);
  });
  it('an index whose tensors are not in the named shard', async () => {
    const bad = new TextEncoder().encode(JSON.stringify({ weight_map: { nope: 'model-00001-of-00002.safetensors' } }));
    expect((await failure([{ bytes: bad, name: 'model.safetensors.index.json' }, s1])).message).toMatch(/says tensor "nope" is in model-00001-of-00002.safetensors, but no shard has it/);
  });
  it('an index that is not JSON', async () =>
    expect((await failure([{ bytes: new Uint8Array([1, 2, 3]), name: 'model.safetensors.index.json' }])).message).toMatch(/not valid JSON/));
});

describe('bad npy / npz', () => {
  it('pickle-bearing .npy', async () =>
    expect((await one(fixtureBytes('npy/object.npy'), 'object.npy')).message).toMatch(/Python objects \(pickle\), which quantscope never loads/));
  it('complex .npy', async () => expect((await one(fixtureBytes('npy/complex.npy'), 'c.npy')).message).toMatch(/dtype '<c8'.*not a supported numeric dtype/));
  it('empty .npy', async () => expect((await one(new Uint8Array(0), 'a.npy')).message).toMatch(/too small to be a \.npy file/));
  it('truncated .npy data', async () => {
    const b = fixtureBytes('npy/f8_le.npy');
    expect((await one(b.subarray(0, b.length - 1), 'a.npy')).message).toMatch(/truncated: shape \[2, 4\] of <f8 needs 64 data bytes but only 63/);
  });
  it('npz with a non-npy member', async () =>
    expect((await one(fixtureBytes('bad_member.npz'), 'bad_member.npz')).message).toMatch(/contains readme.txt, which is not a \.npy array/));
  it('truncated npz', async () => {
    const b = fixtureBytes('arrays_compressed.npz');
    expect((await one(b.subarray(0, b.length - 30), 'a.npz')).message).toMatch(/zip|archive/);
  });
});

describe('bad gguf', () => {
  const good = () => fixtureBytes('small.gguf').slice();
  it('empty', async () => expect((await one(new Uint8Array(0), 'a.gguf')).message).toMatch(/too small to be a GGUF file/));
  it('version 1', async () => { const b = good(); b[4] = 1; expect((await one(b, 'a.gguf')).message).toMatch(/GGUF version 1; versions 2 and 3/); });
  it('big-endian', async () => { const b = good(); b.set([0, 0, 0, 3], 4); expect((await one(b, 'a.gguf')).message).toMatch(/big-endian GGUF/); });
  it('tensor count larger than the file', async () => { const b = good(); b[12] = 0x10; expect((await one(b, 'a.gguf')).message).toMatch(/more tensors or metadata entries than the file can hold/); });
  it('truncated data', async () => expect((await one(good().subarray(0, 900), 'a.gguf')).message).toMatch(/truncated/));
  it('a count field ≥ 2^53', async () => { const b = good(); b[15] = 0x10; expect((await one(b, 'a.gguf')).message).toMatch(/damaged: the tensor count at byte 8 is larger than 2\^53/); });
  it('unknown ggml type', async () => {
    const b = good();
    // the type id of the first tensor follows its name "f32" (u64 len + 3), rank (u32) and two dims (u64)
    const at = findAscii(b, 'f32') + 3 + 4 + 16;
    b.set([200, 0, 0, 0], at);
    expect((await one(b, 'a.gguf')).message).toMatch(/tensor "f32" in a.gguf has unknown ggml type 200/);
  });
});

function findAscii(b: Uint8Array, s: string): number {
  outer: for (let i = 0; i + s.length <= b.length; i++) {
    for (let k = 0; k < s.length; k++) if (b[i + k] !== s.charCodeAt(k)) continue outer;
    if (b[i - 8] === s.length) return i;
  }
  return -1;
}

describe('wrong kinds of file', () => {
  it('PyTorch .bin/.pt are refused with a conversion hint', async () => {
    for (const name of ['pytorch_model.bin', 'model.pt']) {
      expect((await one(new Uint8Array([0x80, 2, 0x7d, 0x71]), name)).message).toMatch(/PyTorch pickle checkpoint.*convert it to safetensors/);
    }
  });
  it('random bytes with each known extension', async () => {
    for (const ext of ['safetensors', 'npy', 'npz', 'gguf']) {
      const e = await one(randomBytes(4096, 7), `noise.${ext}`);
      expect(e.message).toMatch(/noise/);
    }
  });
  it('unknown extension and magic', async () => expect((await one(randomBytes(100, 3), 'x.dat')).message).toMatch(/not a tensor file quantscope recognizes; open a \.safetensors/));
  it('a tensor name the file lacks', async () => {
    const tf = await openTensorFile([fixtureSource('arrays.npz')]);
    await expect(tf.read('nope')).rejects.toThrow(/arrays.npz has no tensor named "nope"; it has "x", "w", "idx"\./);
  });
});

describe('size limit', () => {
  it('refuses a tensor above maxElements before allocating, naming the limit', async () => {
    const e = await one(fixtureBytes('npy/f4_le.npy'), 'a.npy', { maxElements: 4 });
    expect(e.message).toMatch(/tensor "a" has 8 elements .* more than the .* limit \(4 elements\)/);
  });
  it('the default limit is 2 GiB of float32', () => {
    expect(() => allocDecoded('w', DEFAULT_MAX_ELEMENTS + 1, DEFAULT_MAX_ELEMENTS)).toThrow(/the 2 GiB limit \(536,870,912 elements\)/);
  });
});
