/**
 * `npx tsx bench/io.ts` (also part of `npm run bench`): the tensor readers
 * (issue 6) on files opened as Blobs (Node's fs.openAsBlob, the same
 * `blob.slice().arrayBuffer()` path a browser File takes).
 *  - header listing of a 3 GB sharded-size safetensors file (sparse on disk):
 *    time and memory growth;
 *  - read + decode throughput of F32, BF16, F8_E4M3 and gpt-oss MXFP4-packed
 *    tensors (64 MiB stored each), next to a plain `blob.slice().arrayBuffer()`
 *    of the same bytes measured in the same run (alternating, best of 5 each),
 *    also from the Blob's source given stream() (readChunked's BYOB path),
 *    and the time to allocate and write the decoded float32 output alone: a
 *    tensor that decodes to 8× its stored bytes (MXFP4) cannot beat that floor;
 *  - peak resident memory of the process.
 */
import { openAsBlob } from 'node:fs';
import { mkdtempSync, rmSync, openSync, writeSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { blobSource, openTensorFile } from '../src/core/io/index.ts';
import { mulberry32Stream } from '../src/core/rng.ts';

const MiB = 1 << 20;

interface Entry { name: string; dtype: string; shape: number[]; bytes: number }

/** Writes a safetensors header for `entries` (laid out back to back) and returns [header bytes, data size]. */
function header(entries: Entry[]): [Uint8Array, number] {
  const json: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const e of entries) {
    json[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [off, off + e.bytes] };
    off += e.bytes;
  }
  let text = JSON.stringify(json);
  while ((8 + text.length) % 8) text += ' ';
  const bytes = new Uint8Array(8 + text.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
  bytes.set(new TextEncoder().encode(text), 8);
  return [bytes, off];
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  const u32 = new Uint32Array(out.buffer, 0, n >>> 2);
  const next = mulberry32Stream(seed);
  for (let i = 0; i < u32.length; i++) u32[i] = next();
  return out;
}

const rssMB = () => process.memoryUsage().rss / MiB;
const peakMB = () => process.resourceUsage().maxRSS / 1024;

/** The 3 GB listing file: 32 layers × 7 BF16 matrices, header only, data left sparse on disk. */
export function writeBigFile(dir: string): { path: string; bytes: number; tensors: number } {
  const big: Entry[] = [];
  for (let l = 0; l < 32; l++) {
    for (const [m, o, i] of [['q_proj', 2048, 2048], ['k_proj', 512, 2048], ['v_proj', 512, 2048], ['o_proj', 2048, 2048], ['gate_proj', 5632, 2048], ['up_proj', 5632, 2048], ['down_proj', 2048, 5632]] as const) {
      big.push({ name: `model.layers.${l}.${m}.weight`, dtype: 'BF16', shape: [o, i], bytes: o * i * 2 });
    }
  }
  const [hb, dataBytes] = header(big);
  const bigPath = path.join(dir, 'big.safetensors');
  const fd = openSync(bigPath, 'w');
  writeSync(fd, hb);
  ftruncateSync(fd, hb.length + dataBytes);
  closeSync(fd);
  return { path: bigPath, bytes: hb.length + dataBytes, tensors: big.length };
}

/** One decode case: [label, tensor to read, first stored byte in the file, stored bytes, decoded float32 elements]. */
export type DecodeCase = [label: string, tensor: string, start: number, bytes: number, elements: number];

/** Stored bytes per decode case. */
export const CASE_BYTES = 64 * MiB;

/**
 * The decode file: F32, BF16, F8_E4M3 and gpt-oss MXFP4 (blocks + scales),
 * CASE_BYTES of random codes each (F32: finite values; scales: codes 110…139).
 * The MXFP4 case's tensor is the logical name the reader lists for the pair.
 */
export function writeSmallFile(dir: string): { path: string; cases: DecodeCase[] } {
  const n = CASE_BYTES;
  const nb = n / 16; // MXFP4: 16 bytes (32 elements) per block
  const small: Entry[] = [
    { name: 'f32', dtype: 'F32', shape: [4096, 4096], bytes: n },
    { name: 'bf16', dtype: 'BF16', shape: [4096, 8192], bytes: n },
    { name: 'f8', dtype: 'F8_E4M3', shape: [8192, 8192], bytes: n },
    { name: 'experts.w_blocks', dtype: 'U8', shape: [4096, nb / 4096, 16], bytes: n },
    { name: 'experts.w_scales', dtype: 'U8', shape: [4096, nb / 4096], bytes: nb },
  ];
  const [sh, sData] = header(small);
  const body = new Uint8Array(sh.length + sData);
  body.set(sh, 0);
  let off = sh.length;
  for (const [k, e] of small.entries()) {
    const bytes = randomBytes(e.bytes, 11 + k);
    if (e.dtype === 'F32') {
      const f = new Float32Array(bytes.buffer);
      for (let i = 0; i < f.length; i++) if (!Number.isFinite(f[i])) f[i] = 0;
    }
    if (e.name.endsWith('_scales')) for (let i = 0; i < bytes.length; i++) bytes[i] = 110 + (bytes[i] % 30);
    body.set(bytes, off);
    off += e.bytes;
  }
  const smallPath = path.join(dir, 'small.safetensors');
  const fd2 = openSync(smallPath, 'w');
  writeSync(fd2, body);
  closeSync(fd2);
  return {
    path: smallPath,
    cases: [
      ['F32', 'f32', sh.length, n, n / 4],
      ['BF16', 'bf16', sh.length + n, n, n / 2],
      ['F8_E4M3', 'f8', sh.length + 2 * n, n, n],
      ['MXFP4 packed (+ scales)', 'experts.w', sh.length + 3 * n, n + nb, 2 * n],
    ],
  };
}

export async function benchIo(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qs-bench-io-'));
  try {
    const big = writeBigFile(dir);
    const rss0 = rssMB();
    const t0 = performance.now();
    const file = await openTensorFile([blobSource(await openAsBlob(big.path), 'big.safetensors')]);
    const listMs = performance.now() - t0;
    console.log(`\nio: header listing of a ${(big.bytes / 1e9).toFixed(2)} GB safetensors file (${file.tensors.length} tensors): ${listMs.toFixed(1)} ms, memory growth ${(rssMB() - rss0).toFixed(1)} MB (target < 1 s, < 50 MB)`);
    await file.close();

    // 2. decode throughput
    const { path: smallPath, cases } = writeSmallFile(dir);
    const blob = await openAsBlob(smallPath);
    const tf = await openTensorFile([blobSource(blob, 'small.safetensors')]);
    // the same Blob with stream(): readChunked's BYOB path (one stream per tensor into a reused chunk buffer)
    const tfs = await openTensorFile([{ ...blobSource(blob, 'small.safetensors'), stream: (o: number, n: number) => blob.slice(o, o + n).stream() }]);
    const mx = tf.tensors.find((t) => t.packed?.kind === 'mxfp4');
    if (mx?.name !== cases[3][1]) throw new Error(`the MXFP4 pair is listed as ${mx?.name}, not ${cases[3][1]}`);
    for (const [label, name, start, bytes, elements] of cases) {
      // raw and decode alternate, so both see the same machine load; best of each, and the range of per-round ratios
      // and a floor: allocating and writing the float32 output alone (page faults), no read, no decode
      let rawMs = Infinity, decMs = Infinity, outMs = Infinity, strMs = Infinity;
      const ratios: number[] = [];
      const strRatios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const r = await timed(async () => { await blob.slice(start, start + bytes).arrayBuffer(); });
        const d = await timed(async () => { await tf.read(name); });
        const sd = await timed(async () => { await tfs.read(name); });
        strMs = Math.min(strMs, sd);
        strRatios.push(r / sd);
        outMs = Math.min(outMs, await timed(async () => { new Float32Array(elements).fill(1); }));
        rawMs = Math.min(rawMs, r);
        decMs = Math.min(decMs, d);
        ratios.push(r / d);
      }
      const raw = bytes / 1e6 / (rawMs / 1e3);
      const dec = bytes / 1e6 / (decMs / 1e3);
      const outMBs = (elements * 4) / 1e6 / (decMs / 1e3);
      console.log(`  ${label.padEnd(24)} read+decode ${dec.toFixed(0).padStart(5)} MB/s stored (${outMBs.toFixed(0)} MB/s of float32 out), raw blob.slice().arrayBuffer() ${raw.toFixed(0).padStart(5)} MB/s: ratio ${(dec / raw).toFixed(2)} (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; target ≥ 0.5); writing the ${((elements * 4) / MiB).toFixed(0)} MiB output alone ${outMs.toFixed(0)} ms = ratio ≤ ${(rawMs / outMs).toFixed(2)}`);
      console.log(`    source with stream() (BYOB, one stream per tensor): ${(bytes / 1e6 / (strMs / 1e3)).toFixed(0)} MB/s stored, ratio ${(rawMs / strMs).toFixed(2)} (rounds ${Math.min(...strRatios).toFixed(2)}–${Math.max(...strRatios).toFixed(2)})`);
    }
    await tf.close();
    await tfs.close();
    console.log(`  peak resident memory of this process: ${peakMB().toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ROUNDS = 5;

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchIo().catch((e) => {
    console.error(`bench io failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
