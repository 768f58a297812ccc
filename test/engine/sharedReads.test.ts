/**
 * workers/sharedReads.ts: the analysis load and the tensor browser's packed
 * statistics of the same tensor share one read (issue 6), on the committed
 * gpt-oss MXFP4 fixture through the real safetensors reader.
 */
import { describe, expect, it } from 'vitest';
import { readDetails, readKey, readShared } from '../../workers/sharedReads.ts';
import { openTensorFile, type ReadOptions } from '../../src/core/io/index.ts';
import { CHUNK_BYTES } from '../../src/core/io/byteSource.ts';
import { countingSource, fixtureBytes, makeSafetensors } from '../core/io/util.ts';

const NAME = 'model.layers.0.mlp.experts.down_proj';

async function fixture(tag: string) {
  const src = countingSource(fixtureBytes('mxfp4_gptoss.safetensors'), 'mxfp4_gptoss.safetensors');
  const tf = await openTensorFile([src]);
  const afterOpen = src.reads;
  // a distinct key per test: finished reads are remembered by key
  const key = readKey([{ name: `${tag}.safetensors`, size: src.size, lastModified: 0 }], NAME);
  return { tf, key, reads: () => src.reads - afterOpen };
}

describe('sharedReads', () => {
  it('a details request made while the tensor is being read joins that read: one read of the parts, not two', async () => {
    const { tf, key, reads } = await fixture('join');
    const progress: number[] = [];
    const load = readShared(key, (o) => tf.read(NAME, o), { onProgress: (b) => progress.push(b) });
    const details = readDetails(key, (o) => tf.read(NAME, o));
    const [t, d] = await Promise.all([load, details]);
    expect(reads()).toBe(2); // scales + blocks, once
    expect(d).toEqual({ shape: t.shape, storedDtype: 'mxfp4-packed', packedInfo: t.packedInfo });
    expect(d.packedInfo?.kind).toBe('mxfp4');
    expect(progress.at(-1)).toBeGreaterThan(0);
    // and later asks read nothing
    expect(await readDetails(key, (o) => tf.read(NAME, o))).toEqual(d);
    expect(reads()).toBe(2);
  });

  it('without a shared read, the details read the tensor themselves', async () => {
    const { tf, key, reads } = await fixture('alone');
    const d = await readDetails(key, (o) => tf.read(NAME, o));
    expect(d.packedInfo?.atMaxCount).toBeGreaterThanOrEqual(0);
    expect(reads()).toBe(2);
  });

  it('one caller cancelling does not stop the read for the other; both cancelling does', async () => {
    const { tf, key } = await fixture('cancel');
    let started = 0;
    const read = (o: ReadOptions) => { started++; return tf.read(NAME, o); };
    const a = { aborted: false };
    const pa = readShared(key, read, { signal: a });
    const pb = readDetails(key, read);
    a.aborted = true;
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    expect((await pb).packedInfo?.kind).toBe('mxfp4');
    expect(started).toBe(1);

    const { tf: tf2, key: key2 } = await fixture('cancel-both');
    const x = { aborted: false }, y = { aborted: false };
    const px = readShared(key2, (o) => tf2.read(NAME, o), { signal: x });
    const py = readShared(key2, (o) => tf2.read(NAME, o), { signal: y });
    x.aborted = y.aborted = true;
    await expect(px).rejects.toMatchObject({ name: 'AbortError' });
    await expect(py).rejects.toMatchObject({ name: 'AbortError' });
    // nothing was remembered: a new request reads again
    let again = 0;
    await readDetails(key2, (o) => { again++; return tf2.read(NAME, o); });
    expect(again).toBe(1);
  });

  it('a caller that cancels leaves at the next chunk while the read goes on for the other', async () => {
    const n = (3 * CHUNK_BYTES) / 2; // BF16: three chunks
    const src = countingSource(makeSafetensors({ w: { dtype: 'BF16', shape: [n], data_offsets: [0, 2 * n] } }, new Uint8Array(2 * n)), 'b.safetensors');
    const tf = await openTensorFile([src]);
    const key = readKey([{ name: 'b.safetensors', size: src.size, lastModified: 0 }], 'w');
    const a = { aborted: false };
    const events: string[] = [];
    const pa = readShared(key, (o) => tf.read('w', o), { signal: a, onProgress: () => { a.aborted = true; } })
      .catch((e: Error) => { events.push(`a ${e.name}`); });
    const pb = readShared(key, (o) => tf.read('w', o), { onProgress: (b, total) => events.push(`b ${b}/${total}`) })
      .then((t) => { events.push(`b done ${t.data.length}`); });
    await Promise.all([pa, pb]);
    // a left while chunks were still coming for b (before the last one), and b got the whole tensor
    expect(events[0]).toBe(`b ${CHUNK_BYTES}/${2 * n}`);
    expect(events.indexOf('a AbortError')).toBeGreaterThan(0);
    expect(events.indexOf('a AbortError')).toBeLessThan(events.indexOf(`b ${2 * n}/${2 * n}`));
    expect(events.at(-1)).toBe(`b done ${n}`);
  });
});
