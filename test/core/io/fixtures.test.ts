/**
 * Every fixture tensor decodes bit-exactly to the values numpy / ml_dtypes /
 * gguf.quants.dequantize computed (test/fixtures/gen/gen_io.py).
 */
import { describe, expect, it } from 'vitest';
import { f32Hex, firstBitMismatch, hexToF32, readFixtureJson } from '../../helpers/fixtures.ts';
import { openTensorFile } from '../../../src/core/io/open.ts';
import { memorySource } from '../../../src/core/io/byteSource.ts';
import { fixtureSource, makeSafetensors } from './util.ts';

interface Expected { dtype: string; shape: number[]; hex?: string; atMaxCount?: number; scaleExpHistogram?: Record<string, number> }
const EXPECTED = readFixtureJson<Record<string, Record<string, Expected>>>('io/expected.json');

function sourcesFor(file: string) {
  if (file.startsWith('sharded/')) {
    return ['model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'].map((n) => fixtureSource(`sharded/${n}`));
  }
  return [fixtureSource(file)];
}

const cases: [string, string, Record<string, Expected>][] = [];
for (const [file, tensors] of Object.entries(EXPECTED)) {
  if (file === 'npy') for (const [name, e] of Object.entries(tensors)) cases.push([`npy/${name}`, name.replace(/\.npy$/, ''), { [name.replace(/\.npy$/, '')]: e }]);
  else cases.push([file, '', tensors]);
}

describe('fixtures decode bit-exactly', () => {
  it.each(cases)('%s', async (file, _n, tensors) => {
    const tf = await openTensorFile(sourcesFor(file));
    for (const [name, want] of Object.entries(tensors)) {
      const info = tf.tensors.find((t) => t.name === name);
      expect(info, `${name} listed`).toBeDefined();
      expect(info!.dtype).toBe(want.dtype);
      expect(info!.shape).toEqual(want.shape);
      if (want.hex === undefined) {
        expect(info!.notDecoded).toMatch(/not decoded/);
        await expect(tf.read(name)).rejects.toThrow(/cannot decode/);
        continue;
      }
      const d = await tf.read(name);
      expect(d.shape).toEqual(want.shape);
      const exp = hexToF32(want.hex);
      const i = firstBitMismatch(d.data, exp);
      expect(i, i < 0 ? '' : `${name}[${i}]: got ${f32Hex(d.data[i])} want ${f32Hex(exp[i])}`).toBe(-1);
      if (want.atMaxCount !== undefined) expect(d.packedInfo?.atMaxCount).toBe(want.atMaxCount);
      if (want.scaleExpHistogram) expect(d.packedInfo?.scaleExpHistogram).toEqual(want.scaleExpHistogram);
    }
    await tf.close();
  });
});

