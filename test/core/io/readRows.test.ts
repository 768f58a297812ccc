import { describe, expect, it } from 'vitest';
import { openTensorFile } from '../../../src/core/io/open.ts';
import { view2D } from '../../../src/core/tensor.ts';
import { fixtureSource } from './util.ts';

describe('TensorFile.readRows (safetensors)', () => {
  it('gives exactly the rows of the whole read, for every decodable dtype, reading only their bytes', async () => {
    let checked = 0;
    for (const file of ['all_dtypes.safetensors', 'subbyte.safetensors', 'f6.safetensors', 'sharded/model-00001-of-00002.safetensors']) {
      const tf = await openTensorFile([fixtureSource(file)]);
      for (const t of tf.tensors) {
        if (t.notDecoded || t.packed) continue;
        const [rows, cols] = view2D(t.shape);
        if (rows < 2) continue;
        const whole = (await tf.read(t.name)).data;
        const r0 = 1, r1 = Math.min(rows, 3);
        let bytes = 0;
        const part = await tf.readRows!(t.name, r0, r1, { onProgress: (b) => { bytes = b; } });
        const where = `${file} ${t.name}`;
        expect(part, where).toBeDefined();
        expect(Array.from(part!), where).toEqual(Array.from(whole.subarray(r0 * cols, r1 * cols)));
        expect(bytes, where).toBe((t.byteSize / rows) * (r1 - r0));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('refuses a range outside the tensor and declines packed tensors', async () => {
    const tf = await openTensorFile([fixtureSource('all_dtypes.safetensors')]);
    const t = tf.tensors.find((x) => !x.notDecoded && x.shape.length >= 2)!;
    const [rows] = view2D(t.shape);
    expect(() => tf.readRows!(t.name, 0, rows + 1)).toThrow(/outside tensor/);
    const mx = await openTensorFile([fixtureSource('mxfp4_gptoss.safetensors')]);
    const packed = mx.tensors.find((x) => x.packed)!;
    expect(mx.readRows!(packed.name, 0, 1)).toBeUndefined();
  });
});
