import { describe, expect, it } from 'vitest';
import { analyzeFormats } from '../../../src/core/analysis/analyzeFormats.ts';
import { defaultDeps } from '../../../src/core/analysis/deps.ts';
import { quantize } from '../../../src/core/quant/quantize.ts';
import { computeMetrics } from '../../../src/core/stats/metrics.ts';
import { DEFAULT_QUANT_OPTIONS } from '../../../src/core/quant/options.ts';
import { tensor2D } from '../../../src/core/tensor.ts';
import type { FormatId } from '../../../src/core/formats/registry.ts';

function sample(rows: number, cols: number): Float32Array {
  let s = 12345;
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32 - 0.5) * ((i % cols) === 7 ? 60 : 2); // channel 7 is an outlier
  }
  return a;
}

describe('analyzeFormats with the real quantizer', () => {
  const x = tensor2D(sample(16, 64), [16, 64]);
  const formats: FormatId[] = ['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4'];
  const res = analyzeFormats(x, formats, { quant: DEFAULT_QUANT_OPTIONS }, defaultDeps);

  it('reports exactly what quantize + computeMetrics give, per format', () => {
    expect(res.failures).toEqual([]);
    res.perFormat.forEach((f, i) => {
      const q = quantize(x, { ...DEFAULT_QUANT_OPTIONS, format: formats[i] });
      expect(f.metrics).toEqual(computeMetrics(x.data, q.xhat));
      expect(f.saturated).toBe(q.saturated);
      let n = 0;
      for (const c of f.errorCounts) n += c;
      expect(n).toBe(f.metrics.count);
    });
    expect(res.perFormat.map((f) => f.bitsPerElement)).toEqual([8.5, 8.5, 4.5, 4.25]);
  });

  it('orders formats by precision as expected', () => {
    const sq = Object.fromEntries(res.perFormat.map((f) => [f.format, f.metrics.sqnrDb]));
    expect(sq.int8).toBeGreaterThan(sq.fp4_e2m1);
    expect(sq.mxfp4).toBeGreaterThan(sq.fp4_e2m1); // per-32 scales beat one scale per row
  });
});
