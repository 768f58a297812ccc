/** viewMotion.ts: which config changes are a pan or zoom, how often the workers are told, when the background may go on. */
import { describe, expect, it } from 'vitest';
import { createViewMotion, onlyViewportMoved, VIEW_HOLD_MS } from '../../src/engine/viewMotion.ts';
import { DEFAULT_CONFIG, type Config } from '../../src/state/config.ts';

describe('viewMotion', () => {
  const c: Config = { ...DEFAULT_CONFIG };

  it('a change of the viewport alone is a move; one with another field, or none, is not', () => {
    expect(onlyViewportMoved(c, { ...c, r0: 10, r1: 20 })).toBe(true);
    expect(onlyViewportMoved(c, { ...c, c1: 99 })).toBe(true);
    expect(onlyViewportMoved(c, { ...c, r0: 10, seed: c.seed + 1 })).toBe(false);
    expect(onlyViewportMoved(c, { ...c, channel: 3 })).toBe(false);
    expect(onlyViewportMoved(c, { ...c })).toBe(false);
    expect(onlyViewportMoved(c, c)).toBe(false);
  });

  it('tells the workers to hold at most every quarter hold, and is quiet a hold after the last move', async () => {
    let t = 1000;
    const holds: number[] = [];
    const m = createViewMotion((ms) => holds.push(ms), () => t);
    let quietAt = -1;
    await m.quiet(); // never moved: at once
    m.moved();
    t += VIEW_HOLD_MS / 8;
    m.moved(); // within a quarter hold of the last: not sent
    expect(holds).toEqual([VIEW_HOLD_MS]);
    t += VIEW_HOLD_MS / 4;
    m.moved();
    expect(holds).toEqual([VIEW_HOLD_MS, VIEW_HOLD_MS]);
    const lastMove = t;
    const q = m.quiet().then(() => { quietAt = t; });
    // the clock runs on while quiet() sleeps in real timers
    for (let i = 0; i < 100 && quietAt < 0; i++) {
      t += VIEW_HOLD_MS / 10;
      await new Promise((r) => setTimeout(r, VIEW_HOLD_MS / 10 + 5));
    }
    await q;
    expect(quietAt).toBeGreaterThanOrEqual(lastMove + VIEW_HOLD_MS);
  });
});
