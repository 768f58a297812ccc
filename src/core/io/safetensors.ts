/**
 * safetensors headers (https://github.com/huggingface/safetensors, README "Format"):
 *   bytes 0..8      N, u64 little-endian: the header length
 *   bytes 8..8+N    UTF-8 JSON object, possibly right-padded with spaces:
 *                   { "__metadata__"?: {str: str},
 *                     NAME: {"dtype": D, "shape": [..], "data_offsets": [begin, end]} }
 *   bytes 8+N..     the data buffer; offsets are relative to its start,
 *                   little-endian, row-major, tensors must not overlap.
 * Sub-byte dtypes (F4, F6_*) give the logical element count in `shape`; F4
 * stores two E2M1 codes per byte, the even element in the low nibble (as
 * PyTorch float4_e2m1fn_x2). F6_E2M3/F6_E3M2 (OCP FP6) are read as a
 * little-endian bit stream, element i at bits 6i … 6i + 5 (4 elements per 3
 * bytes): the F4 rule carried to 6 bits, since the format names F6 but does
 * not spell out its bit order (dtypes.ts decodeF6). Sharded checkpoints: an index JSON
 * {"metadata": {...}, "weight_map": {tensor: shard file name}}.
 */
import { type ByteSource, readExact } from './byteSource.ts';
import { type ElementKind } from './dtypes.ts';
import { TensorFileError, check, fmtInt } from './errors.ts';
import { baseName, checkedNumel, utf8Decode } from './text.ts';

/** safetensors' own limit on the header length (100 MB) */
export const MAX_HEADER_BYTES = 100_000_000;

/** dtype → [storage bits, element kind or undefined when not decoded] */
export const SAFETENSORS_DTYPES: Record<string, [number, ElementKind | undefined]> = {
  F64: [64, 'f64'], F32: [32, 'f32'], F16: [16, 'f16'], BF16: [16, 'bf16'],
  I64: [64, 'i64'], I32: [32, 'i32'], I16: [16, 'i16'], I8: [8, 'i8'],
  U64: [64, 'u64'], U32: [32, 'u32'], U16: [16, 'u16'], U8: [8, 'u8'], BOOL: [8, 'bool'],
  F8_E4M3: [8, 'f8_e4m3'], F8_E5M2: [8, 'f8_e5m2'], F8_E8M0: [8, 'f8_e8m0'],
  F8_E4M3FNUZ: [8, 'f8_e4m3fnuz'], F8_E5M2FNUZ: [8, 'f8_e5m2fnuz'],
  F4: [4, 'f4_e2m1'], F6_E2M3: [6, 'f6_e2m3'], F6_E3M2: [6, 'f6_e3m2'], C64: [64, undefined],
};

/** One stored tensor of a safetensors file. */
export interface StEntry {
  name: string;
  dtype: string;
  kind: ElementKind | undefined;
  shape: number[];
  numel: number;
  src: ByteSource;
  /** absolute byte offset in `src` */
  offset: number;
  byteSize: number;
}

