/**
 * Whole-checkpoint scan (issue 7): quantize every floating tensor with each
 * variant (format + options) and measure the error, streaming tensor by tensor.
 *
 * Memory: the decoded tensor being measured, the next one being read (reads
 * run one tensor ahead) and one x̂ scratch buffer of one band of rows
 * (bandedMeasure.ts; the whole tensor only for options that are not
 * row-local). A tensor over STREAM_ELEMENTS is read and measured by chunks of
 * rows instead (streamedMeasure.ts), so what is resident does not grow with
 * the checkpoint. A row is handed to `onRow` as soon as it is computed.
 * Cancel (signal.aborted) stops before the next tensor or variant (or chunk)
 * and resolves with the rows produced so far (`cancelled: true`);
 * it never throws for a cancel.
 *
 * Skipped (listed in `skipped`, never fatal): integer/bool tensors, tensors the
 * reader lists but cannot decode, and the stored parts of packed tensors
 * (`X_blocks`, `weight_scale`, … are scanned through their logical tensor).
 */
import type { DecodedTensor, TensorFile, TensorInfo } from '../io/types.ts';
import type { AbortSignalLike } from '../io/byteSource.ts';
import { isFormatId, type FormatId } from '../formats/registry.ts';
import { DEFAULT_QUANT_OPTIONS, formatGranularity, parseGranularity, type QuantOptions } from '../quant/options.ts';
import { bitsPerElement } from '../quant/bitsPerElement.ts';
import { type Metrics } from '../stats/metrics.ts';
import { measureInBands, type BandScratch } from './bandedMeasure.ts';
import { numel, tensor2D, view2D, type Tensor2D } from '../tensor.ts';
import { energy, measureStreamed, streamChunkRows, type StreamedResult, type StreamLimits } from './streamedMeasure.ts';
import { parseTensorName, type ModuleFamily, type ModuleType } from './names.ts';

/** One format with its options; `label` names it in rows and tables ("int4@group:128"). */
export interface ScanVariant {
  label: string;
  options: QuantOptions;
}

export interface ScanRow {
  name: string;
  shape: number[];
  /** stored dtype ('BF16', 'mxfp4-packed', 'Q8_0', …) */
  dtype: string;
  /** layer (block) index parsed from the name, null outside the blocks */
  layer: number | null;
  module: ModuleType;
  family: ModuleFamily;
  format: FormatId;
  /** the variant label (equals `format` for a format with the base options) */
  variant: string;
  /** dB; +Infinity when exact (JSON writers turn it into null) */
  sqnrDb: number;
  mse: number;
  maxAbsErr: number;
  /** elements with |y| > element max before the cast (DOMAIN §6) */
  saturated: number;
  /** saturated / numel */
  saturatedFraction: number;
  numel: number;
  /** elements where x or x̂ is NaN/±Inf (left out of the metrics) */
  nonfinite: number;
  /** Σx² over the counted elements (float64), so groups can be aggregated exactly */
  signalEnergy: number;
  /** storage cost of this variant on this tensor (DOMAIN §3) */
  bitsPerElement: number;
}

export interface ScanProgress {
  tensorsDone: number;
  tensorsTotal: number;
  /** stored bytes of the tensors done (plus the part of the current read) */
  bytesDone: number;
  bytesTotal: number;
}

/** Quantizes one tensor with one variant; the app plugs its worker pool in here. */
export type QuantizeAndMeasure = (x: Tensor2D, opts: QuantOptions, signal?: AbortSignalLike) => Promise<{ metrics: Metrics; saturated: number }> | { metrics: Metrics; saturated: number };

export interface ScanOptions {
  signal?: AbortSignalLike;
  onProgress?(p: ScanProgress): void;
  onRow?(row: ScanRow): void;
  /** default: in-thread `quantize` + metrics, reusing one scratch buffer */
  quantizeAndMeasure?: QuantizeAndMeasure;
  /** scan only these tensors (by name); default all scannable */
  only?: ReadonlySet<string>;
  /** when tensors are streamed by rows (streamedMeasure.ts); tests make them small */
  streamLimits?: StreamLimits;
}

