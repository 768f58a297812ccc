/**
 * UTF-8 and small helpers for headers. Core has no DOM lib, so TextDecoder
 * is looked up structurally (present in browsers, workers and Node) with a
 * strict fallback decoder.
 */
import { TensorFileError } from './errors.ts';

type Decoder = { decode(b: Uint8Array): string };
const TD = (globalThis as { TextDecoder?: new (label: string, o: { fatal: boolean }) => Decoder }).TextDecoder;
const strictDecoder: Decoder | undefined = TD ? new TD('utf-8', { fatal: true }) : undefined;

/** Decodes UTF-8 or throws TensorFileError(`what` is not valid UTF-8 …). */
export function utf8Decode(b: Uint8Array, what: string): string {
  try {
    if (strictDecoder) return strictDecoder.decode(b);
    return fallbackDecode(b);
  } catch {
    throw new TensorFileError(`${what} is not valid UTF-8 text; the file is damaged or not in the format its name says.`);
  }
}

function fallbackDecode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xf0 && c < 0xf5 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;
    if (n < 0 || i + n >= b.length) throw new Error('bad utf-8');
    let cp = n === 0 ? c : c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if ((cc & 0xc0) !== 0x80) throw new Error('bad utf-8');
      cp = (cp << 6) | (cc & 0x3f);
    }
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

/** Latin-1 bytes → string (npy v1/v2 headers). */
export function latin1Decode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** ASCII-only encoder (npy headers we write are ASCII). */
export function asciiEncode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}

/** Base name of a path-like name ("a/b/c.npy" -> "c.npy"). */
export function baseName(name: string): string {
  const i = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return i >= 0 ? name.slice(i + 1) : name;
}

/** Product of dims, or throws when a dim is invalid or the product is not a safe integer. */
export function checkedNumel(shape: readonly number[], what: string): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new TensorFileError(`${what} has an invalid dimension ${String(d)} in its shape; dimensions must be whole numbers ≥ 0.`);
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw new TensorFileError(`${what} has a shape [${shape.join(', ')}] too large to be real; the header is damaged.`);
  return n;
}