export interface StHeader {
  entries: StEntry[];
  metadata: Record<string, string>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function readSafetensorsHeader(src: ByteSource): Promise<StHeader> {
  const f = src.name;
  check(src.size >= 8, `${f} is too small to be a safetensors file (${src.size} bytes; it needs an 8-byte header length first).`);
  const head = await readExact(src, 0, 8, 'the header length');
  const dv = new DataView(head.buffer, head.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  check(
    hi < 2 ** 20 && n <= MAX_HEADER_BYTES && 8 + n <= src.size,
    () => `${f} declares ${hi >= 2 ** 20 ? 'an impossibly long header' : `a ${fmtInt(n)}-byte header`} but ${8 + n > src.size ? `the file has only ${fmtInt(src.size)} bytes` : `safetensors allows at most ${fmtInt(MAX_HEADER_BYTES)}`}; the file is truncated or not a safetensors file.`,
  );
  check(n >= 2, `${f} has an empty safetensors header; the file is damaged or not a safetensors file.`);
  const text = utf8Decode(await readExact(src, 8, n, 'the JSON header'), `the header of ${f}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TensorFileError(`the header of ${f} is not valid JSON; the file is damaged or not a safetensors file.`);
  }
  check(isObj(json), `the header of ${f} is not a JSON object of tensors; the file is damaged or not a safetensors file.`);
  const dataStart = 8 + n;
  const dataSize = src.size - dataStart;
  const metadata: Record<string, string> = {};
  const entries: StEntry[] = [];
  for (const [name, v] of Object.entries(json)) {
    if (name === '__metadata__') {
      check(isObj(v), `__metadata__ in ${f} is not an object of strings; re-export the file.`);
      for (const [k, mv] of Object.entries(v)) metadata[k] = typeof mv === 'string' ? mv : JSON.stringify(mv);
      continue;
    }
    const what = `tensor "${name}" in ${f}`;
    check(isObj(v) && typeof v.dtype === 'string' && Array.isArray(v.shape) && Array.isArray(v.data_offsets),
      `${what} lacks dtype, shape or data_offsets; the header is damaged.`);
    const dtype = v.dtype as string;
    const dt = Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPES, dtype) ? SAFETENSORS_DTYPES[dtype] : undefined;
    check(dt, () => `${what} has unknown dtype "${dtype.slice(0, 40)}"; known dtypes are ${Object.keys(SAFETENSORS_DTYPES).join(', ')}.`);
    const shape = v.shape as number[];
    check(shape.length <= 32, `${what} has ${shape.length} dimensions; at most 32 are supported.`);
    const numel = checkedNumel(shape, what);
    const offs = v.data_offsets as unknown[];
    const [b, e] = offs;
    check(offs.length === 2 && Number.isSafeInteger(b) && Number.isSafeInteger(e) && (b as number) >= 0 && (e as number) >= (b as number),
      `${what} has invalid data_offsets; they must be two whole numbers [begin, end] with begin ≤ end.`);
    const begin = b as number, end = e as number;
    check(end <= dataSize, () => `${what} ends at data byte ${fmtInt(end)} but the data section has only ${fmtInt(dataSize)} bytes; the file is truncated.`);
    const bits = numel * dt[0];
    check(bits % 8 === 0 && bits / 8 === end - begin,
      () => `${what} has shape [${shape.join(', ')}] of ${dtype}, which needs ${bits % 8 ? 'a whole number of bytes' : `${fmtInt(bits / 8)} bytes`}, but its data_offsets span ${fmtInt(end - begin)} bytes; the header is inconsistent.`);
    entries.push({ name, dtype, kind: dt[1], shape: [...shape], numel, src, offset: dataStart + begin, byteSize: end - begin });
  }
  const sorted = [...entries].sort((x, y) => x.offset - y.offset || x.byteSize - y.byteSize);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1], c = sorted[i];
    check(c.offset >= p.offset + p.byteSize || c.byteSize === 0 || p.byteSize === 0,
      () => `tensors "${p.name}" and "${c.name}" in ${f} overlap in the data section; the header is damaged.`);
  }
  return { entries, metadata };
}

export function isIndexName(name: string): boolean {
  return /\.index\.json$/i.test(baseName(name));
}

/**
 * Parses a sharded-checkpoint index and returns the shard file names in first
 * appearance order plus the tensor → shard map. Shard names must be plain file
 * names (no folders), so an index cannot point outside its folder.
 */
export async function readShardIndex(src: ByteSource): Promise<{ shards: string[]; weightMap: Map<string, string>; metadata: Record<string, string> }> {
  check(src.size <= 64 << 20, `${src.name} is ${fmtInt(src.size)} bytes, too large for a shard index (at most 64 MiB).`);
  const text = utf8Decode(await readExact(src, 0, src.size, 'the index'), src.name);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TensorFileError(`${src.name} is not valid JSON; a sharded checkpoint index must be the model.safetensors.index.json written by the exporter.`);
  }
  check(isObj(json) && isObj(json.weight_map), `${src.name} has no "weight_map" object; it is not a safetensors shard index.`);
  const weightMap = new Map<string, string>();
  const shards: string[] = [];
  for (const [t, s] of Object.entries(json.weight_map)) {
    check(typeof s === 'string' && s.length > 0 && s === baseName(s) && s !== '.' && s !== '..',
      () => `${src.name} maps tensor "${t}" to ${JSON.stringify(s)}, which is not a plain shard file name.`);
    weightMap.set(t, s);
    if (!shards.includes(s)) shards.push(s);
  }
  const metadata: Record<string, string> = {};
  if (isObj(json.metadata)) for (const [k, v] of Object.entries(json.metadata)) metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return { shards, weightMap, metadata };
}