export interface ScanResult {
  rows: ScanRow[];
  cancelled: boolean;
  skipped: { name: string; reason: string }[];
  progress: ScanProgress;
}

/** Integer, boolean and unsigned dtypes (safetensors, numpy or GGUF spelling) are not scanned. */
export function isFloatingDtype(dtype: string): boolean {
  return !/^(?:[IU]\d+|BOOL|[<>|=]?[iub]\d*|bool)$/i.test(dtype);
}

/** Names of stored tensors that are parts of a packed logical tensor (not scanned on their own). */
export function packedPartNames(tensors: readonly TensorInfo[]): Set<string> {
  const parts = new Set<string>();
  for (const t of tensors) for (const p of t.packed?.parts ?? []) if (p !== t.name) parts.add(p);
  return parts;
}

/** Which tensors a scan visits, and why the others are skipped. */
export function scanTargets(tensors: readonly TensorInfo[]): { targets: TensorInfo[]; skipped: { name: string; reason: string }[] } {
  const parts = packedPartNames(tensors);
  const targets: TensorInfo[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const t of tensors) {
    if (parts.has(t.name)) skipped.push({ name: t.name, reason: 'stored part of a packed tensor' });
    else if (t.notDecoded) skipped.push({ name: t.name, reason: t.notDecoded });
    else if (!isFloatingDtype(t.dtype)) skipped.push({ name: t.name, reason: `${t.dtype} is not a floating-point dtype` });
    else if (numel(t.shape) === 0) skipped.push({ name: t.name, reason: 'no elements' });
    else targets.push(t);
  }
  return { targets, skipped };
}

/**
 * A variant from text: "ID" (the base options) or "ID@GRANULARITY"
 * (e.g. "int4@group:128", "fp8_e4m3@block:128x128"). Throws one plain sentence.
 */
export function parseVariant(text: string, base: Omit<QuantOptions, 'format'> = DEFAULT_QUANT_OPTIONS): ScanVariant {
  const [id, gran, extra] = text.trim().split('@');
  if (!isFormatId(id)) throw new Error(`unknown format "${id}" in "${text}"`);
  if (extra !== undefined) throw new Error(`"${text}" has more than one @; write ID or ID@GRANULARITY (e.g. int4@group:128)`);
  if (gran === undefined) return { label: id, options: { ...base, format: id } };
  const granularity = parseGranularity(gran);
  return { label: `${id}@${formatGranularity(granularity)}`, options: { ...base, format: id, granularity } };
}

export function variantsFor(formats: readonly FormatId[], base: Omit<QuantOptions, 'format'> = DEFAULT_QUANT_OPTIONS): ScanVariant[] {
  return formats.map((f) => ({ label: f, options: { ...base, format: f } }));
}

const isAbort = (e: unknown) => (e as Error | undefined)?.name === 'AbortError';

/** a decoded tensor, a read error, or: stream this tensor by rows (its bytes start at `base` of the scan) */
type ReadOutcome = { decoded: DecodedTensor } | { error: unknown } | { chunkRows: number; base: number };

