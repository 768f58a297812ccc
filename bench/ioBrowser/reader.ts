/**
 * Bench-only chunk reader for worker.ts's 'split' timing: holds one File and
 * answers { id, offset, length } with { id, buffer } = file.slice(offset,
 * offset + length).arrayBuffer(), the buffer transferred (not copied), so the
 * bytes arrive and page in on this thread, not the decoding one.
 */
let file: File | undefined;
self.onmessage = (e: MessageEvent<{ file: File } | { id: number; offset: number; length: number }>) => {
  const m = e.data;
  if ('file' in m) { file = m.file; return; }
  void file!.slice(m.offset, m.offset + m.length).arrayBuffer().then((buffer) => {
    (self as unknown as Worker).postMessage({ id: m.id, buffer }, [buffer]);
  });
};
