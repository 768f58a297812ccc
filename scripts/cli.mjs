#!/usr/bin/env node
/**
 * Entry of `npm run cli`: runs the quantscope CLI (src/cli/main.ts) from a
 * single-file bundle in .cache/cli/, built with esbuild on first use and
 * rebuilt whenever a file under src/ is newer than it. Loading ~100
 * TypeScript modules through tsx on every run cost ~0.4–0.8 s of a 1 s
 * end-to-end job; the bundle starts like any plain node script.
 * The bundle is written to a temporary name and renamed, so concurrent first
 * runs (the CLI tests) never see half a file.
 */
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, '.cache/cli/quantscope.mjs');

/** newest modification time (ms) of the files under dir */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestMtime(path.join(root, 'src'));
  } catch {
    return false;
  }
}

if (!bundleIsFresh()) {
  const { buildSync } = await import('esbuild');
  mkdirSync(path.dirname(bundle), { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  buildSync({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  renameSync(tmp, bundle);
}
await import(pathToFileURL(bundle).href);
