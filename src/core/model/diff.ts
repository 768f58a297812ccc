/**
 * Diff an original checkpoint against its quantized release (issue 7): for each
 * matched tensor (match.ts), the real error of the release (decoded with its
 * scales by the io readers) against the original, next to the error of
 * quantscope's own quantizer for the same format applied to the original
 * (mxfp4 for MXFP4 packs, nvfp4 for NVFP4, fp8_e4m3@block:128x128 for FP8 with
 * weight_scale_inv, q8_0 / q4_0 for GGUF; bf16/fp16 for plain casts).
 *
 * Streaming: one pair at a time (original + release + one x̂ resident). Cancel
 * resolves with the rows so far (`cancelled: true`). Unmatched tensors are
 * listed in `match`, never fatal. Metrics follow DOMAIN §6 (x = original).
 */
import type { AbortSignalLike } from '../io/byteSource.ts';
import type { TensorFile } from '../io/types.ts';
import { DEFAULT_QUANT_OPTIONS, type ScaleRule } from '../quant/options.ts';
import { quantize } from '../quant/quantize.ts';
import { computeMetrics, type Metrics } from '../stats/metrics.ts';
import { tensor2D } from '../tensor.ts';
import { type CheckpointMatch, ggufRotaryHeads, matchCheckpoints, ownFormatFor, permuteRowsLikeLlamaCpp } from './match.ts';

export interface ErrorSummary {
  sqnrDb: number;
  mse: number;
  maxAbsErr: number;
}

export interface DiffRow {
  /** original tensor name */
  name: string;
  releaseName: string;
  shape: number[];
  originalDtype: string;
  releaseDtype: string;
  /** stored bits per element of the release tensor (all packed parts) */
  releaseBitsPerElement: number;
  /** how the names were matched */
  rule: string;
  /** the release versus the original */
  real: ErrorSummary;
  /** quantscope's quantizer for the matching format, or null for a full-precision release tensor */
  own: (ErrorSummary & { format: string; saturated: number }) | null;
  /** elements whose stored code is at the element max (packed releases), as a fraction */
  releaseAtMaxFraction?: number;
  note?: string;
}

export interface DiffOptions {
  signal?: AbortSignalLike;
  onRow?(row: DiffRow): void;
  onProgress?(pairsDone: number, pairsTotal: number): void;
  /** MX scale rule for the own quantizer (default floor, OCP) */
  scaleRule?: ScaleRule;
}

export interface DiffResult {
  rows: DiffRow[];
  match: CheckpointMatch;
  cancelled: boolean;
}

const summary = (m: Metrics): ErrorSummary => ({ sqnrDb: m.sqnrDb, mse: m.mse, maxAbsErr: m.maxAbsErr });
const isAbort = (e: unknown) => (e as Error | undefined)?.name === 'AbortError';

export async function diffCheckpoints(original: TensorFile, release: TensorFile, opts: DiffOptions = {}): Promise<DiffResult> {
  const match = matchCheckpoints(original, release);
  const rows: DiffRow[] = [];
  const aborted = () => opts.signal?.aborted === true;
  const done = (cancelled: boolean): DiffResult => ({ rows, match, cancelled });
  let k = 0;
  for (const pair of match.pairs) {
    if (aborted()) return done(true);
    let o, r;
    try {
      o = await original.read(pair.original.name, { signal: opts.signal });
      r = await release.read(pair.release.name, { signal: opts.signal });
    } catch (e) {
      if (isAbort(e) || aborted()) return done(true);
      throw e;
    }
    const x = tensor2D(o.data, o.shape);
    const notes: string[] = [];
    const heads = ggufRotaryHeads(release, pair.release.name);
    if (heads > 0 && x.rows % (2 * heads) === 0) {
      x.data = permuteRowsLikeLlamaCpp(x.data, x.rows, x.cols, heads);
      notes.push(`original rows permuted as llama.cpp does for rotary Q/K (${heads} heads)`);
    }
    const real = computeMetrics(x.data, r.data);
    const fmt = ownFormatFor(pair.release);
    let own: DiffRow['own'] = null;
    if (fmt) {
      const q = quantize(x, { ...DEFAULT_QUANT_OPTIONS, scaleRule: opts.scaleRule ?? 'floor', format: fmt.format, ...(fmt.granularity ? { granularity: fmt.granularity } : {}) });
      own = { ...summary(computeMetrics(x.data, q.xhat)), format: fmt.label, saturated: q.saturated };
      if (fmt.note) notes.push(fmt.note);
    }
    const row: DiffRow = {
      name: pair.original.name, releaseName: pair.release.name, shape: [...o.shape],
      originalDtype: pair.original.dtype, releaseDtype: pair.release.dtype,
      releaseBitsPerElement: x.data.length ? (pair.release.byteSize * 8) / x.data.length : 0,
      rule: pair.rule, real: summary(real), own,
      ...(r.packedInfo ? { releaseAtMaxFraction: r.packedInfo.atMaxFraction } : {}),
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
    rows.push(row);
    opts.onRow?.(row);
    opts.onProgress?.(++k, match.pairs.length);
  }
  return done(false);
}

/** JSON export (snake_case like the CLI; Infinity → null). */
export function diffToJson(d: DiffResult): Record<string, unknown> {
  const n = (v: number) => (Number.isFinite(v) ? v : null);
  const err = (e: ErrorSummary) => ({ sqnr_db: n(e.sqnrDb), mse: n(e.mse), max_abs_err: n(e.maxAbsErr) });
  return {
    rows: d.rows.map(diffRowToJson),
    missing_in_release: d.match.missingInRelease,
    extra_in_release: d.match.extraInRelease,
    mismatched: d.match.mismatched,
    auxiliary: d.match.auxiliary,
    cancelled: d.cancelled,
  };
  function diffRowToJson(r: DiffRow) {
    return {
      name: r.name, release_name: r.releaseName, shape: r.shape, original_dtype: r.originalDtype, release_dtype: r.releaseDtype,
      release_bits_per_element: r.releaseBitsPerElement, rule: r.rule,
      real: err(r.real), own: r.own ? { format: r.own.format, ...err(r.own), saturated: r.own.saturated } : null,
      ...(r.releaseAtMaxFraction !== undefined ? { release_at_max_fraction: r.releaseAtMaxFraction } : {}),
      ...(r.note ? { note: r.note } : {}),
    };
  }
}
