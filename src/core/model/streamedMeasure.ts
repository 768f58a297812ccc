/**
 * Scanning a tensor too large to hold whole (issue 7: bounded memory whatever
 * the checkpoint): when the file can read row ranges (TensorFile.readRows) and
 * every variant is row-local (bandedMeasure.ts bandRows), the tensor is read
 * in chunks of rows and each chunk is quantized and measured with its place in
 * the tensor (rowOffset; the tensor's finite amax, found by a first pass over
 * the chunks, for tensor granularity and NVFP4). x̂ has the same bits as a
 * whole-tensor scan and the sums add chunk by chunk.
 */
import type { AbortSignalLike } from '../io/byteSource.ts';
import { finiteAmax } from '../formats/blockCommon.ts';
import type { TensorFile, TensorInfo } from '../io/types.ts';
import { emptySums, metricsFromSums, type Metrics, type MetricSums } from '../stats/metrics.ts';
import { view2D } from '../tensor.ts';
import { accumulateInBands, bandRows, type BandScratch } from './bandedMeasure.ts';
import type { ScanVariant } from './scan.ts';

/** Tensors with more elements than this are streamed when they can be (128 MiB as float32). */
export const STREAM_ELEMENTS = 1 << 25;
/** elements per chunk read while streaming (32 MiB as float32) */
export const CHUNK_ELEMENTS = 1 << 23;

export interface StreamLimits {
  streamElements?: number;
  chunkElements?: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Rows per chunk when `info` should be streamed, else undefined (read whole). */
export function streamChunkRows(file: TensorFile, info: TensorInfo, variants: readonly ScanVariant[], limits: StreamLimits = {}): number | undefined {
  const [rows, cols] = view2D(info.shape);
  if (!file.readRows || info.packed || rows * cols <= (limits.streamElements ?? STREAM_ELEMENTS)) return undefined;
  let align = 1;
  for (const v of variants) {
    const band = bandRows(v.options, rows, cols, 1); // 1 element: the smallest band, i.e. the row alignment
    if (band === 0) return undefined; // not row-local: only the whole tensor quantizes correctly
    align = (align / gcd(align, band)) * band;
  }
  const fit = Math.floor((limits.chunkElements ?? CHUNK_ELEMENTS) / cols / align) * align;
  return Math.min(rows, Math.max(align, fit));
}

/** Σx² over finite elements (float64). Rows use it so group SQNRs aggregate exactly. */
export function energy(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v === 0) s += v * v;
  }
  return s;
}

export interface StreamedResult {
  perVariant: { metrics: Metrics; saturated: number }[];
  signalEnergy: number;
}

/**
 * Reads `info` in chunks of `chunkRows` rows and measures every variant.
 * `onBytes(b)` reports the stored bytes of the measuring pass read so far.
 * Throws the reader's errors (an AbortError when `signal` is aborted).
 */
export async function measureStreamed(
  file: TensorFile, info: TensorInfo, variants: readonly ScanVariant[], chunkRows: number,
  scratch: BandScratch, signal?: AbortSignalLike, onBytes?: (bytes: number) => void,
): Promise<StreamedResult> {
  const [rows, cols] = view2D(info.shape);
  const readRows = async (r0: number, r1: number, onProgress?: (b: number) => void): Promise<Float32Array> => {
    const p = file.readRows!(info.name, r0, r1, { signal, onProgress });
    if (!p) throw new Error(`tensor "${info.name}" cannot be read by rows`);
    return p;
  };
  const needsAmax = variants.some((v) => v.options.format === 'nvfp4' || v.options.granularity.kind === 'tensor');
  let tensorAmax: number | undefined;
  if (needsAmax) {
    let m = 0;
    for (let r0 = 0; r0 < rows; r0 += chunkRows) m = Math.max(m, finiteAmax(await readRows(r0, Math.min(rows, r0 + chunkRows))));
    tensorAmax = m;
  }
  const sums: MetricSums[] = variants.map(() => emptySums());
  const saturated = variants.map(() => 0);
  const bytesPerRow = info.byteSize / rows;
  let signalEnergy = 0;
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const r1 = Math.min(rows, r0 + chunkRows);
    const data = await readRows(r0, r1, (b) => onBytes?.(r0 * bytesPerRow + b));
    signalEnergy += energy(data);
    const chunk = { data, rows: r1 - r0, cols, shape: [r1 - r0, cols] };
    const ctx = tensorAmax === undefined ? { rowOffset: r0 } : { rowOffset: r0, tensorAmax };
    variants.forEach((v, i) => { saturated[i] += accumulateInBands(chunk, v.options, scratch, sums[i], ctx); });
  }
  return { perVariant: variants.map((_, i) => ({ metrics: metricsFromSums(sums[i]), saturated: saturated[i] })), signalEnergy };
}
