/**
 * .npz archives (np.savez / np.savez_compressed): a zip file whose members are
 * .npy files. Zip layout per PKWARE APPNOTE 6.3: the end-of-central-directory
 * record (EOCD, §4.3.16) at the end, optional ZIP64 EOCD (§4.3.14–15), central
 * directory headers (§4.3.12, with the ZIP64 extra field §4.5.3), and a local
 * header (§4.3.7) before each member's data. Members are stored (method 0) or
 * deflated (method 8); only the central directory and each member's .npy
 * header are read on open.
 */
import { type ByteSource, readExact, sliceSource } from './byteSource.ts';
import { check, fmtInt } from './errors.ts';
import { closeAll, noSuchTensor } from './fileCommon.ts';
import { inflateSource } from './inflateSource.ts';
import { readNpyData } from './npy.ts';
import { type NpyHeader, readNpyHeader } from './npyHeader.ts';
import { baseName, latin1Decode, utf8Decode } from './text.ts';
import { DEFAULT_MAX_ELEMENTS, type OpenOptions, type ReadOptions, type TensorFile, type TensorInfo } from './types.ts';

interface ZipMember { name: string; method: number; flags: number; compSize: number; size: number; localOffset: number }

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 2 ** 24;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 2 ** 32;

/** deflate cannot expand data by more than ~1032:1 */
const MAX_DEFLATE_RATIO = 1032;

export async function readZipDirectory(src: ByteSource): Promise<ZipMember[]> {
  const f = src.name;
  check(src.size >= 22, `${f} is too small to be a zip/npz archive (${src.size} bytes).`);
  const tailLen = Math.min(src.size, 22 + 65535 + 20);
  const tailStart = src.size - tailLen;
  const tail = await readExact(src, tailStart, tailLen, 'the zip directory end');
  let e = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 5 && tail[i + 3] === 6) { e = i; break; }
  }
  check(e >= 0, `${f} has no zip end-of-directory record; it is not a zip/npz archive or it is truncated.`);
  let count = u16(tail, e + 10);
  let cdSize = u32(tail, e + 12);
  let cdOffset = u32(tail, e + 16);
  if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && e >= 20 && u32(tail, e - 20) === 0x07064b50) {
    const z64 = u64(tail, e - 12);
    check(z64 + 56 <= src.size, `${f} has a ZIP64 directory pointer beyond the end of the file; the archive is damaged.`);
    const r = await readExact(src, z64, 56, 'the ZIP64 directory end');
    check(u32(r, 0) === 0x06064b50, `${f} has a damaged ZIP64 end-of-directory record.`);
    count = u64(r, 32); cdSize = u64(r, 40); cdOffset = u64(r, 48);
  }
  check(cdOffset + cdSize <= src.size && count * 46 <= cdSize,
    () => `${f} has a zip central directory (${fmtInt(count)} entries at byte ${fmtInt(cdOffset)}) that does not fit in the file; the archive is damaged.`);
  const cd = await readExact(src, cdOffset, cdSize, 'the zip central directory');
  const members: ZipMember[] = [];
  for (let i = 0, p = 0; i < count; i++) {
    check(p + 46 <= cd.length && u32(cd, p) === 0x02014b50, `${f} has a damaged zip central directory entry #${i + 1}.`);
    const flags = u16(cd, p + 8), method = u16(cd, p + 10);
    let compSize = u32(cd, p + 20), size = u32(cd, p + 24), localOffset = u32(cd, p + 42);
    const nlen = u16(cd, p + 28), xlen = u16(cd, p + 30), clen = u16(cd, p + 32);
    check(p + 46 + nlen + xlen + clen <= cd.length, `${f} has a damaged zip central directory entry #${i + 1}.`);
    const nameBytes = cd.subarray(p + 46, p + 46 + nlen);
    const name = flags & 0x800 ? utf8Decode(nameBytes, `a member name in ${f}`) : latin1Decode(nameBytes);
    for (let x = p + 46 + nlen, xe = x + xlen; x + 4 <= xe;) {
      const id = u16(cd, x), len = u16(cd, x + 2);
      if (id === 1) {
        let q = x + 4;
        const take = () => { check(q + 8 <= x + 4 + len && q + 8 <= xe, `${f} has a damaged ZIP64 field for ${name}.`); const v = u64(cd, q); q += 8; return v; };
        if (size === 0xffffffff) size = take();
        if (compSize === 0xffffffff) compSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      x += 4 + len;
    }
    members.push({ name, method, flags, compSize, size, localOffset });
    p += 46 + nlen + xlen + clen;
  }
  return members;
}

