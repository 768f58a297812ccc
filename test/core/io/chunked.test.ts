/**
 * readChunked from a source whose reads resolve later (as a browser Blob
 * read does): chunks of whole units, in order, with one read ahead, and
 * decoding through them equals decoding the same bytes in one piece.
 */
import { describe, expect, it } from 'vitest';
import { type ByteSource, CHUNK_BYTES, memorySource, readChunked } from '../../../src/core/io/byteSource.ts';
import { MXFP4_TABLES, decodeElements, type ElementKind } from '../../../src/core/io/dtypes.ts';
import { openTensorFile } from '../../../src/core/io/open.ts';
import { unpackFp4Blocks } from '../../../src/core/io/unpack.ts';
import { makeSafetensors, randomBytes } from './util.ts';

/** reads resolve on a later timer, as a browser Blob read does, and each result is a fresh buffer (byteOffset 0) */
function slowSource(bytes: Uint8Array, name: string): ByteSource & { maxInFlight: number } {
  let inFlight = 0;
  const s = {
    size: bytes.length, name, maxInFlight: 0,
    read: (offset: number, length: number) => {
      s.maxInFlight = Math.max(s.maxInFlight, ++inFlight);
      return new Promise<Uint8Array>((r) => setTimeout(() => { inFlight--; r(bytes.slice(offset, offset + length)); }, 2));
    },
  };
  return s;
}

describe('readChunked', () => {
  for (const unit of [1, 3, 16, 1001]) {
    it(`unit ${unit}: whole units, in order, covering the range once`, async () => {
      const length = Math.floor((2.5 * CHUNK_BYTES) / unit) * unit;
      const src = slowSource(new Uint8Array(length + 7), 'x');
      const calls: [number, number][] = [];
      await readChunked(src, 7, length, unit, 'x', (c, at) => calls.push([at, c.length]));
      expect(calls.length).toBe(Math.ceil(length / (Math.floor(CHUNK_BYTES / unit) * unit)));
      let next = 0;
      for (const [at, len] of calls) {
        expect(at).toBe(next);
        expect(len % unit).toBe(0);
        next += len;
      }
      expect(next).toBe(length);
      expect(src.maxInFlight).toBe(1); // the next chunk is read while this one decodes, one read at a time
    });
  }
});

/** Index of the first element whose float32 bits differ, or -1. */
function firstBitDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const x = new Int32Array(a.buffer, a.byteOffset, a.length);
  const y = new Int32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('decoding chunk by chunk equals decoding in one piece', () => {
  const rows = 1024;
  const plain: [string, ElementKind, number][] = [['F6_E2M3', 'f6_e2m3', 3], ['F8_E4M3', 'f8_e4m3', 1], ['BF16', 'bf16', 2], ['F4', 'f4_e2m1', 1]];
  // ≈ 9 MiB per tensor: three chunks, the later ones read while the first decodes
  const bytesPer = 9 << 20;
  const header: Record<string, unknown> = {};
  const parts: Uint8Array[] = [];
  let off = 0;
  const add = (name: string, dtype: string, shape: number[], data: Uint8Array) => {
    header[name] = { dtype, shape, data_offsets: [off, off + data.length] };
    parts.push(data);
    off += data.length;
  };
  for (const [i, [dtype, kind, unit]] of plain.entries()) {
    const perRow = Math.floor(bytesPer / rows / unit) * unit;
    const cols = kind === 'f6_e2m3' ? (perRow / 3) * 4 : kind === 'bf16' ? perRow / 2 : kind === 'f4_e2m1' ? perRow * 2 : perRow;
    let b = randomBytes(perRow * rows, 100 + i);
    if (kind === 'bf16') b = b.map((x, j) => (j & 1 && (x & 0x7f) === 0x7f ? x ^ 1 : x)); // no NaN patterns
    add(kind, dtype, [rows, cols], b);
  }
  const nb = bytesPer / 16;
  add('mx_blocks', 'U8', [rows, nb / rows, 16], randomBytes(nb * 16, 7));
  add('mx_scales', 'U8', [rows, nb / rows], randomBytes(nb, 8).map((x) => 100 + (x % 50)));
  const data = new Uint8Array(off);
  let o = 0;
  for (const p of parts) { data.set(p, o); o += p.length; }
  const file = makeSafetensors(header, data);
  const dataStart = file.length - data.length;

  it('plain kinds and gpt-oss MXFP4, from a slow source', async () => {
    const tf = await openTensorFile([slowSource(file, 'slices.safetensors')]);
    for (const [, kind] of plain) {
      const d = await tf.read(kind);
      const e = header[kind] as { data_offsets: [number, number] };
      const ref = new Float32Array(d.data.length);
      decodeElements(kind, file.slice(dataStart + e.data_offsets[0], dataStart + e.data_offsets[1]), ref.length, true, ref, 0);
      expect(firstBitDiff(d.data, ref), kind).toBe(-1);
    }
    const mx = await tf.read('mx');
    const b = header.mx_blocks as { data_offsets: [number, number] };
    const s = header.mx_scales as { data_offsets: [number, number] };
    const ref = new Float32Array(nb * 32);
    unpackFp4Blocks(file.slice(dataStart + b.data_offsets[0]), 0, file.slice(dataStart + s.data_offsets[0]), 0, nb, MXFP4_TABLES, ref, 0);
    expect(firstBitDiff(mx.data, ref)).toBe(-1);
    // and the same from memory
    const mem = await openTensorFile([memorySource(file, 'slices.safetensors')]);
    expect(firstBitDiff((await mem.read('mx')).data, ref)).toBe(-1);
  });
});

