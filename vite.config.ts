/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { swPlugin } from './vite/swPlugin.ts';

// base './' so the built site works from any static server or subfolder.
export default defineConfig({
  base: './',
  plugins: [react(), swPlugin()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // a real browser under a loaded CI machine: polls get 15 s to see the expected value (default 1 s)
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
