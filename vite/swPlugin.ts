/**
 * Vite plugin: after `vite build`, write `sw.js` into the output folder with
 * the list of every built file (paths relative to the site root, so the site
 * works from any folder) and a version hash of their contents. The worker body
 * is src/app/offline/sw.js. Dev server: nothing (the app registers the worker
 * only in production builds).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

const SW_FILE = 'sw.js';
const SW_SOURCE = path.resolve(import.meta.dirname, '../src/app/offline/sw.js');

function listFiles(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, root));
    else out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}

/** The service worker text for the files in `outDir` (exported for tests). */
export function serviceWorkerFor(outDir: string): { text: string; files: string[]; version: string } {
  const files = listFiles(outDir).filter((f) => f !== SW_FILE && !f.endsWith('.map'));
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(path.join(outDir, f)));
  const version = hash.digest('hex').slice(0, 16);
  const text = `const VERSION = ${JSON.stringify(version)};\nconst PRECACHE = ${JSON.stringify(files, null, 1)};\n${readFileSync(SW_SOURCE, 'utf8')}`;
  return { text, files, version };
}

export function swPlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'quantscope-sw',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    closeBundle: {
      order: 'post',
      handler() {
        const outDir = path.resolve(config.root, config.build.outDir);
        if (config.build.ssr || !statSync(path.join(outDir, 'index.html'), { throwIfNoEntry: false })) return;
        writeFileSync(path.join(outDir, SW_FILE), serviceWorkerFor(outDir).text);
      },
    },
  };
}
