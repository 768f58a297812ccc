/**
 * GGUF v2/v3 (ggml/docs/gguf.md), little-endian only:
 *   "GGUF" u32 version, u64 tensor_count, u64 kv_count,
 *   kv_count × (string key, u32 value_type, value),
 *   tensor_count × (string name, u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset),
 *   padding to `general.alignment` (default 32), then the data section;
 *   tensor offsets are relative to it and multiples of the alignment.
 * string = u64 length + UTF-8 bytes. ne[0] is the fastest axis, so the numpy
 * shape is ne reversed. The header is read lazily in chunks; every count and
 * length is checked against the bytes left in the file before it is used.
 */
import { type ByteSource, readChunked, readExact } from './byteSource.ts';
import { readPlain } from './dtypes.ts';
import { TensorFileError, allocDecoded, check, fmtInt } from './errors.ts';
import { closeAll, noSuchTensor } from './fileCommon.ts';
import { GGML_TYPES, type GgmlType, type BlockStats, blockStats, decodeBlocks } from './ggml.ts';
import { checkedNumel, utf8Decode } from './text.ts';
import { DEFAULT_MAX_ELEMENTS, type OpenOptions, type ReadOptions, type TensorFile, type TensorInfo } from './types.ts';

const CHUNK = 1 << 20;
const MAX_STRING = 16 << 20;
/** value types: 0 u8, 1 i8, 2 u16, 3 i16, 4 u32, 5 i32, 6 f32, 7 bool, 8 string, 9 array, 10 u64, 11 i64, 12 f64 */
const SCALAR_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const TYPE_NAME: Record<number, string> = { 0: 'u8', 1: 'i8', 2: 'u16', 3: 'i16', 4: 'u32', 5: 'i32', 6: 'f32', 7: 'bool', 8: 'string', 9: 'array', 10: 'u64', 11: 'i64', 12: 'f64' };

