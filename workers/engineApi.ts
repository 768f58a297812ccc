/**
 * Implementation of EngineApi (workers/api.ts), run inside each pool worker.
 * Pure glue: holds tensor slices and calls src/core.
 */
import { transfer } from 'comlink';
import { analyzeBlock, blockRulesFor } from '../src/core/explorer/blockView.ts';
import { getFormat } from '../src/core/formats/registry.ts';
import { quantize } from '../src/core/quant/quantize.ts';
import type { QuantizeResult } from '../src/core/quant/types.ts';
import { generateSampleRows } from '../src/core/samples/samples.ts';
import { statSums } from '../src/core/samples/tensorStats.ts';
import { emptySums } from '../src/core/stats/metrics.ts';
import { castAndAccumulateErrorPass, emptyErrorBuckets, histogram } from '../src/core/stats/histogram.ts';
import { compareHeatmaps, errorHeatmap } from '../src/core/analysis/index.ts';
import { blobSource, openTensorFile, type TensorFile } from '../src/core/io/index.ts';
import { view2D } from '../src/core/tensor.ts';
import { parseTransform } from '../src/core/transforms/parse.ts';
import { transformRows } from '../src/core/pipeline/transformPrep.ts';
import { heatmapSidePart } from '../src/core/analysis/splitHeatmap.ts';
import type { BlockViewReply, EngineApi, QuantSliceResult, SliceInfo } from './api.ts';
import { createMethodsApi } from './methods.ts';
import { createModelJobs, endJob, jobSignal, throttledBytes } from './modelJobs.ts';
import { createAnalysisApi } from './analysisApi.ts';
import { readKey, readShared } from './sharedReads.ts';
import { touchedFloats } from './prepStore.ts';

interface Held {
  data: Float32Array;
  rowStart: number;
  rowEnd: number;
  rows: number;
  cols: number;
  shape: number[];
  /** reused x̂ buffer */
  scratch: Float32Array | null;
  /** group absmax of row ranges of data, kept across formats and seeds (QuantContext.absmaxCache; data never changes) */
  absmax?: Map<string, Float32Array>;
}

function sliceInfo(handle: string, h: Held, t0: number): SliceInfo {
  return { handle, rowStart: h.rowStart, rowEnd: h.rowEnd, rows: h.rows, cols: h.cols, shape: h.shape, stats: statSums(h.data), ms: performance.now() - t0 };
}

