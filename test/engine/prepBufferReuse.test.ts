/**
 * Worker 0's prep store reuses the X' buffer of an evicted prep for the next
 * row-split X' (writing fresh pages was most of the cost of a transform change
 * on the test machine), but only once no request that was under way at the
 * eviction is still running (RequestClock): a paused banded job could still
 * read the old X'. The reused buffer is fully rewritten: the same bits as a
 * fresh one.
 */
import { describe, expect, it } from 'vitest';
import { PrepStore, RequestClock } from '../../workers/prepStore.ts';
import { generateSample } from '../../src/core/samples/samples.ts';
import { transformRows } from '../../src/core/pipeline/transformPrep.ts';
import { parseTransform } from '../../src/core/transforms/parse.ts';

const x = generateSample({ kind: 'activation', size: 256, seed: 1 });
const req = (transform: string) => ({ xHandle: 'x', transform, seed: 3 });
const TRANSFORMS = ['hadamard:16', 'hadamard:32', 'hadamard:64', 'hadamard:128', 'random-hadamard:32', 'random-hadamard:64'];

describe('RequestClock', () => {
  it('is quiet since a stamp once every request under way then has finished, whatever started later', async () => {
    const clock = new RequestClock();
    let release!: () => void;
    const slow = clock.track(() => new Promise<void>((r) => { release = r; }));
    const fast = clock.track(async () => 1);
    const running = slow();
    const stamp = clock.now();
    expect(clock.quietSince(stamp)).toBe(false);
    const later = clock.track(() => new Promise<void>(() => {}))(); // started after the stamp, never ends
    void later;
    await fast();
    expect(clock.quietSince(stamp)).toBe(false);
    release();
    await running;
    expect(clock.quietSince(stamp)).toBe(true);
  });
});

describe('PrepStore X\' buffer reuse', () => {
  it('reuses the evicted X\' buffer when quiet, and writes the same bits as a fresh buffer', () => {
    const store = new PrepStore(() => x, new RequestClock());
    const heads = TRANSFORMS.map((t) => store.beginSplit(req(t), x.rows, undefined));
    // three preps are kept: the fourth evicts the first, whose buffer the fifth takes; the sixth takes the second's
    expect(heads[4].buffer).toBe(heads[0].buffer);
    expect(heads[5].buffer).toBe(heads[1].buffer);
    expect(heads[4]).not.toBe(heads[0]); // a new view: caches keyed by the old one never match it
    for (const [i, t] of TRANSFORMS.entries()) {
      if (i < 4) continue;
      const want = transformRows(x, parseTransform(t), 3, undefined);
      expect(Buffer.from(heads[i].buffer).equals(Buffer.from(want.buffer))).toBe(true);
    }
  });

  it('allocates afresh while a request that was under way at the eviction still runs', async () => {
    const clock = new RequestClock();
    const store = new PrepStore(() => x, clock);
    let release!: () => void;
    const job = clock.track(() => new Promise<void>((r) => { release = r; }))();
    const heads = TRANSFORMS.slice(0, 5).map((t) => store.beginSplit(req(t), x.rows, undefined));
    expect(heads[4].buffer).not.toBe(heads[0].buffer);
    release();
    await job;
  });

  it('takes pre-touched buffers (warm) for the first row-split X\'s, and writes the same bits into them', async () => {
    const store = new PrepStore(() => x, new RequestClock());
    let pauses = 0;
    await store.warm(x.data.length, 2, async () => { pauses++; });
    expect(pauses).toBeGreaterThan(0);
    const warmed = store.warmedBuffers();
    expect(warmed).toHaveLength(2);
    await store.warm(x.data.length, 2, async () => {}); // already there: nothing new
    expect(store.warmedBuffers()).toEqual(warmed);
    const heads = TRANSFORMS.slice(0, 3).map((t) => store.beginSplit(req(t), x.rows, undefined));
    expect(heads[0].buffer).toBe(warmed[0]);
    expect(heads[1].buffer).toBe(warmed[1]);
    expect(warmed).not.toContain(heads[2].buffer);
    expect(store.warmedBuffers()).toHaveLength(0);
    for (const [i, t] of TRANSFORMS.slice(0, 2).entries()) {
      const want = transformRows(x, parseTransform(t), 3, undefined);
      expect(Buffer.from(heads[i].buffer).equals(Buffer.from(want.buffer))).toBe(true);
    }
    // another tensor size: the kept buffers are dropped
    await store.warm(x.data.length, 1, async () => {});
    await store.warm(x.data.length / 2, 1, async () => {});
    expect(store.warmedBuffers().map((b) => b.byteLength)).toEqual([x.data.length * 2]);
  });
});
