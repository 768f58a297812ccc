/**
 * The worker side of checkpoint jobs (workers/modelJobs.ts), run in Node on the
 * committed fixtures: header-only open with progress and cancel, packed stats,
 * a scan split in parts equal to one whole scan, cancel keeping rows.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createModelJobs } from '../../../workers/modelJobs.ts';
import { scanCheckpoint, variantsFor, type ScanRow } from '../../../src/core/model/scan.ts';
import { memorySource, openTensorFile } from '../../../src/core/io/index.ts';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/model');
const filesOf = (dir: string) => readdirSync(path.join(DIR, dir)).sort().map((n) => new File([readFileSync(path.join(DIR, dir, n))], n));

describe('modelJobs (worker)', () => {
  it('opens the 2-shard checkpoint reading only headers, reporting bytes; a cancel stops the open', async () => {
    const api = createModelJobs();
    const files = filesOf('original');
    const total = files.reduce((n, f) => n + f.size, 0);
    const seen: number[] = [];
    const info = await api.openCheckpoint('open-1', files, (b, t) => { seen.push(b); expect(t).toBe(total); });
    expect(info.tensors).toHaveLength(21);
    expect(info.headerBytes).toBeGreaterThan(0);
    expect(info.headerBytes).toBeLessThan(total / 10);
    expect(seen.at(-1)).toBe(info.headerBytes);

    const other = files.map((f) => new File([f], f.name, { lastModified: 1 })); // not cached
    const pending = api.openCheckpoint('open-2', other);
    await api.cancelJob('open-2');
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads a packed tensor for its stored-scale statistics', async () => {
    const api = createModelJobs();
    const files = filesOf('mxfp4');
    const info = await api.openCheckpoint('o', files);
    const packed = info.tensors.find((t) => t.packed)!;
    const d = await api.tensorDetails('d', files, packed.name);
    expect(d.packedInfo?.kind).toBe('mxfp4');
    expect(Object.values(d.packedInfo!.scaleExpHistogram!).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('a scan split over parts gives the rows of one whole scan; a cancel keeps what was sent', async () => {
    const api = createModelJobs();
    const files = filesOf('original');
    const info = await api.openCheckpoint('o', files);
    const variants = variantsFor(['int8', 'mxfp4']);
    const names = info.tensors.map((t) => t.name);
    const got: ScanRow[] = [];
    const halves = [names.filter((_, i) => i % 2 === 0), names.filter((_, i) => i % 2 === 1)];
    const res = await Promise.all(halves.map((only, i) => api.scanPart(`s${i}`, files, variants, only, (rows) => { got.push(...rows); })));
    expect(res.every((r) => !r.cancelled)).toBe(true);
    const whole = await scanCheckpoint(await openTensorFile(files.map((f, i) => memorySource(new Uint8Array(readFileSync(path.join(DIR, 'original', readdirSync(path.join(DIR, 'original')).sort()[i]))), f.name))), variants);
    const key = (r: ScanRow) => `${r.name}/${r.variant}`;
    expect(got.map(key).sort()).toEqual(whole.rows.map(key).sort());
    const byKey = new Map(whole.rows.map((r) => [key(r), r.sqnrDb]));
    for (const r of got) expect(r.sqnrDb).toBe(byKey.get(key(r)));

    const partial: ScanRow[] = [];
    const p = api.scanPart('c', files, variants, names, (rows) => {
      partial.push(...rows);
      if (partial.length >= 4) void api.cancelJob('c');
    });
    const r = await p;
    expect(r.cancelled).toBe(true);
    expect(partial.length).toBeGreaterThanOrEqual(4);
    expect(partial.length).toBeLessThan(42);
    expect(r.rows).toBe(partial.length);
  });
});
