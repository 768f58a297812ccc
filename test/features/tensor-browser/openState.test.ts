import { describe, expect, it } from 'vitest';
import { pickCheckpointFiles } from '../../../src/features/tensor-browser/pickFiles.ts';
import { createAppStore } from '../../../src/state/store.ts';
import { chooseTensor, unusableReason } from '../../../src/state/slices/sourceSlice.ts';
import { nothingToAnalyse } from '../../../src/state/slices/checkpoint.ts';
import { assignTensors, mergeRows } from '../../../src/engine/modelJob.ts';
import { parseTensorName } from '../../../src/core/model/names.ts';
import type { ScanRow } from '../../../src/core/model/scan.ts';

const file = (name: string, size = 8) => new File([new Uint8Array(size)], name);
const names = (fs: File[]) => fs.map((f) => f.name);

describe('pickCheckpointFiles', () => {
  it('keeps the tensor files of a folder, index first, and leaves config/tokenizer/pickles out', () => {
    const r = pickCheckpointFiles([
      file('config.json'), file('model-00002-of-00002.safetensors'), file('tokenizer.json'), file('pytorch_model.bin'),
      file('model-00001-of-00002.safetensors'), file('model.safetensors.index.json'),
    ]);
    expect(names(r.files)).toEqual(['model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(r.ignored).toBe(3);
  });
  it('a pick of only pickles (or nothing recognisable) is kept so the reader can say why it cannot be opened', () => {
    expect(names(pickCheckpointFiles([file('config.json'), file('pytorch_model.bin')]).files)).toEqual(['pytorch_model.bin']);
    expect(names(pickCheckpointFiles([file('notes.txt')]).files)).toEqual(['notes.txt']);
  });
});

const found = { format: 'safetensors' as const, metadata: {}, tensors: [{ name: 'w', dtype: 'F32', shape: [4, 4], byteSize: 64 }], headerBytes: 100, fileNames: ['a.safetensors'] };

describe('checkpoint slice', () => {
  it('commits an open only when it succeeds; a failure leaves a notice and everything else as it was', () => {
    const store = createAppStore();
    store.getState().requestOpen([file('a.safetensors', 200)]);
    const id = store.getState().openRequest!.id;
    store.getState().openSucceeded(id, found);
    const s1 = store.getState();
    expect(s1.config.file).toBe('a.safetensors:200');
    expect(s1.checkpoint?.tensors).toHaveLength(1);
    expect(s1.listing).toHaveLength(1);
    s1.setConfig({ tensor: 'w' });
    const before = { config: store.getState().config, checkpoint: store.getState().checkpoint, files: store.getState().files };

    store.getState().requestOpen([file('broken.safetensors', 10)]);
    store.getState().openFailed(store.getState().openRequest!.id, 'broken.safetensors is truncated.');
    const s2 = store.getState();
    expect({ config: s2.config, checkpoint: s2.checkpoint, files: s2.files }).toEqual(before);
    expect(s2.openRequest).toBeNull();
    expect(s2.notices.map((n) => [n.tone, n.title, n.details[0]])).toEqual([['error', 'The file could not be opened', 'broken.safetensors is truncated.']]);
  });

  it('a file with nothing to analyse (every tensor empty or not decodable) is refused like a corrupt one; one usable tensor is enough', () => {
    const store = createAppStore();
    store.getState().requestOpen([file('a.safetensors', 200)]);
    store.getState().openSucceeded(store.getState().openRequest!.id, found);
    const before = { config: store.getState().config, checkpoint: store.getState().checkpoint, files: store.getState().files };
    const empty = { name: 'e', dtype: 'F32', shape: [0, 5], byteSize: 0 };
    const complex = { name: 'c', dtype: 'C64', shape: [2, 2], byteSize: 32, notDecoded: 'C64 (complex) is listed but not decoded' };

    store.getState().requestOpen([file('empty.npy', 128)]);
    store.getState().openSucceeded(store.getState().openRequest!.id, { ...found, format: 'npy' as const, tensors: [empty] });
    let s = store.getState();
    expect({ config: s.config, checkpoint: s.checkpoint, files: s.files }).toEqual(before);
    expect(s.openRequest).toBeNull();
    expect(s.notices.map((n) => [n.title, n.details[0]])).toEqual([['The file could not be opened', 'The only tensor of empty.npy, e [0, 5], cannot be analysed (no elements).']]);

    store.getState().requestOpen([file('two.safetensors', 300)]);
    store.getState().openSucceeded(store.getState().openRequest!.id, { ...found, tensors: [empty, complex] });
    s = store.getState();
    expect(s.config).toEqual(before.config);
    expect(s.notices.at(-1)?.details[0]).toBe('None of the 2 tensors of two.safetensors can be analysed: each one has no elements or cannot be decoded.');

    store.getState().requestOpen([file('mixed.safetensors', 400)]);
    store.getState().openSucceeded(store.getState().openRequest!.id, { ...found, tensors: [empty, ...found.tensors] });
    s = store.getState();
    expect(s.config.file).toBe('mixed.safetensors:400');
    expect(s.listing?.map((t) => t.name)).toEqual(['e', 'w']);
  });

  it('unusableReason: not decodable says why, a 0 in the shape is "no elements", a scalar or any other shape is usable', () => {
    expect(unusableReason({ shape: [3, 0, 2] })).toBe('no elements');
    expect(unusableReason({ shape: [2, 2], notDecoded: 'C64 (complex) is listed but not decoded' })).toBe('C64 (complex) is listed but not decoded');
    expect(unusableReason({ shape: [] })).toBeUndefined();
    expect(unusableReason({ shape: [1, 4096] })).toBeUndefined();
  });

  it('a tensor over the 2 GiB limit is not analysable, but a file of only such tensors still opens (its listing and the scan can use it)', () => {
    const huge = { name: 'lm_head.weight', dtype: 'BF16', shape: [128256, 8192], byteSize: 2 * 128256 * 8192 };
    expect(unusableReason(huge)).toBe('1,050,673,152 elements: over the 536,870,912-element (2 GiB) limit of one analysed tensor');
    expect(unusableReason({ shape: [16384, 32768] })).toBeUndefined(); // exactly 2^29 elements
    expect(nothingToAnalyse('big.safetensors', [huge])).toBeNull();
    expect(nothingToAnalyse('odd.gguf', [{ ...huge, notDecoded: 'Q5_K is listed but not decoded yet' }])).toMatch(/cannot be analysed \(Q5_K/);
  });

  it('chooseTensor: keeps a usable named tensor, else picks the first usable 2-D one and says why the named one was left', () => {
    const t = (name: string, shape: number[]) => ({ name, dtype: 'F32', shape });
    const list = [t('lm_head.weight', [128256, 8192]), t('model.norm.weight', [8192]), t('empty', [0, 4]), t('model.layers.0.q_proj.weight', [8192, 8192])];
    expect(chooseTensor(list, 'model.norm.weight')).toEqual({ keep: true });
    // a big checkpoint's first 2-D tensor is often the embedding or lm_head: over the limit, so skipped
    expect(chooseTensor(list, null)).toEqual({ pick: 'model.layers.0.q_proj.weight' });
    expect(chooseTensor(list, 'empty')).toEqual({
      pick: 'model.layers.0.q_proj.weight',
      notice: { title: '"empty" cannot be analysed (no elements)', detail: 'Showing model.layers.0.q_proj.weight instead.' },
    });
    expect(chooseTensor(list, 'gone')?.notice?.detail).toBe('Showing model.layers.0.q_proj.weight instead. The link may have been made with a different file.');
    expect(chooseTensor([list[0], list[2]], null)).toEqual({});
    expect(chooseTensor([t('v', [7])], null)).toEqual({ pick: 'v' });
  });

  it('cancel forgets the request; a late success of the cancelled open changes nothing', () => {
    const store = createAppStore();
    store.getState().requestOpen([file('b.safetensors')]);
    const id = store.getState().openRequest!.id;
    store.getState().cancelOpen();
    store.getState().openSucceeded(id, found);
    expect(store.getState().checkpoint).toBeNull();
    expect(store.getState().config.file).toBeNull();
  });

  it('a release goes to the diff, not the analysed file; closing the checkpoint forgets scan and diff', () => {
    const store = createAppStore();
    store.getState().requestOpen([file('a.safetensors', 200)]);
    store.getState().openSucceeded(store.getState().openRequest!.id, found);
    store.getState().requestOpen([file('rel.safetensors', 99)], 'release');
    store.getState().openSucceeded(store.getState().openRequest!.id, { ...found, fileNames: ['rel.safetensors'] });
    expect(store.getState().config.file).toBe('a.safetensors:200');
    expect(store.getState().release?.info.key).toBe('rel.safetensors:99');
    expect(store.getState().diff.status).toBe('running');
    store.getState().closeCheckpoint();
    expect([store.getState().checkpoint, store.getState().release, store.getState().config.file]).toEqual([null, null, null]);
  });
});

function row(name: string, variant: string): ScanRow {
  const r = parseTensorName(name);
  return { name, shape: [1, 1], dtype: 'F32', layer: r.layer, module: r.module, family: r.family, format: 'int8', variant, sqnrDb: 1, mse: 1, maxAbsErr: 1, saturated: 0, saturatedFraction: 0, numel: 1, nonfinite: 0, signalEnergy: 1, bitsPerElement: 8 };
}

describe('model slice and scan plumbing', () => {
  it('rows stay after a cancel, and the worker reporting "done" afterwards does not undo the cancel', () => {
    const store = createAppStore();
    store.getState().requestOpen([file('a.safetensors', 200)]);
    store.getState().openSucceeded(store.getState().openRequest!.id, found);
    store.getState().startScan(['int8'], { granularity: { kind: 'row' }, scale: 'absmax', scaleRule: 'floor', rounding: 'rne', seed: 0 });
    const id = store.getState().scan.id;
    store.getState().scanUpdate(id, { rows: [row('w', 'int8')] });
    store.getState().cancelScan();
    store.getState().scanFinished(id, 'done');
    expect(store.getState().scan.status).toBe('cancelled');
    expect(store.getState().scan.rows).toHaveLength(1);
  });

  it('splits tensors over workers by bytes and merges streamed rows in checkpoint order', () => {
    const parts = assignTensors([{ name: 'a', byteSize: 100 }, { name: 'b', byteSize: 60 }, { name: 'c', byteSize: 50 }, { name: 'd', byteSize: 5 }], 2);
    expect(parts).toEqual([['a', 'd'], ['b', 'c']]);
    const ti = new Map([['a', 0], ['b', 1], ['c', 2]]);
    const vi = new Map([['int8', 0], ['mxfp4', 1]]);
    let rows = mergeRows([], [row('c', 'mxfp4'), row('c', 'int8')], ti, vi);
    rows = mergeRows(rows, [row('a', 'int8'), row('a', 'mxfp4')], ti, vi);
    rows = mergeRows(rows, [row('b', 'mxfp4')], ti, vi);
    expect(rows.map((r) => `${r.name}/${r.variant}`)).toEqual(['a/int8', 'a/mxfp4', 'b/mxfp4', 'c/int8', 'c/mxfp4']);
  });
});
