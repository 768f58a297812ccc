/**
 * .npy files: one array per file (see npyHeader.ts for the layout), decoded
 * to row-major float32; fortran_order arrays are transposed to row-major.
 * Also `writeNpyF32`, the writer behind the CLI's --out.
 */
import type { ByteSource } from './byteSource.ts';
import { HOST_LITTLE_ENDIAN, readPlain } from './dtypes.ts';
import { allocDecoded } from './errors.ts';
import { closeAll, noSuchTensor } from './fileCommon.ts';
import { type NpyHeader, readNpyHeader } from './npyHeader.ts';
import { asciiEncode, baseName } from './text.ts';
import { DEFAULT_MAX_ELEMENTS, type DecodedTensor, type OpenOptions, type ReadOptions, type TensorFile, type TensorInfo } from './types.ts';

/** Decodes the array of `src` (header `h`) into a new row-major Float32Array. */
export async function readNpyData(src: ByteSource, h: NpyHeader, name: string, maxElements: number, opts: ReadOptions = {}): Promise<Float32Array> {
  const data = allocDecoded(name, h.numel, maxElements);
  if (!h.fortranOrder || h.shape.length < 2) {
    await readPlain(src, h.dataOffset, h.kind, h.numel, h.littleEndian, data, `array "${name}"`, opts);
    return data;
  }
  const colMajor = allocDecoded(name, h.numel, maxElements);
  await readPlain(src, h.dataOffset, h.kind, h.numel, h.littleEndian, colMajor, `array "${name}"`, opts);
  fortranToRowMajor(colMajor, h.shape, data);
  return data;
}

/**
 * out[i0, …, i(n−1)] (row-major) = src at column-major position
 * i0 + d0·(i1 + d1·(…)), for shape [d0, …, d(n−1)].
 */
export function fortranToRowMajor(src: Float32Array, shape: readonly number[], out: Float32Array): void {
  const n = shape.length;
  const total = src.length;
  if (total === 0) return;
  const stride = new Array<number>(n);
  for (let k = 0, s = 1; k < n; k++) { stride[k] = s; s *= shape[k]; }
  const idx = new Array<number>(n).fill(0);
  const last = n - 1;
  const lastDim = shape[last];
  const lastStride = stride[last];
  let base = 0; // column-major offset of idx[0..last-1] with idx[last] = 0
  for (let o = 0; o < total; o += lastDim) {
    for (let j = 0; j < lastDim; j++) out[o + j] = src[base + j * lastStride];
    for (let k = last - 1; k >= 0; k--) {
      idx[k]++;
      base += stride[k];
      if (idx[k] < shape[k]) break;
      base -= stride[k] * shape[k];
      idx[k] = 0;
    }
  }
}

export async function openNpyFile(src: ByteSource, opts: OpenOptions = {}): Promise<TensorFile> {
  try {
    const h = await readNpyHeader(src);
    const name = baseName(src.name).replace(/\.npy$/i, '') || 'array';
    const info: TensorInfo = { name, dtype: h.descr, shape: h.shape, byteSize: h.dataBytes };
    const maxElements = opts.maxElements ?? DEFAULT_MAX_ELEMENTS;
    return {
      format: 'npy',
      metadata: { fortran_order: String(h.fortranOrder) },
      tensors: [info],
      read: async (n: string, ro?: ReadOptions): Promise<DecodedTensor> => {
        if (n !== name && n !== `${name}.npy` && n !== baseName(src.name)) throw noSuchTensor(n, [info], src.name);
        return { name, shape: [...h.shape], data: await readNpyData(src, h, name, maxElements, ro), storedDtype: h.descr };
      },
      close: () => closeAll([src]),
    };
  } catch (e) {
    await closeAll([src]);
    throw e;
  }
}

/**
 * A version-1.0 .npy file of little-endian float32 `data` with `shape`
 * (C order), as np.save writes it: header padded with spaces to a multiple of
 * 64 bytes and ending in '\n'.
 */
export function writeNpyF32(shape: readonly number[], data: Float32Array): Uint8Array {
  const n = shape.reduce((a, d) => a * d, 1);
  if (n !== data.length) throw new RangeError(`shape [${shape.join(', ')}] needs ${n} values but data has ${data.length}`);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const v1 = dict.length < 65000;
  const pre = v1 ? 10 : 12;
  const pad = (64 - ((pre + dict.length + 1) % 64)) % 64;
  dict += ' '.repeat(pad) + '\n';
  const out = new Uint8Array(pre + dict.length + data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, v1 ? 1 : 2, 0]);
  const dv = new DataView(out.buffer);
  if (v1) dv.setUint16(8, dict.length, true);
  else dv.setUint32(8, dict.length, true);
  out.set(asciiEncode(dict), pre);
  const body = pre + dict.length;
  if (HOST_LITTLE_ENDIAN) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), body);
  else for (let i = 0; i < data.length; i++) dv.setFloat32(body + i * 4, data[i], true);
  return out;
}
