/**
 * Issue 9 in Chromium: AWQ, SVDQuant, SmoothQuant and Hadamard on the default
 * sample pair (activation + weight, seed 0) — curves, tables and heatmaps
 * appear with no console errors; cancel stops and resume finishes; the
 * settings live in the URL. Size 256 keeps the ~250 worker points quick on a
 * 2-core runner (at 1024 each point is one 1024³ matmul).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectClean, launch, openPage, screenshot } from './browser.ts';

const base = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const panel = (page: Page) => page.locator('section.panel[data-panel="methods"]');

async function waitAllPoints(page: Page, timeout = 240_000) {
  await expect.poll(() => panel(page).getByRole('status').filter({ hasText: /^All \d+ points computed/ }).count(), { timeout, interval: 500 }).toBe(1);
}

describe('methods panel in Chromium', () => {
  it('shows the three methods on the default sample pair', async () => {
    const p = await openPage(browser);
    await p.page.goto(`${base}?size=256`);
    const m = panel(p.page);
    await m.scrollIntoViewIfNeeded();
    await m.getByRole('button', { name: 'Compare methods on this pair' }).click();
    await waitAllPoints(p.page);
    // comparison table: 5 methods × 4 formats, every SQNR in
    const cells = await m.locator('[data-testid^="methods-sqnr-"]').allInnerTexts();
    expect(cells).toHaveLength(20);
    for (const c of cells) expect(c).toMatch(/^-?\d+\.\d\d$/);
    // AWQ: α curve, scale scatter, W4A16 table; SVDQuant: spectrum, rank curve, heatmaps
    await expect.poll(() => m.getByRole('img', { name: /AWQ matmul error versus α/ }).count()).toBe(1);
    await expect.poll(() => m.getByRole('img', { name: /per-channel scale versus activation channel magnitude/ }).count()).toBe(1);
    await expect.poll(() => m.getByRole('img', { name: /Singular value spectrum/ }).count()).toBe(1);
    await expect.poll(() => m.getByRole('img', { name: /SVDQuant W4A4 matmul SQNR versus rank/ }).count()).toBe(1);
    const w4 = await m.getByRole('table', { name: /Weight-only \(W4A16\)/ }).innerText();
    expect(w4).not.toContain('…');
    expect(await m.innerText()).toMatch(/costs [\d,]+ bytes/);
    await screenshot(p.page, 'methods-panel', 'section.panel[data-panel="methods"]');
    await screenshot(p.page, 'methods-table', 'section[aria-label="Methods comparison"]');
    await screenshot(p.page, 'methods-awq', 'section[aria-label="AWQ"]');
    await screenshot(p.page, 'methods-svdquant', 'section[aria-label="SVDQuant"]');
    expectClean(p);
    await p.context.close();
  }, 300_000);

  it('transform=svdquant:16:0.5 drives the panel; the rank slider writes the URL; cancel and resume', async () => {
    const p = await openPage(browser);
    await p.page.goto(`${base}?size=256&transform=svdquant:16`);
    const m = panel(p.page);
    await expect.poll(() => m.getByRole('button', { name: 'Cancel' }).count(), { timeout: 60_000 }).toBe(1);
    await m.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => m.getByRole('status').filter({ hasText: /^Cancelled at/ }).count()).toBe(1);
    await m.getByRole('button', { name: 'Resume' }).click();
    await waitAllPoints(p.page);
    expect(await m.getByRole('table', { name: /Methods on the pair/ }).innerText()).toContain('svdquant:16');
    const slider = m.getByRole('slider', { name: /SVDQuant rank/ });
    expect(await slider.inputValue()).toBe('16');
    await slider.focus();
    for (let i = 0; i < 8; i++) await p.page.keyboard.press('ArrowLeft');
    await expect.poll(() => p.page.url()).toContain('transform=svdquant:8');
    await waitAllPoints(p.page);
    expect(await m.getByRole('table', { name: /Methods on the pair/ }).innerText()).toContain('svdquant:8');
    expectClean(p);
    await p.context.close();
  }, 300_000);
});
