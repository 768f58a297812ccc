/**
 * Real headless Chromium (Debian's /usr/bin/chromium) via playwright-core.
 * `openPage` returns a page that records console errors, page errors, dialogs
 * and any request to a host other than localhost (which it blocks);
 * `expectClean` fails the test when any were seen.
 * chromium.launch runs each browser in a fresh temporary profile directory.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export const CHROMIUM = process.env.QUANTSCOPE_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-output/screenshots');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

export interface CheckedPage {
  page: Page;
  context: BrowserContext;
  problems: string[];
}

const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function openPage(browser: Browser, opts: { clipboard?: boolean } = {}): Promise<CheckedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (opts.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL.has(url.hostname)) return route.continue();
    problems.push(`non-local request: ${url.href}`);
    return route.abort();
  });
  return { page, context, problems };
}

export function expectClean(p: CheckedPage): void {
  expect(p.problems).toEqual([]);
}

export async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  if (selector) await page.locator(selector).first().screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: true });
}

/** Waits until every compared format shows an SQNR (not the "…" placeholder) and nothing is recomputing. */
export async function waitForMetrics(page: Page): Promise<string[]> {
  await page.waitForFunction(
    () => {
      const cells = [...document.querySelectorAll('[data-testid^="sqnr-"]')];
      return cells.length > 0 && cells.every((c) => c.textContent !== '…' && !c.classList.contains('stale'))
        && !document.querySelector('.stale, [aria-busy="true"]');
    },
    undefined,
    { timeout: 60_000 },
  );
  return page.locator('[data-testid^="sqnr-"]').allInnerTexts();
}
