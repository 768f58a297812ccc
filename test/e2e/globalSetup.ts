/**
 * e2e global setup: serve the app with Vite's dev server on a free localhost
 * port and hand its URL to the tests (`inject('baseURL')`).
 */
import { createServer, type ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';

let server: ViteDevServer | undefined;

export default async function setup(project: TestProject) {
  server = await createServer({
    configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
    logLevel: 'error',
    server: {
      host: '127.0.0.1', port: 0, strictPort: false, hmr: false,
      // transform the app and worker graphs before the first test, so a cold dependency scan cannot time a test out
      warmup: { clientFiles: ['./src/main.tsx', './workers/engine.worker.ts'] },
    },
  });
  await server.listen();
  await Promise.all([server.warmupRequest('/src/main.tsx'), server.warmupRequest('/workers/engine.worker.ts')]);
  const addr = server.httpServer?.address();
  if (!addr || typeof addr === 'string') throw new Error('vite did not report a port');
  project.provide('baseURL', `http://127.0.0.1:${addr.port}/`);
  return async () => {
    await server?.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}
