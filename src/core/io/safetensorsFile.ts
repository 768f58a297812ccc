/**
 * TensorFile over one or more safetensors files: a single file, several
 * files (merged), or a shard index plus its shards. Packed quantized tensors
 * (packed.ts) are listed as one logical tensor each, next to their stored parts.
 */
import type { ByteSource } from './byteSource.ts';
import { ELEMENT_BITS, readPlain } from './dtypes.ts';
import { view2D } from '../tensor.ts';
import { TensorFileError, allocDecoded, check } from './errors.ts';
import { type PackedGroup, decodePacked, findPackedGroups } from './packed.ts';
import { type StEntry, isIndexName, readSafetensorsHeader, readShardIndex } from './safetensors.ts';
import { baseName } from './text.ts';
import { DEFAULT_MAX_ELEMENTS, type DecodedTensor, type OpenOptions, type ReadOptions, type TensorFile, type TensorInfo } from './types.ts';
import { closeAll, noSuchTensor } from './fileCommon.ts';

export async function openSafetensorsFile(sources: ByteSource[], opts: OpenOptions = {}): Promise<TensorFile> {
  const opened: ByteSource[] = [];
  try {
    return await open(sources, opts, opened);
  } catch (e) {
    await closeAll(opened);
    throw e;
  }
}

async function open(sources: ByteSource[], opts: OpenOptions, opened: ByteSource[]): Promise<TensorFile> {
  const indexSrc = sources.find((s) => isIndexName(s.name));
  let files = sources;
  let metadata: Record<string, string> = {};
  let weightMap: Map<string, string> | undefined;
  if (indexSrc) {
    const index = await readShardIndex(indexSrc);
    weightMap = index.weightMap;
    metadata = index.metadata;
    files = [];
    const missing: string[] = [];
    for (const shard of index.shards) {
      let s = sources.find((x) => baseName(x.name) === shard);
      if (!s && opts.resolveSibling) {
        s = await opts.resolveSibling(shard);
        if (s) opened.push(s);
      }
      if (s) files.push(s);
      else missing.push(shard);
    }
    check(missing.length === 0, () => `${baseName(indexSrc.name)} names shard ${missing[0]}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}, which is missing; open the index together with all of its shard files.`);
    check(files.length > 0, `${baseName(indexSrc.name)} lists no shards in its weight_map; it is not a usable shard index.`);
  }
  const byName = new Map<string, StEntry>();
  const entries: StEntry[] = [];
  for (const src of files) {
    const h = await readSafetensorsHeader(src);
    for (const [k, v] of Object.entries(h.metadata)) if (!(k in metadata)) metadata[k] = v;
    for (const e of h.entries) {
      const prev = byName.get(e.name);
      check(!prev, () => `tensor "${e.name}" appears in both ${prev!.src.name} and ${src.name}; open one copy of each shard.`);
      byName.set(e.name, e);
      entries.push(e);
    }
  }
  if (weightMap && indexSrc) {
    for (const [t, shard] of weightMap) {
      const e = byName.get(t);
      check(e && baseName(e.src.name) === shard,
        () => `${baseName(indexSrc.name)} says tensor "${t}" is in ${shard}, but ${e ? `it is in ${baseName(e.src.name)}` : 'no shard has it'}; the index does not match the shard files.`);
    }
  }
  const groups = findPackedGroups(byName);
  const groupByName = new Map<string, PackedGroup>();
  const groupsByMainPart = new Map<string, PackedGroup[]>();
  for (const g of groups) {
    groupByName.set(g.name, g);
    const k = g.parts[0].name;
    groupsByMainPart.set(k, [...(groupsByMainPart.get(k) ?? []), g]);
  }
  const tensors: TensorInfo[] = [];
  for (const e of entries) {
    for (const g of groupsByMainPart.get(e.name) ?? []) {
      tensors.push({ name: g.name, dtype: g.dtype, shape: g.shape, byteSize: g.parts.reduce((a, p) => a + p.byteSize, 0), packed: g.layout });
    }
    if (groupByName.has(e.name)) continue; // fp8-block: the stored tensor is the packed one
    const info: TensorInfo = { name: e.name, dtype: e.dtype, shape: e.shape, byteSize: e.byteSize };
    if (!e.kind) info.notDecoded = `${e.dtype} (complex) is listed but not decoded`;
    tensors.push(info);
  }
  const maxElements = opts.maxElements ?? DEFAULT_MAX_ELEMENTS;
  const allSources = [...new Set([...sources, ...opened])];

  const read = async (name: string, ro: ReadOptions = {}): Promise<DecodedTensor> => {
    const g = groupByName.get(name);
    if (g) {
      const data = allocDecoded(name, g.numel, maxElements);
      const packedInfo = await decodePacked(g, data, ro);
      return { name, shape: [...g.shape], data, storedDtype: g.dtype, packedInfo };
    }
    const e = byName.get(name);
    if (!e) throw noSuchTensor(name, tensors, files.length === 1 ? files[0].name : 'the checkpoint');
    if (!e.kind) throw new TensorFileError(`tensor "${name}" is stored as ${e.dtype}, which quantscope cannot decode yet; pick another tensor.`);
    const data = allocDecoded(name, e.numel, maxElements);
    await readPlain(e.src, e.offset, e.kind, e.numel, true, data, `tensor "${name}"`, ro);
    return { name, shape: [...e.shape], data, storedDtype: e.dtype };
  };
  const readRows = (name: string, r0: number, r1: number, ro: ReadOptions = {}): Promise<Float32Array> | undefined => {
    const e = byName.get(name);
    if (!e || !e.kind || groupByName.has(name)) return undefined;
    const [rows, cols] = view2D(e.shape);
    const bits = ELEMENT_BITS[e.kind];
    if ((cols * bits) % 8 !== 0) return undefined; // a row would start inside a byte (F4/F6 with odd widths)
    check(Number.isSafeInteger(r0) && Number.isSafeInteger(r1) && 0 <= r0 && r0 <= r1 && r1 <= rows,
      () => `rows ${r0}…${r1} are outside tensor "${name}", which has ${rows} rows.`);
    const numel = (r1 - r0) * cols;
    const data = allocDecoded(name, numel, maxElements);
    const offset = e.offset + (r0 * cols * bits) / 8;
    return readPlain(e.src, offset, e.kind, numel, true, data, `rows ${r0}…${r1} of tensor "${name}"`, ro).then(() => data);
  };
  return { format: 'safetensors', metadata, tensors, read, readRows, close: () => closeAll(allSources) };
}
