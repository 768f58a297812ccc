import { describe, expect, it } from 'vitest';
import { chunkRows, CHUNK_ELEMENTS, PRECOMPUTE_STOPPED, runChunks, type SliceRows } from '../../src/engine/chunkRunner.ts';
import { parseGranularity, DEFAULT_QUANT_OPTIONS } from '../../src/core/quant/options.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slices = (holders1: [number, string][] = [[1, 'b']], holders0: [number, string][] = [[0, 'a']]): SliceRows[] => [
  { slice: { worker: 0, rowStart: 0, rowEnd: 2048 }, holders: new Map(holders0) },
  { slice: { worker: 1, rowStart: 2048, rowEnd: 4096 }, holders: new Map(holders1) },
];

/** a fake pool: worker w takes delays[w] ms per chunk, one chunk at a time, and logs what it ran */
function fakePool(delays: number[]) {
  const log: { worker: number; handle: string; r0: number; r1: number }[] = [];
  const busy = delays.map(() => Promise.resolve());
  const post = (worker: number, handle: string, r0: number, r1: number) => {
    const run = busy[worker].then(async () => { await sleep(delays[worker]); log.push({ worker, handle, r0, r1 }); return `${r0}-${r1}`; });
    busy[worker] = run.then(() => {}, () => {});
    return run;
  };
  return { post, log };
}

describe('chunkRows', () => {
  const opts = (g: string, format = 'int8') => ({ ...DEFAULT_QUANT_OPTIONS, format, granularity: parseGranularity(g) }) as never;
  it('cuts whole 128-row bands of at most CHUNK_ELEMENTS, or keeps a slice whole', () => {
    expect(chunkRows({ worker: 0, rowStart: 0, rowEnd: 2048 }, opts('row'), 4096)).toBe(128 * Math.floor(CHUNK_ELEMENTS / 4096 / 128));
    expect(chunkRows({ worker: 0, rowStart: 0, rowEnd: 300 }, opts('row'), 4096)).toBe(300);
    expect(chunkRows({ worker: 0, rowStart: 0, rowEnd: 2048 }, opts('block:96x32'), 4096)).toBe(2048);
    expect(chunkRows({ worker: 0, rowStart: 0, rowEnd: 2048 }, opts('block:64x64'), 4096)).toBe(512);
  });
});

describe('runChunks (work stealing)', () => {
  it('posts every chunk once and returns each slice\'s results in row order, with and without stealing', async () => {
    for (const holders1 of [[[1, 'b']], [[1, 'b'], [0, 'whole']]] as [number, string][][]) {
      const { post, log } = fakePool([1, 6]);
      const out = await runChunks(slices(holders1), [512, 512], post);
      expect(out).toEqual([['0-512', '512-1024', '1024-1536', '1536-2048'], ['2048-2560', '2560-3072', '3072-3584', '3584-4096']]);
      expect(log.map((e) => e.r0).sort((a, b) => a - b)).toEqual([0, 512, 1024, 1536, 2048, 2560, 3072, 3584]);
    }
  });

  it('a worker that holds the other slice\'s rows takes its last chunks when that worker lags, through its own handle', async () => {
    const { post, log } = fakePool([1, 15]);
    await runChunks(slices([[1, 'b'], [0, 'whole']]), [256, 256], post);
    const stolen = log.filter((e) => e.worker === 0 && e.r0 >= 2048);
    expect(stolen.length).toBeGreaterThan(0);
    expect(stolen.every((e) => e.handle === 'whole')).toBe(true);
    // taken from the back: the highest rows
    // taken from the back: the first one it ran is the slice's last chunk
    expect(stolen[0].r0).toBe(4096 - 256);
    expect(log.filter((e) => e.worker === 1).every((e) => e.handle === 'b' && e.r0 >= 2048)).toBe(true);
  });

  it('steals in the other direction through a mirror, and not at all without a holder', async () => {
    const a = fakePool([15, 1]);
    await runChunks(slices([[1, 'b']], [[0, 'a'], [1, 'mirror']]), [256, 256], a.post);
    expect(a.log.some((e) => e.worker === 1 && e.handle === 'mirror' && e.r0 < 2048)).toBe(true);
    const b = fakePool([15, 1]);
    await runChunks(slices(), [256, 256], b.post);
    expect(b.log.every((e) => (e.worker === 0) === (e.r0 < 2048))).toBe(true);
  });

  it('keeps at most `queued` requests per worker and stops before a request once told to', async () => {
    let inflight = [0, 0], most = 0, posted = 0;
    const post = async (worker: number, _h: string, r0: number) => {
      posted++;
      inflight[worker]++;
      most = Math.max(most, ...inflight);
      await sleep(2);
      inflight[worker]--;
      return r0;
    };
    await runChunks(slices(), [128, 128], post, { stop: () => false, queued: () => 1 });
    expect(most).toBe(1);
    posted = 0; inflight = [0, 0];
    let calls = 0;
    await expect(runChunks(slices(), [128, 128], post, { stop: () => ++calls > 3, queued: () => 2 })).rejects.toThrow(PRECOMPUTE_STOPPED);
    await sleep(20);
    expect(posted).toBe(3);
  });

  it('rejects when a request fails', async () => {
    const post = async (_w: number, _h: string, r0: number) => { await sleep(1); if (r0 === 2560) throw new Error('boom'); return r0; };
    await expect(runChunks(slices(), [512, 512], post)).rejects.toThrow('boom');
  });
});