export async function scanCheckpoint(file: TensorFile, variants: readonly ScanVariant[], opts: ScanOptions = {}): Promise<ScanResult> {
  const { targets: all, skipped } = scanTargets(file.tensors);
  const targets = opts.only ? all.filter((t) => opts.only!.has(t.name)) : all;
  const rows: ScanRow[] = [];
  const progress: ScanProgress = { tensorsDone: 0, tensorsTotal: targets.length, bytesDone: 0, bytesTotal: targets.reduce((a, t) => a + t.byteSize, 0) };
  const scratch: BandScratch = { buf: new Float32Array(0) };
  const measure: QuantizeAndMeasure = opts.quantizeAndMeasure ?? ((x, q) => measureInBands(x, q, scratch));
  const done = (cancelled: boolean): ScanResult => ({ rows, cancelled, skipped, progress: { ...progress } });
  const aborted = () => opts.signal?.aborted === true;
  // Reads run one tensor ahead: the next tensor is fetched and decoded while
  // the current one is measured (at most two decoded tensors resident).
  // Byte progress counts the prefetch too and never goes backwards.
  let reported = 0;
  let readBase = 0;
  const streamRows = (info: TensorInfo) => (opts.quantizeAndMeasure ? undefined : streamChunkRows(file, info, variants, opts.streamLimits));
  const startRead = (info: TensorInfo): Promise<ReadOutcome> => {
    const base = readBase;
    readBase += info.byteSize;
    const chunkRows = streamRows(info);
    if (chunkRows !== undefined) return Promise.resolve({ chunkRows, base });
    return file.read(info.name, {
      signal: opts.signal,
      onProgress: (b) => {
        reported = Math.max(reported, base + Math.min(b, info.byteSize));
        opts.onProgress?.({ ...progress, bytesDone: reported });
      },
    }).then((decoded) => ({ decoded }), (error: unknown) => ({ error }));
  };
  const emit = (row: ScanRow) => {
    rows.push(row);
    opts.onRow?.(row);
  };
  let pending = targets.length ? startRead(targets[0]) : undefined;
  for (let k = 0; k < targets.length; k++) {
    const info = targets[k];
    const outcome = await pending!;
    pending = undefined;
    if (aborted()) return done(true);
    if ('error' in outcome) {
      if (isAbort(outcome.error)) return done(true);
      throw outcome.error;
    }
    if (k + 1 < targets.length) pending = startRead(targets[k + 1]);
    if ('chunkRows' in outcome) {
      // too large to hold whole: read and measure by chunks of rows
      let res: StreamedResult;
      try {
        res = await measureStreamed(file, info, variants, outcome.chunkRows, scratch, opts.signal, (b) => {
          reported = Math.max(reported, outcome.base + Math.min(b, info.byteSize));
          opts.onProgress?.({ ...progress, bytesDone: reported });
        });
      } catch (e) {
        if (isAbort(e) || aborted()) return done(true);
        throw e;
      }
      const [r, c] = view2D(info.shape);
      variants.forEach((v, i) => emit(scanRow(info, [...info.shape], info.dtype, r, c, v, res.perVariant[i], res.signalEnergy)));
    } else {
      const x: Tensor2D = tensor2D(outcome.decoded.data, outcome.decoded.shape);
      const signalEnergy = energy(x.data);
      for (const v of variants) {
        if (aborted()) return done(true);
        let res: { metrics: Metrics; saturated: number };
        try {
          res = await measure(x, v.options, opts.signal);
        } catch (e) {
          if (isAbort(e) || aborted()) return done(true);
          throw e;
        }
        emit(scanRow(info, [...x.shape], outcome.decoded.storedDtype, x.rows, x.cols, v, res, signalEnergy));
      }
    }
    progress.tensorsDone++;
    reported = Math.max(reported, progress.bytesDone + info.byteSize);
    progress.bytesDone += info.byteSize;
    opts.onProgress?.({ ...progress, bytesDone: reported });
  }
  return done(false);
}

function scanRow(
  info: TensorInfo, shape: number[], dtype: string, rows: number, cols: number, v: ScanVariant,
  res: { metrics: Metrics; saturated: number }, signalEnergy: number,
): ScanRow {
  const role = parseTensorName(info.name);
  const m = res.metrics;
  const numel = rows * cols;
  return {
    name: info.name, shape, dtype,
    layer: role.layer, module: role.module, family: role.family,
    format: v.options.format, variant: v.label,
    sqnrDb: m.sqnrDb, mse: m.mse, maxAbsErr: m.maxAbsErr,
    saturated: res.saturated, saturatedFraction: numel ? res.saturated / numel : 0,
    numel, nonfinite: m.nonfinite, signalEnergy,
    bitsPerElement: bitsPerElement(v.options.format, v.options.granularity, cols, rows, v.options.scale),
  };
}
