/**
 * Worker half of bench/ioBrowser.ts (the app's readers run in workers too).
 * Requests carry a disk-backed File (structured clone keeps it a reference
 * to the file, no copy). Times are performance.now() differences in ms.
 *  - 'list': openTensorFile on the File (header listing only);
 *  - 'case': for `rounds` rounds, alternately (a) file.slice(start, start +
 *    bytes).arrayBuffer() and (b) tf.read(tensor) of the file opened once
 *    with openTensorFile([blobSource(file)]) and (c) the same tf.read with
 *    the chunk reads made by a second worker (reader.ts) and transferred:
 *    a design the app does not use, timed to show what moving the reads'
 *    arrival off the decoding thread is worth, and (d) the same tf.read
 *    from blobSource(file) plus stream() (readChunked's BYOB path, one
 *    stream per tensor into a reused chunk buffer); then one read through a
 *    source that records each chunk read's issue and arrival times;
 *  - 'decodeOnly': the same tf.read from the whole file's bytes already in
 *    memory (memorySource): decoding with no File read, `rounds` times,
 *    alternating with allocating and writing a float32 array of the decoded
 *    size alone (the page faults of the output, a floor for any decoder).
 */
import { blobSource, memorySource, openTensorFile, type ByteSource } from '../../src/core/io/index.ts';

export type BenchRequest =
  | { op: 'list' }
  | { op: 'case'; tensor: string; start: number; bytes: number; rounds: number }
  | { op: 'decodeOnly'; tensor: string; rounds: number; elements: number };

export type BenchReply =
  | { op: 'list'; ms: number; tensors: number }
  | {
    op: 'case'; raw: number[]; read: number[];
    /** tf.read with the chunk reads in a second worker (not how the app reads) */
    splitRead: number[];
    /** tf.read from a source with stream(): one BYOB stream read per tensor */
    streamedRead: number[];
    /** per chunk read of the traced tf.read: [issued, arrived] relative to the read's start, ms */
    chunks: [number, number][];
    /** the traced tf.read alone (header already read), ms */
    tracedMs: number;
  }
  | { op: 'decodeOnly'; ms: number[]; outputMs: number[] };

const now = () => performance.now();

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = now();
  await fn();
  return now() - t0;
}

/** blobSource plus stream(): readChunked's BYOB path (bench/io.ts builds the same in Node). */
const streamedSource = (file: File): ByteSource => ({
  ...blobSource(file, file.name),
  stream: (offset, length) => file.slice(offset, offset + length).stream(),
});

/** A ByteSource whose reads run in a second worker (reader.ts) and arrive as transferred buffers. */
function splitSource(file: File): ByteSource & { close(): Promise<void> } {
  const reader = new Worker(new URL('./reader.ts', import.meta.url), { type: 'module' });
  reader.postMessage({ file });
  const waiting = new Map<number, (b: Uint8Array) => void>();
  let nextId = 0;
  reader.onmessage = (e: MessageEvent<{ id: number; buffer: ArrayBuffer }>) => {
    waiting.get(e.data.id)?.(new Uint8Array(e.data.buffer));
    waiting.delete(e.data.id);
  };
  return {
    size: file.size,
    name: file.name,
    read: (offset, length) => new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      reader.postMessage({ id, offset, length });
    }),
    close: async () => reader.terminate(),
  };
}

function traced(src: ByteSource, log: [number, number][], t0: () => number): ByteSource {
  return {
    size: src.size,
    name: src.name,
    read: async (offset, length) => {
      const issued = now() - t0();
      const b = await src.read(offset, length);
      log.push([issued, now() - t0()]);
      return b;
    },
  };
}

async function run(file: File, req: BenchRequest): Promise<BenchReply> {
  if (req.op === 'list') {
    const t0 = now();
    const tf = await openTensorFile([blobSource(file, file.name)]);
    const ms = now() - t0;
    const tensors = tf.tensors.length;
    await tf.close();
    return { op: 'list', ms, tensors };
  }
  if (req.op === 'decodeOnly') {
    const tf = await openTensorFile([memorySource(new Uint8Array(await file.arrayBuffer()), file.name)]);
    const ms: number[] = [];
    const outputMs: number[] = [];
    for (let r = 0; r < req.rounds; r++) {
      ms.push(await timed(() => tf.read(req.tensor)));
      outputMs.push(await timed(async () => { new Float32Array(req.elements).fill(1); }));
    }
    await tf.close();
    return { op: 'decodeOnly', ms, outputMs };
  }
  const opened = await openTensorFile([blobSource(file, file.name)]);
  const split = await openTensorFile([splitSource(file)]);
  const streamed = await openTensorFile([streamedSource(file)]);
  const raw: number[] = [];
  const read: number[] = [];
  const splitRead: number[] = [];
  const streamedRead: number[] = [];
  for (let r = 0; r < req.rounds; r++) {
    raw.push(await timed(() => file.slice(req.start, req.start + req.bytes).arrayBuffer()));
    read.push(await timed(() => opened.read(req.tensor)));
    splitRead.push(await timed(() => split.read(req.tensor)));
    streamedRead.push(await timed(() => streamed.read(req.tensor)));
  }
  await streamed.close();
  await opened.close();
  await split.close();
  const chunks: [number, number][] = [];
  let start = 0;
  const tf = await openTensorFile([traced(blobSource(file, file.name), chunks, () => start)]);
  chunks.length = 0; // the header reads
  start = now();
  await tf.read(req.tensor);
  const tracedMs = now() - start;
  await tf.close();
  return { op: 'case', raw, read, splitRead, streamedRead, chunks, tracedMs };
}

self.onmessage = (e: MessageEvent<{ file: File; req: BenchRequest }>) => {
  run(e.data.file, e.data.req).then(
    (reply) => self.postMessage(reply),
    (err: unknown) => self.postMessage({ error: String((err as Error)?.stack ?? err) }),
  );
};
