/**
 * The worker-side methods jobs (workers/methods.ts) give the same numbers as
 * runPipeline, which is what the CLI's `quantize --transform …` runs, for the
 * same options (issue 9: "the same results in both").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSampleRows } from '../../../src/core/samples/samples.ts';
import { runPipeline } from '../../../src/core/pipeline/runPipeline.ts';
import { parseTransform } from '../../../src/core/transforms/parse.ts';
import { AWQ_ALPHAS } from '../../../src/core/transforms/awq.ts';
import { DEFAULT_QUANT_OPTIONS, parseGranularity } from '../../../src/core/quant/options.ts';
import type { Tensor2D } from '../../../src/core/tensor.ts';
import { loadPair, runMethodsTask, type AwqInfo, type AwqPoint, type PipePoint, type SvdInfo, type SvdPoint } from '../../../workers/methods.ts';

const N = 256;
const KEY = 'sample:256:0';
const sample = (kind: 'activation' | 'weight'): Tensor2D => ({ data: generateSampleRows({ kind, size: N, seed: 0 }, 0, N), rows: N, cols: N, shape: [N, N] });
let X: Tensor2D, W: Tensor2D;
const quant = { ...DEFAULT_QUANT_OPTIONS, granularity: parseGranularity('group:64') };

beforeAll(async () => {
  X = sample('activation');
  W = sample('weight');
  await loadPair(KEY, { kind: 'sample', size: N, seed: 0 });
});

describe('methods jobs = runPipeline', () => {
  it.each(['none', 'smooth:0.5', 'hadamard:64'])('table row %s', (t) => {
    const p = runMethodsTask(KEY, { kind: 'pipe', transform: t, format: 'mxfp4', weightFormat: 'int4', quant }) as PipePoint;
    const r = runPipeline(X, W, { format: 'mxfp4', weightFormat: 'int4', quant, transform: parseTransform(t) });
    expect(p.matmul).toEqual(r.matmul);
    expect(p.xBits).toBe(r.x.bitsPerElement);
    expect(p.wBits).toBe(r.w!.bitsPerElement);
  });

  it('awq (search): the α points give the CLI search curve, its α, its matmul metrics and scales', () => {
    const pts = AWQ_ALPHAS.map((alpha) => runMethodsTask(KEY, { kind: 'awq', alpha, weightFormat: 'int4', quant }) as AwqPoint);
    const r = runPipeline(X, W, { format: 'mxfp4', weightFormat: 'int4', quant, transform: parseTransform('awq') });
    expect(pts.map((p) => p.mse)).toEqual(r.awq!.mse);
    let best = pts[0];
    for (const p of pts) if (p.mse < best.mse) best = p;
    expect(best.alpha).toBe(r.awq!.alpha);
    expect(best.matmul).toEqual(r.matmul);
    expect(best.wBits).toBe(r.w!.bitsPerElement);
    expect(best.xBits).toBe(r.x.bitsPerElement);
    const info = runMethodsTask(KEY, { kind: 'awq-info', alpha: best.alpha }) as AwqInfo;
    expect(Array.from(info.scales)).toEqual(Array.from(r.awq!.scales));
    // α = 0 is plain weight-only quantization: s = 1
    const plain = runPipeline(X, W, { format: 'none', weightFormat: 'int4', quant, transform: { kind: 'none' } });
    expect(pts[0].matmul).toEqual(plain.matmul);
  });

  it('awq:0.35 (fixed)', () => {
    const p = runMethodsTask(KEY, { kind: 'awq', alpha: 0.35, weightFormat: 'nf4', quant }) as AwqPoint;
    const r = runPipeline(X, W, { format: 'mxfp4', weightFormat: 'nf4', quant, transform: parseTransform('awq:0.35') });
    expect(p.matmul).toEqual(r.matmul);
  });

  it('svdquant:8:0.4: the rank point with decompRank = RANK, and the curve below it', () => {
    const r = runPipeline(X, W, { format: 'nvfp4', quant, transform: parseTransform('svdquant:8:0.4') });
    const at = (rank: number) => runMethodsTask(KEY, { kind: 'svd', alpha: 0.4, decompRank: 8, rank, format: 'nvfp4', weightFormat: 'nvfp4', quant }) as SvdPoint;
    const p = at(8);
    expect(p.matmul).toEqual(r.matmul);
    expect(p.wBits).toBe(r.w!.bitsPerElement);
    expect(p.xBits).toBe(r.x.bitsPerElement);
    expect(p.extraBytes).toBe(r.svdquant!.extraBytes);
    for (const c of r.svdquant!.curve) {
      const q = at(c.rank);
      expect([q.matmulMse, q.weightMse]).toEqual([c.matmulMse, c.weightMse]);
    }
    const info = runMethodsTask(KEY, { kind: 'svd-info', alpha: 0.4, decompRank: 8, rank: 8, seed: quant.seed, outRows: 64, outCols: 64 }) as SvdInfo;
    expect(Array.from(info.singularValues)).toEqual(r.svdquant!.singularValues);
    expect(info.heatmap.after).toBeDefined();
    expect(info.heatmap.colourDomain[1]).toBeGreaterThan(0);
  });

  it('svdquant rank 0 (no branch) is SmoothQuant at the same α, up to where Ŷ is formed', () => {
    const p = runMethodsTask(KEY, { kind: 'svd', alpha: 0.5, decompRank: 0, rank: 0, format: 'int4', weightFormat: 'int4', quant }) as SvdPoint;
    const r0 = runPipeline(X, W, { format: 'int4', quant, transform: { kind: 'svdquant', rank: 0, alpha: 0.5 } });
    expect(p.matmul).toEqual(r0.matmul);
    // smooth forms Ŷ = X̂·Ŵᵀ in the original space, svdquant in the smoothed one: equal up to float32 rounding
    const r = runPipeline(X, W, { format: 'int4', quant, transform: parseTransform('smooth:0.5') });
    expect(p.matmul.sqnrDb).toBeCloseTo(r.matmul!.sqnrDb, 4);
  });

  it('names a pair that is not loaded', () => {
    expect(() => runMethodsTask('other', { kind: 'awq-info', alpha: 0.5 })).toThrow(/not loaded/);
  });
});
