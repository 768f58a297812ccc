/**
 * The BUILT site, offline: `vite build` into a temp folder, served by a tiny
 * static server from a subfolder (/class/quantscope/) on 127.0.0.1. First
 * visit: the app works, the service worker installs and takes control, no
 * request leaves localhost. Then the server is shut down and the browser set
 * offline: a reload, and a different lesson link, still work from the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectClean, launch, openPage, screenshot, waitForMetrics } from './browser.ts';
import { LESSONS, viewQuery } from '../../src/features/lessons/lessons.ts';

const PREFIX = '/class/quantscope/';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};

let outDir: string;
let server: Server;
let origin: string;
let browser: Browser;
const served: string[] = [];

function serve(root: string): Promise<Server> {
  const s = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    served.push(url.pathname);
    if (!url.pathname.startsWith(PREFIX)) {
      res.writeHead(404).end('not here');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(PREFIX.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'quantscope-build-'));
  // vitest runs with NODE_ENV=test, which would make a non-production build (no service worker)
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.resolve(import.meta.dirname, '../../vite.config.ts'),
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  server = await serve(outDir);
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  origin = `http://127.0.0.1:${addr.port}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the built site', () => {
  it('has a manifest, icons and a service worker that lists every built file', () => {
    const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.webmanifest'), 'utf8'));
    expect(manifest.start_url).toBe('./');
    expect(manifest.display).toBe('standalone');
    for (const icon of manifest.icons) expect(statSync(path.join(outDir, icon.src)).size).toBeGreaterThan(100);
    const sw = readFileSync(path.join(outDir, 'sw.js'), 'utf8');
    expect(sw).toMatch(/const PRECACHE = \[/);
    expect(sw).toContain('"index.html"');
    expect(sw).toMatch(/assets\/index-[\w-]+\.js/);
    expect(sw).toMatch(/assets\/engine\.worker-[\w-]+\.js/);
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    // relative URLs only: works from any folder
    expect(html).not.toMatch(/(src|href)="\//);
    expect(html).toContain('href="./manifest.webmanifest"');
  });

  it('works from a subfolder, installs the service worker, then reloads offline from the cache', async () => {
    const p = await openPage(browser);
    const lesson = LESSONS[1];
    await p.page.goto(`${origin}${PREFIX}${viewQuery(lesson.view)}`);
    await expect.poll(() => p.page.locator('h1').innerText()).toBe('quantscope');
    const online = await waitForMetrics(p.page);
    expect(online.length).toBe(lesson.view.formats!.length);
    // the service worker is installed and controls the page
    await p.page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await expect.poll(() => p.page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
    const cached = await p.page.evaluate(async () => {
      const keys = await caches.keys();
      const c = await caches.open(keys.find((k) => k.startsWith('quantscope-'))!);
      return (await c.keys()).map((r) => new URL(r.url).pathname);
    });
    expect(cached).toContain(`${PREFIX}index.html`);
    expect(cached.some((u) => /engine\.worker-/.test(u))).toBe(true);
    expect(served.every((u) => u.startsWith(PREFIX))).toBe(true);

    // offline: no server at all, and the browser offline too
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await p.context.setOffline(true);
    const before = served.length;
    await p.page.reload();
    await expect.poll(() => p.page.locator('h1').innerText()).toBe('quantscope');
    const offline = await waitForMetrics(p.page);
    expect(offline).toEqual(online);
    await expect.poll(() => p.page.locator('.lessons').getAttribute('data-lesson')).toBe(lesson.id);
    // another lesson link (a different query string) also opens offline
    await p.page.goto(`${origin}${PREFIX}${viewQuery(LESSONS[0].view)}`);
    await waitForMetrics(p.page);
    await expect.poll(() => p.page.locator('.lessons').getAttribute('data-lesson')).toBe(LESSONS[0].id);
    expect(served.length).toBe(before);
    await screenshot(p.page, 'offline-reload-1280');
    expectClean(p);
    await p.context.close();
  });
});
