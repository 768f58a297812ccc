/**
 * The .npy header (NEP 1, numpy/lib/format.py):
 *   "\x93NUMPY" major minor
 *   v1.0: header length u16 LE; v2.0 / v3.0: u32 LE (v3.0: the header is UTF-8)
 *   header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
 *           padded with spaces and ending in '\n'; the data follows it.
 * Only plain numeric dtypes are accepted; object arrays would need pickle.
 */
import { type ByteSource, readExact } from './byteSource.ts';
import { type ElementKind, ELEMENT_BITS } from './dtypes.ts';
import { TensorFileError, check, fmtInt } from './errors.ts';
import { checkedNumel, latin1Decode, utf8Decode } from './text.ts';

export interface NpyHeader {
  /** descr as stored, e.g. '<f4' */
  descr: string;
  kind: ElementKind;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  numel: number;
  /** byte offset of the data */
  dataOffset: number;
  dataBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const MAX_HEADER = 1 << 20;

const KINDS: Record<string, ElementKind> = {
  f2: 'f16', f4: 'f32', f8: 'f64', i1: 'i8', i2: 'i16', i4: 'i32', i8: 'i64',
  u1: 'u8', u2: 'u16', u4: 'u32', u8: 'u64', b1: 'bool',
};

export async function readNpyHeader(src: ByteSource): Promise<NpyHeader> {
  const f = src.name;
  check(src.size >= 10, `${f} is too small to be a .npy file (${src.size} bytes).`);
  const pre = await readExact(src, 0, Math.min(12, src.size), 'the .npy preamble');
  check(MAGIC.every((b, i) => pre[i] === b), `${f} does not start with the .npy magic "\\x93NUMPY"; it is not a numpy .npy file.`);
  const major = pre[6];
  check(major >= 1 && major <= 3, `${f} is .npy format version ${major}.${pre[7]}; versions 1.0, 2.0 and 3.0 are supported.`);
  const dv = new DataView(pre.buffer, pre.byteOffset, pre.length);
  check(major === 1 || pre.length >= 12, `${f} is truncated inside the .npy preamble.`);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  check(hlen <= MAX_HEADER && start + hlen <= src.size,
    () => `${f} declares a ${fmtInt(hlen)}-byte .npy header but ${start + hlen > src.size ? `the file has only ${fmtInt(src.size)} bytes` : 'headers are at most 1 MiB'}; the file is truncated or damaged.`);
  const bytes = await readExact(src, start, hlen, 'the .npy header');
  const text = major === 3 ? utf8Decode(bytes, `the header of ${f}`) : latin1Decode(bytes);
  let dict: unknown;
  try {
    dict = parsePyLiteral(text);
  } catch {
    throw new TensorFileError(`the header of ${f} is not a Python dict literal; the file is damaged or not a .npy file.`);
  }
  check(dict instanceof Map, `the header of ${f} is not a dict; the file is damaged.`);
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  check(typeof descr === 'string' || Array.isArray(descr), `the header of ${f} has no 'descr'; the file is damaged.`);
  check(typeof descr === 'string', `${f} holds a structured (record) array; save each field as its own numeric array.`);
  const order = descr[0];
  const code = /^[<>|=]/.test(descr) ? descr.slice(1) : descr;
  check(code[0] !== 'O', `${f} holds Python objects (pickle), which quantscope never loads; save a numeric array instead (e.g. np.save(path, a.astype(np.float32))).`);
  const kind = KINDS[code];
  check(kind, () => `${f} has dtype '${descr.slice(0, 20)}', which is not a supported numeric dtype; use float16/32/64, (u)int8–64 or bool.`);
  check(typeof fortran === 'boolean', `the header of ${f} has no valid 'fortran_order'; the file is damaged.`);
  check(Array.isArray(shape) && shape.length <= 32, `the header of ${f} has no valid 'shape' tuple; the file is damaged.`);
  const numel = checkedNumel(shape as number[], f);
  const dataBytes = numel * (ELEMENT_BITS[kind] / 8);
  const dataOffset = start + hlen;
  check(dataOffset + dataBytes <= src.size,
    () => `${f} is truncated: shape [${(shape as number[]).join(', ')}] of ${descr} needs ${fmtInt(dataBytes)} data bytes but only ${fmtInt(src.size - dataOffset)} follow the header.`);
  return { descr, kind, littleEndian: order !== '>', fortranOrder: fortran, shape: [...(shape as number[])], numel, dataOffset, dataBytes };
}

type Py = string | number | boolean | null | Py[] | Map<string, Py>;

/** Parses the small subset of Python literals numpy writes (dict, tuple, list, str, int, bool, None). */
export function parsePyLiteral(s: string): Py {
  let i = 0;
  const ws = () => { while (i < s.length && /\s/.test(s[i])) i++; };
  const fail = (): never => { throw new Error(`bad literal at ${i}`); };
  let depth = 0;
  const value = (): Py => {
    ws();
    const c = s[i];
    if (c === '{' || c === '(' || c === '[') {
      if (++depth > 64) fail();
      const close = c === '{' ? '}' : c === '(' ? ')' : ']';
      i++;
      const items: Py[] = [];
      const map = new Map<string, Py>();
      for (;;) {
        ws();
        if (s[i] === close) { i++; break; }
        const v = value();
        if (c === '{') {
          ws();
          if (s[i++] !== ':' || typeof v !== 'string') fail();
          map.set(v as string, value());
        } else items.push(v);
        ws();
        if (s[i] === ',') i++;
        else if (s[i] !== close) fail();
      }
      depth--;
      return c === '{' ? map : items;
    }
    if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      if (end < 0) fail();
      const str = s.slice(i + 1, end);
      i = end + 1;
      return str;
    }
    const m = /^(-?\d+)L?|^(True|False|None)/.exec(s.slice(i, i + 32));
    if (!m) fail();
    i += m![0].length;
    if (m![2]) return m![2] === 'None' ? null : m![2] === 'True';
    return Number(m![1]);
  };
  const v = value();
  ws();
  if (i !== s.length) fail();
  return v;
}
