/**
 * Page half of bench/ioBrowser.ts: hands the File picked into `#<input>` to
 * the bench worker and resolves with the worker's reply. Exposed as
 * window.__ioBench(inputId, request) for page.evaluate.
 */
import type { BenchReply, BenchRequest } from './worker.ts';

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

function ask(file: File, req: BenchRequest): Promise<BenchReply> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<BenchReply | { error: string }>) => {
      if ('error' in e.data) reject(new Error(e.data.error));
      else resolve(e.data);
    };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage({ file, req });
  });
}

(window as unknown as { __ioBench: unknown }).__ioBench = (inputId: string, req: BenchRequest): Promise<BenchReply> => {
  const file = (document.getElementById(inputId) as HTMLInputElement).files?.[0];
  if (!file) throw new Error(`no file in #${inputId}`);
  return ask(file, req);
};
(window as unknown as { __ioBenchReady: boolean }).__ioBenchReady = true;
