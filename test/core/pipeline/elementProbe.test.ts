/** probeElement (the heatmap hover readout) gives exactly the whole-tensor quantizePrepared value of one element. */
import { describe, expect, it } from 'vitest';
import { generateSample } from '../../../src/core/samples/samples.ts';
import { prepareTransform, quantizePrepared } from '../../../src/core/pipeline/transformPrep.ts';
import { probeElement, quantBand, WholeQuantCache } from '../../../src/core/pipeline/elementProbe.ts';
import { parseTransform } from '../../../src/core/transforms/parse.ts';
import { quantize } from '../../../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS, parseGranularity, type QuantOptions } from '../../../src/core/quant/options.ts';
import type { FormatId } from '../../../src/core/formats/registry.ts';

const x = generateSample({ kind: 'activation', size: 256, seed: 3 });
const w = generateSample({ kind: 'weight', size: 256, seed: 3 });
const FORMATS: FormatId[] = ['int8', 'int4_asym', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4', 'nvfp4', 'nf4', 'q4_0', 'bf16'];
const bits = (v: number) => new Uint32Array(Float32Array.of(v).buffer)[0];
/** equal bits, except that −0 and +0 count as equal (README "Zero signs") */
const same = (a: number, b: number) => bits(a) === bits(b) || (a === 0 && b === 0);

// the outlier element of the sample and a few ordinary ones
const elements: [number, number][] = [[0, 0], [7, 131], [130, 255], [255, 17]];

describe('probeElement equals the whole-tensor quantization of that element', () => {
  const cases: [string, string, Partial<QuantOptions>][] = [
    ['none', 'row', {}],
    ['none', 'tensor', {}],
    ['none', 'group:32', { rounding: 'stochastic', seed: 9 }],
    ['none', 'block:4x32', {}],
    ['none', 'column', {}], // not row-splittable: the whole-tensor path
    ['none', 'tensor', { clip: 0.999 }], // idem
    ['smooth:0.5', 'row', {}],
    ['hadamard:64', 'row', { rounding: 'stochastic', seed: 2 }],
    ['random-hadamard:256', 'group:32', { seed: 4 }],
  ];
  for (const [tr, gran, extra] of cases) {
    it(`${tr}, granularity ${gran} ${JSON.stringify(extra)}`, () => {
      const quant = { ...DEFAULT_QUANT_OPTIONS, granularity: parseGranularity(gran), ...extra };
      const prep = prepareTransform(x, w, parseTransform(tr), quant.seed);
      const cache = new WholeQuantCache();
      const probes = elements.map(([r, c]) => probeElement(prep, r, c, FORMATS, quant, { cache }));
      for (const f of FORMATS) {
        let whole: Float32Array | null = null;
        let qp: Float32Array | null = null;
        try {
          whole = quantizePrepared(prep, 'x', f, quant).xhat;
          qp = quantize(prep.xPrime, { ...quant, format: f }).xhat;
        } catch {
          // options that do not apply to this format: the probe says so instead of a value
        }
        for (const p of probes) {
          const v = p.perFormat.find((e) => e.format === f)!;
          const k = p.row * x.cols + p.col;
          if (!whole) {
            expect(v.error).toBeTruthy();
            continue;
          }
          expect(v.error).toBeUndefined();
          expect(same(v.xhat, whole[k]), `${f} x̂[${p.row}, ${p.col}] ${v.xhat} vs ${whole[k]}`).toBe(true);
          expect(same(v.qPrime, qp![k]), `${f} Q(x')[${p.row}, ${p.col}]`).toBe(true);
          expect(p.x).toBe(x.data[k]);
          expect(p.xPrime).toBe(prep.xPrime.data[k]);
        }
      }
    });
  }

  // the SmoothQuant weight heatmaps' readout: W' = W·s quantized, Ŵ = Q(W')/s (W with fewer rows than X)
  for (const [tr, gran] of [['smooth:0.5', 'row'], ['smooth:0.8', 'tensor'], ['smooth:0.3', 'column'], ['hadamard:32', 'group:32']] as const) {
    it(`weight side, ${tr}, granularity ${gran}`, () => {
      const w128 = { data: w.data.slice(0, 128 * 256), rows: 128, cols: 256, shape: [128, 256] };
      const quant = { ...DEFAULT_QUANT_OPTIONS, granularity: parseGranularity(gran) };
      const prep = prepareTransform(x, w128, parseTransform(tr), quant.seed);
      const probes = ([[0, 0], [127, 255], [64, 3]] as const).map(([r, c]) => probeElement(prep, r, c, FORMATS, quant, { side: 'w' }));
      for (const f of FORMATS) {
        let whole: Float32Array | null = null;
        try {
          whole = quantizePrepared(prep, 'w', f, quant).xhat;
        } catch {
          // not applicable: the probe reports an error
        }
        for (const p of probes) {
          const v = p.perFormat.find((e) => e.format === f)!;
          const k = p.row * 256 + p.col;
          if (!whole) {
            expect(v.error).toBeTruthy();
            continue;
          }
          expect(same(v.xhat, whole[k]), `${f} ŵ[${p.row}, ${p.col}] ${v.xhat} vs ${whole[k]}`).toBe(true);
          expect(p.x).toBe(w128.data[k]);
          expect(p.xPrime).toBe(prep.wPrime!.data[k]);
        }
      }
      expect(() => probeElement(prep, 128, 0, ['int8'], quant, { side: 'w' })).toThrow(/outside the tensor \[128, 256\]/);
    });
  }

  it('quantizes only a band of rows when the options split by rows', () => {
    const o = (g: string, format: FormatId = 'int8', extra: Partial<QuantOptions> = {}): QuantOptions => ({ ...DEFAULT_QUANT_OPTIONS, granularity: parseGranularity(g), format, ...extra });
    expect(quantBand(o('row'), 9, 256)).toEqual([9, 10]);
    expect(quantBand(o('block:4x32'), 9, 256)).toEqual([8, 12]);
    expect(quantBand(o('column'), 9, 256)).toBeNull();
    expect(quantBand(o('tensor', 'int8', { clip: 0.99 }), 9, 256)).toBeNull();
    expect(quantBand(o('column', 'mxfp4'), 9, 256)).toEqual([9, 10]);
  });

  it('rejects an element outside the tensor', () => {
    const prep = prepareTransform(x, undefined, parseTransform('none'), 0);
    expect(() => probeElement(prep, 256, 0, ['int8'], DEFAULT_QUANT_OPTIONS)).toThrow(/outside the tensor \[256, 256\]/);
  });
});
