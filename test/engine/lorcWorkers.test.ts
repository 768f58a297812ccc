/**
 * Two LoRC worker APIs linked by a MessageChannel, in one process (the engine
 * links two workers the same way): the coordinator generates a large sample
 * with the helper and splits the decomposition's products with it, and the
 * curve matches one worker's.
 */
import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { transfer } from 'comlink';
import { createLorcApi, type LorcRequest } from '../../workers/lorcApi.ts';
import { DEFAULT_QUANT_OPTIONS } from '../../src/core/quant/options.ts';

const req: LorcRequest = {
  weight: { sample: { kind: 'weight', size: 1024, seed: 3 } },
  opts: { ...DEFAULT_QUANT_OPTIONS, format: 'int4' },
  maxRank: 16,
  seed: 0,
};

describe('LoRC on two linked workers', () => {
  it('gives one worker\'s curve, with the sample generated and the products computed by both', async () => {
    const solo = await createLorcApi().lorcCurve(req, () => {});
    const coordinator = createLorcApi();
    const helper = createLorcApi();
    const { port1, port2 } = new MessageChannel();
    // node's MessagePort speaks the same postMessage/addEventListener protocol comlink uses
    helper.servePart(transfer(port2 as unknown as MessagePort, []));
    coordinator.attachHelper(port1 as unknown as MessagePort);
    const seen: number[] = [];
    const both = await coordinator.lorcCurve(req, (f) => seen.push(f));
    port1.close();
    expect(solo.workers).toBe(1);
    expect(both.workers).toBe(2);
    expect(both.ranks).toEqual(solo.ranks);
    both.relErr.forEach((v, r) => expect(Math.abs(v - solo.relErr[r]) / solo.relErr[r], `rank ${r}`).toBeLessThan(1e-9));
    expect(both.relErr[16]).toBeLessThan(both.relErr[0]);
    expect(seen.at(-1)).toBe(1);
  }, 60_000);
});
