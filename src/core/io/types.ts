/**
 * The reader API shared by every file format (issue 6). Opening a file reads
 * only headers; `read(name)` fetches and decodes one tensor to float32.
 */
import type { AbortSignalLike, ByteSource } from './byteSource.ts';

export type TensorFileFormat = 'safetensors' | 'npy' | 'npz' | 'gguf';

/** How a packed quantized tensor is stored and decoded. */
export type PackedKind = 'mxfp4' | 'nvfp4' | 'fp8-block' | 'q8_0' | 'q4_0' | 'gguf-mxfp4';

export interface PackedLayout {
  kind: PackedKind;
  /** the element format of the stored codes (a registry id) */
  elementFormat: 'fp4_e2m1' | 'fp8_e4m3' | 'fp8_e5m2' | 'int8' | 'q4_0_int';
  /** elements per scale along the last axis, or [rows, cols] of a 2-D tile */
  blockSize: number | [number, number];
  /** what the scales are stored as: E8M0, E4M3 × float32, float32, fp16 */
  scaleFormat: 'e8m0' | 'e4m3-f32' | 'f32' | 'f16';
  /** stored tensors that make up this logical tensor (safetensors), else [] */
  parts: string[];
  /** the decoding rule, in words, for the UI/CLI */
  rule: string;
}

export interface TensorInfo {
  name: string;
  /** dtype as stored: 'BF16', 'F8_E4M3', '<f4', 'Q4_0', 'mxfp4-packed', … */
  dtype: string;
  /** logical shape, numpy order (last axis fastest) */
  shape: number[];
  /** stored bytes (all parts of a packed tensor) */
  byteSize: number;
  /** set for packed quantized tensors that decode with their scales */
  packed?: PackedLayout;
  /** set when the reader lists the tensor but cannot decode it; says why */
  notDecoded?: string;
}

export interface PackedStats {
  kind: PackedKind;
  /** elements whose stored code has the element format's max magnitude */
  atMaxCount: number;
  atMaxFraction: number;
  /** E8M0 scale exponents (code − 127; 'nan' for code 255) → block count (MX only) */
  scaleExpHistogram?: Record<string, number>;
}

export interface DecodedTensor {
  name: string;
  shape: number[];
  /** row-major float32 values (DOMAIN §1) */
  data: Float32Array;
  storedDtype: string;
  packedInfo?: PackedStats;
}

export interface ReadOptions {
  signal?: AbortSignalLike;
  onProgress?(bytesRead: number, total: number): void;
}

export interface OpenOptions {
  /** refuse to decode a tensor with more elements than this (default 2 GiB of float32) */
  maxElements?: number;
  /**
   * Finds a sibling file by plain name (shards of a sharded checkpoint) when it
   * is not among the sources; the Node CLI passes one that opens it from disk.
   */
  resolveSibling?(name: string): Promise<ByteSource | undefined>;
}

export interface TensorFile {
  format: TensorFileFormat;
  metadata: Record<string, string>;
  tensors: TensorInfo[];
  read(name: string, opts?: ReadOptions): Promise<DecodedTensor>;
  /**
   * Rows [r0, r1) of the 2-D view [rows, cols] (view2D of the shape) of a
   * tensor, decoded to float32, reading only their bytes: for scanning tensors
   * too large to hold whole. Undefined (the method, or its result) when this
   * file cannot read a row range on its own (packed tensors, Fortran order,
   * rows not starting on a byte).
   */
  readRows?(name: string, r0: number, r1: number, opts?: ReadOptions): Promise<Float32Array> | undefined;
  /** closes every source the file opened (and the ones it was given) */
  close(): Promise<void>;
}

/** 2 GiB of float32 */
export const DEFAULT_MAX_ELEMENTS = 536_870_912;