/**
 * `bytes` as a source with a byte stream: each BYOB read fills at most
 * `piece` bytes; `cut` ends the stream that many bytes early (a file that
 * shrank); `byob: false` gives a default stream, which refuses BYOB readers.
 */
function streamSource(bytes: Uint8Array, name: string, o: { piece?: number; cut?: number; byob?: boolean; fail?: boolean } = {}) {
  const s = {
    size: bytes.length, name, reads: 0, streamed: 0,
    read: async (offset: number, length: number) => { s.reads++; return bytes.slice(offset, offset + length); },
    stream: (offset: number, length: number) => {
      s.streamed++;
      let pos = offset;
      const end = offset + length - (o.cut ?? 0);
      if (o.byob === false) return new ReadableStream<Uint8Array>({ pull(c) { c.enqueue(bytes.slice(offset, end)); c.close(); } }) as never;
      return new ReadableStream({
        type: 'bytes',
        pull(c) {
          if (o.fail && pos > offset) { c.error(new Error('disk gone')); return; }
          const v = c.byobRequest!.view! as Uint8Array;
          const n = Math.min(v.byteLength, end - pos, o.piece ?? 65536);
          v.set(bytes.subarray(pos, pos + n));
          pos += n;
          c.byobRequest!.respond(n);
          if (pos >= end) c.close();
        },
      }) as never;
    },
  };
  return s;
}

describe('readChunked through a byte stream (BYOB)', () => {
  const length = 2 * CHUNK_BYTES + 3000;
  const bytes = randomBytes(length + 11, 5);

  for (const unit of [1, 3, 1001]) {
    it(`unit ${unit}: the same chunks and bytes as read(), in one stream`, async () => {
      const src = streamSource(bytes, 'x', { piece: 50_000 });
      const got = new Uint8Array(length);
      const calls: [number, number][] = [];
      await readChunked(src, 11, length, unit, 'x', (c, at) => { calls.push([at, c.length]); got.set(c, at); });
      expect(src.streamed).toBe(1);
      expect(src.reads).toBe(0);
      const step = Math.floor(CHUNK_BYTES / unit) * unit;
      expect(calls).toEqual(Array.from({ length: Math.ceil(length / step) }, (_, i) => [i * step, Math.min(step, length - i * step)]));
      expect(got.findIndex((b, i) => b !== bytes[11 + i])).toBe(-1);
    });
  }

  it('a stream that ends early is a truncated file; a failing one an I/O error; a default stream falls back to read()', async () => {
    await expect(readChunked(streamSource(bytes, 'x.safetensors', { cut: 10 }), 0, length, 1, 'tensor "w"', () => {}))
      .rejects.toThrow(new RegExp(`x\\.safetensors is truncated: tensor "w" at byte ${(2 * CHUNK_BYTES).toLocaleString('en-US')} returned 2,990 of 3,000 bytes`));
    await expect(readChunked(streamSource(bytes, 'x.safetensors', { fail: true }), 0, length, 1, 'w', () => {}))
      .rejects.toThrow(/x\.safetensors could not be read at byte 65,536 \(disk gone\)/);
    const plain = streamSource(bytes, 'x', { byob: false });
    let n = 0;
    await readChunked(plain, 0, length, 1, 'x', (c) => { n += c.length; });
    expect(n).toBe(length);
    expect(plain.reads).toBe(3);
  });

  it('stops at an abort and decodes a file equal to read()', async () => {
    const signal = { aborted: false };
    const err = await readChunked(streamSource(bytes, 'x'), 0, length, 1, 'x', () => { signal.aborted = true; }, { signal }).catch((e) => e);
    expect(err.name).toBe('AbortError');
    // a whole tensor file: streamed decode = plain-read decode, bit for bit
    const n = 3 * CHUNK_BYTES + 10;
    const file = makeSafetensors({ w: { dtype: 'F8_E4M3', shape: [n], data_offsets: [0, n] } }, randomBytes(n, 9));
    const a = await (await openTensorFile([streamSource(file, 'f.safetensors', { piece: 70_001 })])).read('w');
    const b = await (await openTensorFile([memorySource(file, 'f.safetensors')])).read('w');
    expect(firstBitDiff(a.data, b.data)).toBe(-1);
  });
});
