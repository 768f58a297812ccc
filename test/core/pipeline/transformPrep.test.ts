import { describe, expect, it } from 'vitest';
import { generateSample } from '../../../src/core/samples/samples.ts';
import { runPipeline } from '../../../src/core/pipeline/runPipeline.ts';
import { prepareTransform, quantizePrepared, wPrimeInBands } from '../../../src/core/pipeline/transformPrep.ts';
import { parseTransform } from '../../../src/core/transforms/parse.ts';
import { DEFAULT_QUANT_OPTIONS, parseGranularity } from '../../../src/core/quant/options.ts';
import { computeMetrics } from '../../../src/core/stats/metrics.ts';
import type { FormatId } from '../../../src/core/formats/registry.ts';

const x = generateSample({ kind: 'activation', size: 256, seed: 3 });
const w = generateSample({ kind: 'weight', size: 256, seed: 3 });
const base = { ...DEFAULT_QUANT_OPTIONS, granularity: parseGranularity('row') };

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return a.length === b.length && ua.every((v, i) => v === ub[i]);
}

describe('prepareTransform + quantizePrepared give runPipeline\'s bits (the app and the CLI agree)', () => {
  const cases: [string, FormatId, FormatId, number | undefined][] = [
    ['none', 'int8', 'int4', undefined],
    ['smooth', 'int8', 'fp4_e2m1', undefined],
    ['smooth:0.8', 'fp8_e4m3', 'int4', undefined],
    ['hadamard:64', 'mxfp4', 'int8', undefined],
    ['random-hadamard:256', 'nvfp4', 'fp8_e4m3', undefined],
    ['smooth', 'int8', 'int8', 0.999],
    ['hadamard:16', 'int4', 'int4', 0.99],
  ];
  for (const [text, fx, fw, outliers] of cases) {
    it(`${text} X=${fx} W=${fw}${outliers ? ` outliers=${outliers}` : ''}`, () => {
      const t = parseTransform(text);
      const quant = { ...base, rounding: 'stochastic' as const, seed: 5 };
      const ref = runPipeline(x, w, { format: fx, weightFormat: fw, quant, transform: t, outliers });
      const prep = prepareTransform(x, w, t, quant.seed);
      const px = quantizePrepared(prep, 'x', fx, quant, outliers);
      const pw = quantizePrepared(prep, 'w', fw, quant, outliers);
      expect(sameBits(px.xhat, ref.x.xhat)).toBe(true);
      expect(sameBits(pw.xhat, ref.w!.xhat)).toBe(true);
      expect(px.q.saturated).toBe(ref.x.saturated);
      expect(computeMetrics(x.data, px.xhat)).toEqual(ref.x.metrics);
      if (outliers) expect(px.outliers!.keptFraction).toBe(ref.x.outlierFraction);
    });
  }

  it('says what to do when a pair transform has no weight, and names the valid Hadamard G', () => {
    expect(() => prepareTransform(x, undefined, parseTransform('smooth'), 0)).toThrow(/needs an activation X and a weight W/);
    const odd = { data: new Float32Array(4 * 48), rows: 4, cols: 48, shape: [4, 48] };
    expect(() => prepareTransform(odd, undefined, parseTransform('hadamard:32'), 0)).toThrow(/^hadamard:32 needs a power-of-two block size that divides the last axis \(48\); valid: 1, 2, 4, …, 16$/);
    expect(() => prepareTransform(x, w, parseTransform('awq'), 0)).toThrow(/runPipeline/);
  });
});

describe('W\' made in bands (wPrimeInBands)', () => {
  it.each(['smooth:0.5', 'hadamard:64', 'random-hadamard:32'])('%s: the same bits as the whole W\', yielding between bands, made once', (t) => {
    const whole = prepareTransform(x, w, parseTransform(t), 7).wPrime!.data;
    const prep = prepareTransform(x, w, parseTransform(t), 7);
    let yields = 0;
    for (const _ of wPrimeInBands(prep, 40)) yields++;
    expect(yields).toBe(Math.ceil(256 / 40) - 1);
    const made = prep.wPrime!;
    expect(sameBits(made.data, whole)).toBe(true);
    expect(prep.wPrime).toBe(made); // not made again
    expect([...wPrimeInBands(prep, 40)]).toHaveLength(0); // nothing left to do
  });

  it('a whole read between bands wins: the banded run stops and W\' stays the one read', () => {
    const prep = prepareTransform(x, w, parseTransform('smooth:0.5'), 0);
    const run = wPrimeInBands(prep, 64);
    run.next();
    const read = prep.wPrime!;
    for (let r = run.next(); !r.done; r = run.next());
    expect(prep.wPrime).toBe(read);
    expect(sameBits(read.data, prepareTransform(x, w, parseTransform('smooth:0.5'), 0).wPrime!.data)).toBe(true);
  });

  it('no pair or no transform: nothing to make', () => {
    expect([...wPrimeInBands(prepareTransform(x, undefined, parseTransform('hadamard:64'), 0), 10)]).toHaveLength(0);
    expect([...wPrimeInBands(prepareTransform(x, w, parseTransform('none'), 0), 10)]).toHaveLength(0);
  });
});