/** Forward reader over a ByteSource with a 1 MiB window. */
class Cursor {
  pos = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  constructor(private src: ByteSource) {}
  get left(): number { return this.src.size - this.pos; }
  async bytes(n: number, what: string): Promise<Uint8Array> {
    check(n <= this.left, () => `${this.src.name} is truncated: ${what} at byte ${fmtInt(this.pos)} needs ${fmtInt(n)} bytes but ${fmtInt(this.left)} are left.`);
    const rel = this.pos - this.bufStart;
    if (rel < 0 || rel + n > this.buf.length) {
      this.buf = await readExact(this.src, this.pos, Math.min(Math.max(n, CHUNK), this.left), what);
      this.bufStart = this.pos;
    }
    const r = this.buf.subarray(this.pos - this.bufStart, this.pos - this.bufStart + n);
    this.pos += n;
    return r;
  }
  skip(n: number, what: string): void {
    check(n <= this.left, () => `${this.src.name} is truncated: ${what} at byte ${fmtInt(this.pos)} needs ${fmtInt(n)} bytes but ${fmtInt(this.left)} are left.`);
    this.pos += n;
  }
  async u32(what: string): Promise<number> { const b = await this.bytes(4, what); return (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 2 ** 24; }
  async u64(what: string): Promise<number> {
    const lo = await this.u32(what);
    const hi = await this.u32(what);
    check(hi < 2 ** 21, () => `${this.src.name} is damaged: ${what} at byte ${fmtInt(this.pos - 8)} is larger than 2^53.`);
    return hi * 2 ** 32 + lo;
  }
  async str(what: string): Promise<string> {
    const n = await this.u64(`the length of ${what}`);
    check(n <= MAX_STRING, () => `${this.src.name} has a ${fmtInt(n)}-byte string (${what}) at byte ${fmtInt(this.pos - 8)}; the file is damaged.`);
    return utf8Decode(await this.bytes(n, what), `${what} in ${this.src.name}`);
  }
  async scalar(type: number, what: string): Promise<number | bigint | boolean> {
    const b = await this.bytes(SCALAR_SIZE[type], what);
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    switch (type) {
      case 0: return b[0];
      case 1: return dv.getInt8(0);
      case 2: return dv.getUint16(0, true);
      case 3: return dv.getInt16(0, true);
      case 4: return dv.getUint32(0, true);
      case 5: return dv.getInt32(0, true);
      case 6: return dv.getFloat32(0, true);
      case 7: return b[0] !== 0;
      case 10: return dv.getBigUint64(0, true);
      case 11: return dv.getBigInt64(0, true);
      default: return dv.getFloat64(0, true);
    }
  }
}

/** Reads one KV value; returns a short display string (arrays are summarized). */
async function readValue(c: Cursor, type: number, key: string, depth: number): Promise<string> {
  check(type in TYPE_NAME, () => `metadata key "${key}" has unknown value type ${type}; the file is damaged or newer than this reader.`);
  if (type === 8) {
    const s = await c.str(`metadata "${key}"`);
    return s.length > 1024 ? s.slice(0, 1024) + '…' : s;
  }
  if (type !== 9) return String(await c.scalar(type, `metadata "${key}"`));
  check(depth < 4, `metadata key "${key}" nests arrays too deeply; the file is damaged.`);
  const itemType = await c.u32(`metadata "${key}"`);
  check(itemType in TYPE_NAME, () => `metadata key "${key}" is an array of unknown type ${itemType}; the file is damaged.`);
  const n = await c.u64(`metadata "${key}"`);
  const size = SCALAR_SIZE[itemType];
  check(n * (size ?? 8) <= c.left, () => `metadata key "${key}" claims ${fmtInt(n)} items, more than the file holds; the file is damaged.`);
  if (size && n <= 16) {
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(String(await c.scalar(itemType, `metadata "${key}"`)));
    return `[${items.join(', ')}]`;
  }
  if (size) c.skip(n * size, `metadata "${key}"`);
  else if (itemType === 8) {
    // e.g. a tokenizer vocabulary: skip the strings without decoding them
    for (let i = 0; i < n; i++) {
      const len = await c.u64(`metadata "${key}"`);
      check(len <= MAX_STRING, () => `metadata key "${key}" holds a ${fmtInt(len)}-byte string; the file is damaged.`);
      c.skip(len, `metadata "${key}"`);
    }
  } else for (let i = 0; i < n; i++) await readValue(c, itemType, key, depth + 1);
  return `[${fmtInt(n)} × ${TYPE_NAME[itemType]}]`;
}

interface GgufTensor { info: TensorInfo; type: GgmlType; numel: number; offset: number }

export async function openGgufFile(src: ByteSource, opts: OpenOptions = {}): Promise<TensorFile> {
  try {
    return await open(src, opts);
  } catch (e) {
    await closeAll([src]);
    throw e;
  }
}

async function open(src: ByteSource, opts: OpenOptions): Promise<TensorFile> {
  const f = src.name;
  check(src.size >= 24, `${f} is too small to be a GGUF file (${src.size} bytes).`);
  const c = new Cursor(src);
  const magic = await c.bytes(4, 'the magic');
  check(magic[0] === 0x47 && magic[1] === 0x47 && magic[2] === 0x55 && magic[3] === 0x46, `${f} does not start with "GGUF"; it is not a GGUF file.`);
  const version = await c.u32('the version');
  check(version === 0 || (version & 0xffff) !== 0, `${f} is a big-endian GGUF file; only little-endian GGUF files are supported.`);
  check(version === 2 || version === 3, `${f} is GGUF version ${version}; versions 2 and 3 are supported (re-convert with a current llama.cpp).`);
  const nTensors = await c.u64('the tensor count');
  const nKv = await c.u64('the metadata count');
  check(nTensors * 24 <= c.left && nKv * 13 <= c.left, `${f} claims more tensors or metadata entries than the file can hold; the header is damaged.`);
  const metadata: Record<string, string> = {};
  let alignment = 32;
  for (let i = 0; i < nKv; i++) {
    const key = await c.str('a metadata key');
    const type = await c.u32(`the type of metadata "${key}"`);
    if (key === 'general.alignment') {
      check(type === 4, `${f} stores general.alignment as ${TYPE_NAME[type] ?? type}; it must be a u32.`);
      alignment = (await c.scalar(4, key)) as number;
      check(alignment > 0 && (alignment & (alignment - 1)) === 0, `${f} has general.alignment ${alignment}; it must be a power of two.`);
      metadata[key] = String(alignment);
      continue;
    }
    metadata[key] = await readValue(c, type, key, 0);
  }
  const tensors: GgufTensor[] = [];
  for (let i = 0; i < nTensors; i++) {
    const name = await c.str('a tensor name');
    const nd = await c.u32(`the rank of tensor "${name}"`);
    check(nd >= 1 && nd <= 8, `tensor "${name}" in ${f} has ${nd} dimensions; GGUF tensors have 1 to 8.`);
    const ne: number[] = [];
    for (let d = 0; d < nd; d++) ne.push(await c.u64(`the shape of tensor "${name}"`));
    const typeId = await c.u32(`the type of tensor "${name}"`);
    const type = GGML_TYPES[typeId];
    check(type, () => `tensor "${name}" in ${f} has unknown ggml type ${typeId}; the file is newer than this reader or damaged.`);
    const offset = await c.u64(`the offset of tensor "${name}"`);
    const shape = ne.slice().reverse();
    const numel = checkedNumel(shape, `tensor "${name}" in ${f}`);
    check(ne[0] % type.blockSize === 0, () => `tensor "${name}" in ${f} has ${ne[0]} elements per row, not a multiple of the ${type.name} block size ${type.blockSize}; the header is damaged.`);
    check(offset % alignment === 0, () => `tensor "${name}" in ${f} starts at data offset ${fmtInt(offset)}, not a multiple of the alignment ${alignment}; the header is damaged.`);
    const byteSize = (numel / type.blockSize) * type.typeSize;
    const info: TensorInfo = { name, dtype: type.name, shape, byteSize };
    if (!type.kind && !type.block) info.notDecoded = `${type.name} is listed but not decoded yet`;
    if (type.block) {
      info.packed = {
        kind: type.block === 'mxfp4' ? 'gguf-mxfp4' : type.block, blockSize: 32, parts: [],
        elementFormat: type.block === 'q8_0' ? 'int8' : type.block === 'q4_0' ? 'q4_0_int' : 'fp4_e2m1',
        scaleFormat: type.block === 'mxfp4' ? 'e8m0' : 'f16',
        rule: type.block === 'q8_0' ? 'x = q · d (int8 q, fp16 d per 32)' : type.block === 'q4_0' ? 'x = (q − 8) · d (4-bit q, fp16 d per 32)' : 'x = e2m1 · 2^(e − 127) per 32 (ggml MXFP4)',
      };
    }
    tensors.push({ info, type, numel, offset });
  }
  const dataStart = Math.ceil(c.pos / alignment) * alignment;
  const dataSize = src.size - dataStart;
  const byOffset = [...tensors].sort((a, b) => a.offset - b.offset);
  for (let i = 0; i < byOffset.length; i++) {
    const t = byOffset[i];
    check(t.offset + t.info.byteSize <= dataSize,
      () => `tensor "${t.info.name}" in ${f} needs data bytes ${fmtInt(t.offset)}…${fmtInt(t.offset + t.info.byteSize)} but the data section has ${fmtInt(Math.max(dataSize, 0))}; the file is truncated.`);
    const p = byOffset[i - 1];
    check(!p || p.offset + p.info.byteSize <= t.offset || t.info.byteSize === 0,
      () => `tensors "${p.info.name}" and "${t.info.name}" in ${f} overlap in the data section; the header is damaged.`);
  }
  const byName = new Map(tensors.map((t) => [t.info.name, t]));
  check(byName.size === tensors.length, `${f} lists a tensor name twice; the header is damaged.`);
  const infos = tensors.map((t) => t.info);
  const maxElements = opts.maxElements ?? DEFAULT_MAX_ELEMENTS;

  const read = async (name: string, ro: ReadOptions = {}) => {
    const t = byName.get(name);
    if (!t) throw noSuchTensor(name, infos, f);
    const { type } = t;
    if (!type.kind && !type.block) throw new TensorFileError(`tensor "${name}" is ${type.name}, which quantscope cannot decode yet (F32, F16, BF16, Q8_0, Q4_0 and MXFP4 can); pick another tensor.`);
    const data = allocDecoded(name, t.numel, maxElements);
    const at = dataStart + t.offset;
    const base = { name, shape: [...t.info.shape], data, storedDtype: type.name };
    if (type.kind) {
      await readPlain(src, at, type.kind, t.numel, true, data, `tensor "${name}"`, ro);
      return base;
    }
    const st: BlockStats = { atMax: 0 };
    const block = type.block!;
    await readChunked(src, at, t.info.byteSize, type.typeSize, `tensor "${name}"`,
      (chunk, off) => decodeBlocks(block, chunk, data, (off / type.typeSize) * 32, st), ro);
    return { ...base, packedInfo: blockStats(block, st, t.numel) };
  };
  return { format: 'gguf', metadata, tensors: infos, read, close: () => closeAll([src]) };
}
