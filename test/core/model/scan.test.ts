import { describe, expect, it } from 'vitest';
import { parseVariant, scanCheckpoint, scanTargets, variantsFor, type ScanRow } from '../../../src/core/model/scan.ts';
import { close, expected, openModel } from './util.ts';

const FORMATS = ['int8', 'fp8_e4m3', 'mxfp4'] as const;

describe('scanCheckpoint on the 2-shard fixture model', () => {
  it('gives one row per floating tensor × format, matching numpy (SQNR, MSE, max error, saturated, bits)', async () => {
    const file = await openModel('original');
    const exp = expected().scan;
    const seen: ScanRow[] = [];
    const res = await scanCheckpoint(file, variantsFor([...FORMATS]), { onRow: (r) => seen.push(r) });
    expect(res.cancelled).toBe(false);
    expect(res.rows.length).toBe(Object.keys(exp).length * FORMATS.length);
    expect(seen).toEqual(res.rows);
    for (const r of res.rows) {
      const e = exp[r.name]?.[r.format];
      expect(e, r.name).toBeDefined();
      const where = `${r.name} ${r.format}`;
      expect(r.maxAbsErr, where).toBe(e.max_abs_err);
      expect(r.saturated, where).toBe(e.saturated); // |y| > max before the cast (DOMAIN §6)
      expect(close(r.mse, e.mse), `${where} mse ${r.mse} vs ${e.mse}`).toBe(true);
      expect(close(r.sqnrDb, e.sqnr_db ?? Infinity, 1e-12), `${where} sqnr ${r.sqnrDb} vs ${e.sqnr_db}`).toBe(true);
      expect(close(r.bitsPerElement, e.bits_per_element!, 1e-12), where).toBe(true);
      expect(r.saturatedFraction).toBe(r.saturated / r.numel);
    }
    const q = res.rows.find((r) => r.name === 'model.layers.1.self_attn.q_proj.weight' && r.format === 'mxfp4')!;
    expect(q).toMatchObject({ layer: 1, module: 'q', family: 'attention', dtype: 'BF16', shape: [128, 128], numel: 16384, variant: 'mxfp4' });
    const norm = res.rows.find((r) => r.name === 'model.norm.weight')!;
    expect(norm).toMatchObject({ layer: null, module: 'norms', dtype: 'F32', shape: [128] });
    expect(res.progress).toMatchObject({ tensorsDone: 21, tensorsTotal: 21 });
    expect(res.progress.bytesDone).toBe(res.progress.bytesTotal);
  });

  it('the outlier layers stand out: layer 1 down_proj has the lowest int8 SQNR of the MLP weights', async () => {
    const res = await scanCheckpoint(await openModel('original'), variantsFor(['int8']));
    const mlp = res.rows.filter((r) => r.family === 'mlp').sort((a, b) => a.sqnrDb - b.sqnrDb);
    expect(mlp[0].name).toBe('model.layers.1.mlp.down_proj.weight');
  });

  it('cancel keeps the rows already produced and stops early', async () => {
    const file = await openModel('original');
    const signal = { aborted: false };
    const seen: ScanRow[] = [];
    const res = await scanCheckpoint(file, variantsFor(['int8', 'mxfp4']), {
      signal,
      onRow: (r) => { seen.push(r); if (seen.length === 5) signal.aborted = true; },
    });
    expect(res.cancelled).toBe(true);
    expect(res.rows.length).toBe(5);
    expect(res.rows).toEqual(seen);
    expect(res.progress.tensorsDone).toBe(2);
  });

  it('reads one tensor ahead: byte progress never goes backwards and a failed read surfaces after the rows before it', async () => {
    const file = await openModel('original');
    const bytes: number[] = [];
    const ok = await scanCheckpoint(file, variantsFor(['int8']), { onProgress: (p) => bytes.push(p.bytesDone) });
    expect(bytes.length).toBeGreaterThan(ok.rows.length);
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]).toBeGreaterThanOrEqual(bytes[i - 1]);
    expect(bytes[bytes.length - 1]).toBe(ok.progress.bytesTotal);

    const third = ok.rows[2].name;
    const reads: string[] = [];
    const failing = {
      ...file,
      read: (name: string, o?: Parameters<typeof file.read>[1]) => {
        reads.push(`read ${name}`);
        return name === third ? Promise.reject(new Error(`cannot read ${name}`)) : file.read(name, o);
      },
    };
    const seen: ScanRow[] = [];
    const onRow = (r: ScanRow) => { seen.push(r); reads.push(`row ${r.name}`); };
    await expect(scanCheckpoint(failing, variantsFor(['int8']), { onRow })).rejects.toThrow(`cannot read ${third}`);
    expect(seen.map((r) => r.name)).toEqual(ok.rows.slice(0, 2).map((r) => r.name));
    // the third read starts before the second tensor's row is produced
    expect(reads.indexOf(`read ${third}`)).toBeGreaterThanOrEqual(0);
    expect(reads.indexOf(`read ${third}`)).toBeLessThan(reads.indexOf(`row ${ok.rows[1].name}`));
  });

  it('streams tensors over the size limit by chunks of rows with the same results as reading them whole', async () => {
    const variants = [
      ...variantsFor(['int8', 'mxfp4', 'nvfp4']),
      parseVariant('fp8_e4m3@tensor'), parseVariant('int4@block:4x32'), parseVariant('int8@column'),
    ];
    const whole = await scanCheckpoint(await openModel('original'), variants);
    const file = await openModel('original');
    const chunked: string[] = [];
    const readRows = file.readRows!.bind(file);
    const streamed = await scanCheckpoint({ ...file, readRows: (n, r0, r1, o) => { chunked.push(`${n}:${r0}`); return readRows(n, r0, r1, o); } },
      variants.filter((v) => v.label !== 'int8@column'), { streamLimits: { streamElements: 1000, chunkElements: 3000 } });
    expect(chunked.length).toBeGreaterThan(10); // really read by rows
    const noColumn = whole.rows.filter((r) => r.variant !== 'int8@column');
    expect(streamed.rows.map((r) => [r.name, r.variant])).toEqual(noColumn.map((r) => [r.name, r.variant]));
    streamed.rows.forEach((r, i) => {
      const w = noColumn[i];
      const where = `${r.name} ${r.variant}`;
      expect(r.maxAbsErr, where).toBe(w.maxAbsErr);
      expect(r.saturated, where).toBe(w.saturated);
      expect(r.shape, where).toEqual(w.shape);
      expect(r.dtype, where).toBe(w.dtype);
      expect(close(r.mse, w.mse, 1e-12), `${where} mse`).toBe(true);
      expect(close(r.signalEnergy, w.signalEnergy, 1e-12), `${where} energy`).toBe(true);
    });
    // a variant that is not row-local (column) keeps every tensor whole
    const before = chunked.length;
    await scanCheckpoint({ ...file, readRows: (n, r0, r1, o) => { chunked.push(`${n}:${r0}`); return readRows(n, r0, r1, o); } },
      variants, { streamLimits: { streamElements: 1000, chunkElements: 3000 } });
    expect(chunked.length).toBe(before);
  });

  it('scans a packed release through its logical tensors and skips the stored parts', async () => {
    const res = await scanCheckpoint(await openModel('mxfp4'), variantsFor(['mxfp4']));
    const names = new Set(res.rows.map((r) => r.name));
    expect(names.has('model.layers.0.mlp.down_proj.weight')).toBe(true);
    expect([...names].some((n) => n.endsWith('_blocks') || n.endsWith('_scales'))).toBe(false);
    expect(res.skipped.map((s) => s.name)).toContain('model.layers.0.mlp.down_proj.weight_blocks');
    // re-quantizing an MXFP4 (floor rule) release with MXFP4 is exact
    expect(res.rows.find((r) => r.name === 'model.layers.0.mlp.down_proj.weight')!.sqnrDb).toBe(Infinity);
  });

  it('plugs a custom quantizer in (the app passes its worker pool) and parses ID@GRANULARITY variants', async () => {
    const calls: string[] = [];
    const v = parseVariant('int4@group:32');
    expect(v.label).toBe('int4@group:32');
    expect(() => parseVariant('int9')).toThrow(/unknown format "int9"/);
    const res = await scanCheckpoint(await openModel('original'), [v], {
      only: new Set(['model.norm.weight']),
      quantizeAndMeasure: (x, o) => { calls.push(`${x.rows}x${x.cols} ${o.format} ${o.granularity.kind}`); return { metrics: { mse: 0, sqnrDb: Infinity, cosine: 1, maxAbsErr: 0, relErr: 0, count: x.cols, nonfinite: 0 }, saturated: 0 }; },
    });
    expect(calls).toEqual(['1x128 int4 group']);
    expect(res.rows[0].bitsPerElement).toBe(4 + 32 / 32);
  });
});

describe('scanTargets', () => {
  it('skips packed parts, undecoded, non-floating and empty tensors, each with its reason', () => {
    const t = (name: string, dtype: string, shape: number[], extra: object = {}) => ({ name, dtype, shape, byteSize: 0, ...extra });
    const { targets, skipped } = scanTargets([
      t('w', 'BF16', [4, 4]), t('ids', 'I64', [4]), t('e', 'F32', [0, 8]), t('q', 'Q5_K', [32, 32], { notDecoded: 'Q5_K is not decoded yet' }),
    ]);
    expect(targets.map((x) => x.name)).toEqual(['w']);
    expect(skipped).toEqual([
      { name: 'ids', reason: 'I64 is not a floating-point dtype' },
      { name: 'e', reason: 'no elements' },
      { name: 'q', reason: 'Q5_K is not decoded yet' },
    ]);
  });
});
