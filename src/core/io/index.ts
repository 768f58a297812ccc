/** Public API of the tensor-file readers (issue 6). */
export type { ByteSource, AbortSignalLike } from './byteSource.ts';
export { memorySource, sliceSource } from './byteSource.ts';
export { blobSource, type BlobLike } from './blobSource.ts';
export { TensorFileError, TensorReadAborted } from './errors.ts';
export { openTensorFile } from './open.ts';
export { writeNpyF32 } from './npy.ts';
export type {
  TensorFile, TensorFileFormat, TensorInfo, DecodedTensor, PackedLayout, PackedKind, PackedStats, ReadOptions, OpenOptions,
} from './types.ts';
export { DEFAULT_MAX_ELEMENTS } from './types.ts';