/** One worker's API; its held tensors and opened file are its own (tests run several in one process). */
export function createEngineApi(): EngineApi {
  const held = new Map<string, Held>();
  /** the last opened file (one at a time keeps memory bounded) */
  let opened: { key: string; file: Promise<TensorFile> } | null = null;

  function openFiles(fileKey: string, files: File[]): Promise<TensorFile> {
    if (opened?.key !== fileKey) {
      const prev = opened;
      opened = { key: fileKey, file: openTensorFile(files.map((f) => blobSource(f))) };
      void prev?.file.then((f) => f.close()).catch(() => {});
      opened.file.catch(() => { opened = null; });
    }
    return opened.file;
  }

  function get(handle: string): Held {
    const h = held.get(handle);
    if (!h) throw new Error(`the tensor "${handle}" is not loaded in this worker`);
    return h;
  }

  function whole(handle: string): Held {
    const h = get(handle);
    if (h.rowStart !== 0 || h.rowEnd !== h.rows) throw new Error(`"${handle}" holds rows ${h.rowStart}–${h.rowEnd}, not the whole tensor`);
    return h;
  }

  return {
    ...createMethodsApi(),
    ...createModelJobs(),
    ...createAnalysisApi((handle) => {
      const h = whole(handle);
      return { data: h.data, rows: h.rows, cols: h.cols, shape: h.shape };
    }),
    async loadSample(handle, spec, rowStart, rowEnd) {
      const t0 = performance.now();
      held.delete(handle);
      const data = generateSampleRows(spec, rowStart, rowEnd);
      held.set(handle, { data, rowStart, rowEnd, rows: spec.size, cols: spec.size, shape: [spec.size, spec.size], scratch: null });
      const info: SliceInfo = {
        handle, rowStart, rowEnd, rows: spec.size, cols: spec.size, shape: [spec.size, spec.size], stats: statSums(data), ms: performance.now() - t0,
      };
      return info;
    },

    async listFile(fileKey, files) {
      const f = await openFiles(fileKey, files);
      return f.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, ...(t.notDecoded ? { notDecoded: t.notDecoded } : {}) }));
    },

    async loadFileTensor(handle, fileKey, files, name, jobId, onProgress) {
      const t0 = performance.now();
      held.delete(handle);
      const f = await openFiles(fileKey, files);
      let t;
      try {
        // bytes read go back to the UI; cancelJob(jobId) stops the read between chunks. A tensorDetails
        // job for the same tensor (the tensor browser's packed statistics) shares this read (sharedReads.ts).
        t = await readShared(readKey(files, name), (o) => f.read(name, o),
          { ...(jobId ? { signal: jobSignal(jobId) } : {}), onProgress: throttledBytes(onProgress) });
      } finally {
        if (jobId) endJob(jobId);
      }
      const [rows, cols] = view2D(t.shape);
      const h: Held = { data: t.data, rowStart: 0, rowEnd: rows, rows, cols, shape: t.shape, scratch: null };
      held.set(handle, h);
      return sliceInfo(handle, h, t0);
    },

    async copyRows(handle, rowStart, rowEnd) {
      const h = get(handle);
      const out = h.data.slice((rowStart - h.rowStart) * h.cols, (rowEnd - h.rowStart) * h.cols);
      return transfer(out, [out.buffer as ArrayBuffer]);
    },

    async adoptRows(handle, data, rowStart, rowEnd, rows, cols, shape) {
      const t0 = performance.now();
      const h: Held = { data, rowStart, rowEnd, rows, cols, shape, scratch: null };
      held.set(handle, h);
      return sliceInfo(handle, h, t0);
    },

    async aliasRows(handle, wholeHandle, rowStart, rowEnd) {
      const t0 = performance.now();
      const w = whole(wholeHandle);
      const h: Held = { data: w.data.subarray(rowStart * w.cols, rowEnd * w.cols), rowStart, rowEnd, rows: w.rows, cols: w.cols, shape: w.shape, scratch: null };
      held.set(handle, h);
      return sliceInfo(handle, h, t0);
    },

    async quantSlice(req) {
      const t0 = performance.now();
      const h = get(req.handle);
      const r0 = req.rowStart ?? h.rowStart;
      const r1 = req.rowEnd ?? h.rowEnd;
      if (r0 < h.rowStart || r1 > h.rowEnd || r0 > r1) throw new Error(`rows [${r0}, ${r1}) are not held here`);
      const data = h.data.subarray((r0 - h.rowStart) * h.cols, (r1 - h.rowStart) * h.cols);
      // as long as the request (a chunk of a whole copy or mirror needs no whole-tensor buffer)
      if (!h.scratch || h.scratch.length < data.length) h.scratch = new Float32Array(data.length);
      const out = h.scratch.subarray(0, data.length);
      const x = { data, rows: r1 - r0, cols: h.cols, shape: [r1 - r0, h.cols] };
      const sums = emptySums();
      const buckets = emptyErrorBuckets();
      let res!: QuantizeResult;
      // the cast and the error pass fused where the kernel allows (the same bits as one after the other);
      // x̂ itself is not kept (out is scratch), so measured windows are not copied out
      castAndAccumulateErrorPass(data, out, sums, buckets, () => {
        res = quantize(x, req.opts, out, { rowOffset: r0, tensorAmax: req.tensorAmax, absmaxCache: (h.absmax ??= new Map()) });
        return res.xhat;
      }, false);
      let blocksSaturated = 0;
      const spb = res.saturatedPerBlock;
      if (spb) for (let i = 0; i < spb.length; i++) if (spb[i]) blocksSaturated++;
      const reply: QuantSliceResult = {
        format: req.opts.format, sums, buckets, saturated: res.saturated, blocksSaturated, blocks: spb?.length ?? 0, ms: performance.now() - t0,
      };
      return transfer(reply, [buckets.buffer as ArrayBuffer]);
    },

    async blockView(req) {
      const h = get(req.handle);
      if (req.row < h.rowStart || req.row >= h.rowEnd) throw new Error(`row ${req.row} is not held here`);
      const { blockSize } = blockRulesFor(req.format);
      const spec = getFormat(req.format);
      const size = spec.blockSize ?? blockSize;
      const blocksPerRow = Math.ceil(h.cols / size);
      const block = Math.min(req.block, blocksPerRow - 1);
      const col = block * size;
      const base = (req.row - h.rowStart) * h.cols;
      const x = h.data.slice(base + col, base + Math.min(col + size, h.cols));
      const v = analyzeBlock(x, req.format, req.tensorAmax, req.base);
      const reply: BlockViewReply = { ...v, row: req.row, block, col, blocksPerRow };
      const buffers: ArrayBuffer[] = [v.x.buffer as ArrayBuffer];
      for (const r of v.rules) buffers.push(r.y.buffer as ArrayBuffer, r.xhat.buffer as ArrayBuffer, r.saturated.buffer as ArrayBuffer);
      return transfer(reply, buffers);
    },

    async histogramSlice(handle, edges) {
      const h = get(handle);
      const hist = histogram(h.data, edges);
      return transfer(hist, [hist.counts.buffer as ArrayBuffer]);
    },

    async heatmap(handle, viewport, outRows, outCols) {
      const h = whole(handle);
      return compareHeatmaps({ data: h.data, rows: h.rows, cols: h.cols, shape: h.shape }, undefined, viewport, outRows, outCols);
    },

    async errorHeatmap(req) {
      const h = whole(req.handle);
      if (!h.scratch || h.scratch.length < h.data.length) h.scratch = new Float32Array(h.data.length);
      const x = { data: h.data, rows: h.rows, cols: h.cols, shape: h.shape };
      const res = quantize(x, req.opts, h.scratch, { rowOffset: 0, tensorAmax: req.tensorAmax });
      return errorHeatmap(x, res, req.viewport, req.outRows, req.outCols, req.mode, getFormat(req.opts.format).blockSize);
    },

    async warmSliceRows(handle) {
      const h = get(handle);
      const rows = touchedFloats((h.rowEnd - h.rowStart) * h.cols);
      return transfer(rows, [rows.buffer]);
    },

    async transformSlicePart(req) {
      const h = get(req.handle);
      const t = parseTransform(req.transform);
      if (t.kind !== 'smooth' && t.kind !== 'hadamard' && t.kind !== 'random-hadamard') throw new Error(`transform ${req.transform} is not made in row slices`);
      const n = h.rowEnd - h.rowStart;
      const scratch = req.scratch?.length === n * h.cols ? (req.scratch as Float32Array<ArrayBuffer>) : undefined;
      const rows = transformRows({ data: h.data, rows: n, cols: h.cols, shape: [n, h.cols] }, t, req.seed, req.scales, scratch);
      const part = heatmapSidePart(rows, h.rowStart, h.rows, h.cols, req.viewport, req.outRows, req.outCols);
      const buffers = [rows.buffer, part.colAbsMax.buffer, part.rowAbsMax.buffer, part.grid.values.buffer, part.grid.index.buffer] as ArrayBuffer[];
      return transfer({ part, rows, rowStart: h.rowStart }, buffers);
    },

    async drop(handle) {
      held.delete(handle);
    },

    async held() {
      return [...held.keys()];
    },
  };
}