describe('listing', () => {
  it('reads __metadata__ and lists safetensors dtypes as stored', async () => {
    const tf = await openTensorFile([fixtureSource('all_dtypes.safetensors')]);
    expect(tf.format).toBe('safetensors');
    expect(tf.metadata).toEqual({ format: 'np', note: 'quantscope io fixture' });
    expect(tf.tensors.map((t) => t.dtype).sort()).toEqual([
      'BF16', 'BOOL', 'F16', 'F32', 'F32', 'F64', 'F8_E4M3', 'F8_E4M3FNUZ', 'F8_E5M2', 'F8_E5M2FNUZ', 'F8_E8M0',
      'I16', 'I32', 'I64', 'I8', 'U16', 'U32', 'U64', 'U8']);
  });

  it('lists gpt-oss MXFP4 as one logical tensor next to its stored parts', async () => {
    const tf = await openTensorFile([fixtureSource('mxfp4_gptoss.safetensors')]);
    const names = tf.tensors.map((t) => t.name);
    const base = 'model.layers.0.mlp.experts.down_proj';
    expect(names).toEqual(expect.arrayContaining([base, `${base}_blocks`, `${base}_scales`]));
    expect(names.indexOf(base)).toBe(names.indexOf(`${base}_blocks`) - 1);
    const t = tf.tensors.find((x) => x.name === base)!;
    expect(t).toMatchObject({ dtype: 'mxfp4-packed', shape: [2, 3, 64], byteSize: 192 + 12 });
    expect(t.packed).toMatchObject({ kind: 'mxfp4', blockSize: 32, scaleFormat: 'e8m0', parts: [`${base}_blocks`, `${base}_scales`] });
    const parts = await tf.read(`${base}_scales`);
    expect(Array.from(parts.data.slice(0, 4))).toEqual([0, 254, 127, 255]);
  });

  it('marks NVFP4 and FP8 block-scaled tensors as packed', async () => {
    const nv = await openTensorFile([fixtureSource('nvfp4_ct.safetensors')]);
    expect(nv.tensors.find((t) => t.name.endsWith('q_proj.weight'))).toMatchObject({
      dtype: 'nvfp4-packed', shape: [4, 48], packed: { kind: 'nvfp4', blockSize: 16, scaleFormat: 'e4m3-f32' } });
    const fp8 = await openTensorFile([fixtureSource('fp8_block.safetensors')]);
    expect(fp8.tensors.find((t) => t.name.endsWith('down_proj.weight'))).toMatchObject({
      dtype: 'F8_E4M3', shape: [130, 136], packed: { kind: 'fp8-block', blockSize: [128, 128] } });
  });

  it('lists C64 without decoding it', async () => {
    const tf = await openTensorFile([fixtureSource('subbyte.safetensors')]);
    expect(tf.tensors.find((t) => t.name === 'c64')?.notDecoded).toMatch(/C64.*not decoded/);
    await expect(tf.read('c64')).rejects.toThrow(/stored as C64, which quantscope cannot decode yet; pick another tensor\./);
  });

  it('F6: 4 elements per 3 bytes, element 0 in the low bits of byte 0', async () => {
    // codes 1, 2, 3, 33 (E2M3: 0.125, 0.25, 0.375, −0.125) = bit stream 000001 000010 000011 100001, LSB first
    const codes = [1, 2, 3, 33];
    let w = 0;
    codes.forEach((c, i) => { w |= c << (6 * i); });
    const bytes = [w & 255, (w >> 8) & 255, (w >> 16) & 255];
    const f6 = makeSafetensors({ a: { dtype: 'F6_E2M3', shape: [4], data_offsets: [0, 3] }, b: { dtype: 'F6_E3M2', shape: [2, 2], data_offsets: [3, 6] } }, new Uint8Array([...bytes, ...bytes]));
    const tf6 = await openTensorFile([memorySource(f6, 'f6.safetensors')]);
    expect(tf6.tensors.map((t) => [t.dtype, t.shape, t.byteSize, t.notDecoded])).toEqual([['F6_E2M3', [4], 3, undefined], ['F6_E3M2', [2, 2], 3, undefined]]);
    expect(Array.from((await tf6.read('a')).data)).toEqual([0.125, 0.25, 0.375, -0.125]);
    // E3M2 (bias 3): 1, 2, 3 are subnormals k/16; 33 is −1/16
    expect(Array.from((await tf6.read('b')).data)).toEqual([0.0625, 0.125, 0.1875, -0.0625]);
  });

  it('reports GGUF metadata, numpy-order shapes and undecoded ggml types', async () => {
    const tf = await openTensorFile([fixtureSource('small.gguf')]);
    expect(tf.format).toBe('gguf');
    expect(tf.metadata['general.architecture']).toBe('llama');
    expect(tf.metadata['general.alignment']).toBe('64');
    expect(tf.metadata['tokenizer.ggml.scores']).toBe('[0.5, -1, 2]');
    expect(tf.metadata['tokenizer.ggml.tokens']).toBe('[30 × string]');
    expect(tf.tensors.find((t) => t.name === 'f32')?.shape).toEqual([3, 5]);
    expect(tf.tensors.find((t) => t.name === 'q4_k')).toMatchObject({ dtype: 'Q4_K', shape: [1, 256], notDecoded: 'Q4_K is listed but not decoded yet' });
    expect(tf.tensors.find((t) => t.name === 'q8_0')?.packed).toMatchObject({ kind: 'q8_0', blockSize: 32, scaleFormat: 'f16' });
  });

  it('reads GGUF version 2 files (same layout as v3)', async () => {
    const b = fixtureSource('small.gguf');
    const bytes = await b.read(0, b.size);
    const v2 = bytes.slice();
    v2[4] = 2;
    const tf = await openTensorFile([memorySource(v2, 'v2.gguf')]);
    expect((await tf.read('f32')).data.length).toBe(15);
  });

  it('npz picks arrays with or without .npy', async () => {
    for (const f of ['arrays.npz', 'arrays_compressed.npz']) {
      const tf = await openTensorFile([fixtureSource(f)]);
      expect(tf.format).toBe('npz');
      expect(tf.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([['x', '<f4', [5, 7]], ['w', '<f2', [3, 7]], ['idx', '>i4', [2, 3]]]);
      const a = await tf.read('w');
      const b = await tf.read('w.npy');
      expect(firstBitMismatch(a.data, b.data)).toBe(-1);
      // reading again (the deflate stream restarts) gives the same values
      expect(firstBitMismatch((await tf.read('x')).data, (await tf.read('x')).data)).toBe(-1);
    }
  });
});
