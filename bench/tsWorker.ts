import { Worker } from 'node:worker_threads';

/**
 * A worker_threads Worker running a .ts module: registers tsx's loader inside
 * the worker first (Node 20 workers do not accept `--import tsx` in execArgv).
 */
export function tsWorker(moduleUrl: string): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); });`, { eval: true });
}