/** The member's data as a ByteSource (inflating on the fly when deflated). */
async function memberSource(zip: ByteSource, m: ZipMember): Promise<ByteSource> {
  const f = zip.name;
  check(!(m.flags & 1), `${m.name} in ${f} is encrypted; save the arrays without a password.`);
  check(m.method === 0 || m.method === 8, `${m.name} in ${f} uses zip compression method ${m.method}; only stored and deflated members (what numpy writes) are supported.`);
  check(m.localOffset + 30 <= zip.size, `${m.name} in ${f} starts beyond the end of the file; the archive is truncated.`);
  const lh = await readExact(zip, m.localOffset, 30, `the local header of ${m.name}`);
  check(u32(lh, 0) === 0x04034b50, `${m.name} in ${f} has a damaged local header; the archive is damaged.`);
  const dataOffset = m.localOffset + 30 + u16(lh, 26) + u16(lh, 28);
  check(dataOffset + m.compSize <= zip.size, () => `${m.name} in ${f} needs ${fmtInt(m.compSize)} bytes at byte ${fmtInt(dataOffset)} but the file ends first; the archive is truncated.`);
  const label = `${m.name} in ${baseName(f)}`;
  const raw = sliceSource(zip, dataOffset, m.compSize, label);
  if (m.method === 0) {
    check(m.size === m.compSize, `${m.name} in ${f} is stored uncompressed but declares two different sizes; the archive is damaged.`);
    return raw;
  }
  check(m.size <= m.compSize * MAX_DEFLATE_RATIO + 1024, `${m.name} in ${f} declares an uncompressed size deflate cannot produce; the archive is damaged.`);
  return inflateSource(raw, m.size, label);
}

export async function openNpzFile(src: ByteSource, opts: OpenOptions = {}): Promise<TensorFile> {
  try {
    const members = (await readZipDirectory(src)).filter((m) => !m.name.endsWith('/'));
    const bad = members.find((m) => !/\.npy$/i.test(m.name));
    check(!bad, () => `${src.name} contains ${bad!.name}, which is not a .npy array; an .npz must hold only .npy members (as np.savez writes).`);
    const arrays = new Map<string, { source: ByteSource; header: NpyHeader; info: TensorInfo }>();
    for (const m of members) {
      const name = m.name.replace(/\.npy$/i, '');
      check(!arrays.has(name), `${src.name} contains the array ${name} twice; the archive is damaged.`);
      const source = await memberSource(src, m);
      const header = await readNpyHeader(source);
      arrays.set(name, { source, header, info: { name, dtype: header.descr, shape: header.shape, byteSize: header.dataBytes } });
    }
    const tensors = [...arrays.values()].map((a) => a.info);
    const maxElements = opts.maxElements ?? DEFAULT_MAX_ELEMENTS;
    return {
      format: 'npz',
      metadata: {},
      tensors,
      read: async (name: string, ro?: ReadOptions) => {
        const a = arrays.get(name) ?? arrays.get(name.replace(/\.npy$/i, ''));
        if (!a) throw noSuchTensor(name, tensors, src.name);
        const data = await readNpyData(a.source, a.header, a.info.name, maxElements, ro);
        return { name: a.info.name, shape: [...a.header.shape], data, storedDtype: a.header.descr };
      },
      close: () => closeAll([src]),
    };
  } catch (e) {
    await closeAll([src]);
    throw e;
  }
}
