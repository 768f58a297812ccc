/**
 * The LoRC runner (engine/lorcJob.ts) with its workers stood in by the real
 * worker API over node MessageChannels: whenIdle() (what the background jobs
 * wait for before each step) stays pending while a curve is computed and
 * settles when it is done or cancelled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { expose } from 'comlink';
import { createLorcApi } from '../../workers/lorcApi.ts';
import { createLorcRunner } from '../../src/engine/lorcJob.ts';
import { createAppStore } from '../../src/state/store.ts';
import { ANALYSIS_JOB } from '../../src/state/analysisTypes.ts';

const realWorker = globalThis.Worker;
afterEach(() => { globalThis.Worker = realWorker; });

/** A "worker" whose other end runs createLorcApi in this process. */
class InProcessWorker {
  private port: MessagePort;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    expose(createLorcApi(), port2 as unknown as MessagePort);
    this.port = port1 as unknown as MessagePort;
  }
  postMessage(m: unknown, t?: Transferable[]) { this.port.postMessage(m, t as never); }
  addEventListener(type: string, f: EventListener) { this.port.addEventListener(type, f); this.port.start(); }
  removeEventListener(type: string, f: EventListener) { this.port.removeEventListener(type, f); }
  terminate() { this.port.close(); }
}

const pending = async (p: Promise<void>) => {
  let settled = false;
  void p.then(() => { settled = true; });
  await new Promise((r) => setTimeout(r, 0));
  return !settled;
};

describe('LoRC runner: background jobs wait while a curve is computed', () => {
  it('whenIdle settles at once when idle, after the curve when running, and on cancel', async () => {
    globalThis.Worker = InProcessWorker as unknown as typeof Worker;
    const store = createAppStore({ config: { sample: 'weight', size: 256, format: 'int4' } as never });
    const runner = createLorcRunner(store, { fileRows: async () => { throw new Error('no file'); } });
    expect(await pending(runner.whenIdle())).toBe(false);

    const run = runner.run(store.getState().config);
    const idle = runner.whenIdle();
    expect(await pending(idle)).toBe(true);
    await run;
    expect(store.getState().results[ANALYSIS_JOB.lorc]?.status).toBe('done');
    expect(await pending(idle)).toBe(false);

    void runner.run(store.getState().config);
    const idle2 = runner.whenIdle();
    expect(await pending(idle2)).toBe(true);
    runner.cancel();
    expect(await pending(idle2)).toBe(false);
    runner.stop();
  }, 60_000);
});
