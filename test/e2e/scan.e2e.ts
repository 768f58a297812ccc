/**
 * The whole-model view in Chromium (issue 7): scan the 2-shard fixture, rows
 * fill the layer × format table; a bigger generated checkpoint is cancelled
 * mid-scan and keeps its rows; a cell click opens that tensor in the analysis
 * view; the recommendation follows the bits slider (in the URL); the MXFP4
 * release of the fixture is diffed against it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectClean, launch, openPage, screenshot, waitForMetrics } from './browser.ts';

const base = inject('baseURL');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/model');
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

function dirFiles(dir: string) {
  return readdirSync(dir).sort().map((name) => ({ name, mimeType: 'application/octet-stream', buffer: readFileSync(path.join(dir, name)) }));
}

/** A float32 safetensors file of `layers` blocks with 4 [n, n] seeded tensors each (big enough to cancel mid-scan). */
function bigSafetensors(layers: number, n: number): Buffer {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const names: string[] = [];
  for (let l = 0; l < layers; l++) for (const m of ['self_attn.q_proj', 'self_attn.o_proj', 'mlp.up_proj', 'mlp.down_proj']) names.push(`model.layers.${l}.${m}.weight`);
  const bytes = n * n * 4;
  names.forEach((name, i) => { header[name] = { dtype: 'F32', shape: [n, n], data_offsets: [i * bytes, (i + 1) * bytes] }; });
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(json.length));
  const data = new Float32Array(names.length * n * n);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = ((s / 2 ** 32) - 0.5) * (i % 97 === 0 ? 40 : 1);
  }
  return Buffer.concat([head, Buffer.from(json, 'latin1'), Buffer.from(data.buffer)]);
}

const scanTable = (page: Page) => page.getByRole('table', { name: /SQNR \(dB\) per \w+ and format/ });
const bodyRows = (page: Page) => scanTable(page).locator('tbody tr');

describe('whole-model scan', () => {
  it('scans the sharded fixture, opens a cell in the analysis view, recommends under the bits slider, diffs the MXFP4 release', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    await p.page.getByLabel('Open a tensor file…').setInputFiles(dirFiles(path.join(FIXTURES, 'original')));
    await expect.poll(() => p.page.getByRole('button', { name: 'Scan model' }).count(), { timeout: 30_000 }).toBe(1);
    await p.page.getByRole('button', { name: 'Scan the whole model ↓' }).click();
    await expect.poll(() => p.page.evaluate(() => document.activeElement?.id)).toBe('model-scan-title');
    await p.page.getByRole('button', { name: 'Scan model' }).click();
    await expect.poll(() => p.page.getByRole('status').filter({ hasText: /^Done in/ }).count(), { timeout: 60_000 }).toBe(1);
    // 21 tensors, all floating: one row each, one column per default variant
    expect(await bodyRows(p.page).count()).toBe(21);
    const heads = await scanTable(p.page).locator('thead th').allInnerTexts();
    expect(heads.slice(1)).toEqual(['int8', 'fp8_e4m3', 'mxfp4', 'nvfp4', 'int4@group:128']);
    await p.page.getByLabel('Group by', { exact: true }).selectOption('layer');
    // layer 0, layer 1, then the tensors outside the blocks by family (embeddings + lm_head, norms)
    await expect.poll(() => scanTable(p.page).locator('tbody th').allInnerTexts()).toEqual(['layer 0', 'layer 1', 'embeddings', 'norms']);
    await screenshot(p.page, 'scan-by-layer', '[data-panel="model-scan"]');
    await p.page.getByLabel('Group by', { exact: true }).selectOption('tensor');

    // click-through: the cell of one tensor and variant opens it in the analysis view
    await scanTable(p.page).getByRole('button', { name: /^open model\.layers\.1\.mlp\.down_proj\.weight with int4@group:128 / }).click();
    await expect.poll(() => decodeURIComponent(p.page.url())).toContain('tensor=model.layers.1.mlp.down_proj.weight');
    await waitForMetrics(p.page);
    expect(await p.page.locator('[data-panel="metrics"]').innerText()).toContain('model.layers.1.mlp.down_proj.weight [128, 192]');
    const url = decodeURIComponent(p.page.url());
    expect(url).toContain('format=int4&');
    expect(url).toContain('granularity=group:128');
    expect(await p.page.getByTestId('sqnr-int4').count()).toBe(1);

    // recommendation follows the bits slider and the bits go into the link
    const summary = p.page.getByLabel('recommendation summary');
    await expect.poll(() => summary.count(), { timeout: 30_000 }).toBe(1);
    const at45 = await summary.innerText();
    const slider = p.page.getByRole('slider', { name: /Target bits per element/ });
    await slider.focus();
    for (let i = 0; i < 8; i++) await slider.press('ArrowRight');
    await expect.poll(() => summary.innerText()).not.toBe(at45);
    await expect.poll(() => p.page.url()).toContain('bits=6.5');
    await screenshot(p.page, 'scan-done', '[data-panel="model-scan"]');

    // diff the MXFP4 release of the same weights
    await p.page.getByLabel('Open the release files…').setInputFiles(dirFiles(path.join(FIXTURES, 'mxfp4')));
    const diff = p.page.getByRole('table', { name: 'release error per tensor' });
    await expect.poll(() => diff.locator('tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(5);
    await expect.poll(() => p.page.getByRole('button', { name: 'Close the release' }).count(), { timeout: 60_000 }).toBe(1);
    expect(await diff.locator('tbody').innerText()).toMatch(/mxfp4/);
    await screenshot(p.page, 'scan-diff', '[data-panel="diff"]');
    expectClean(p);
    await p.context.close();
  });

  it('cancel stops the scan and keeps the rows so far', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    const big = path.join(mkdtempSync(path.join(tmpdir(), 'qs-scan-')), 'big.safetensors');
    writeFileSync(big, bigSafetensors(24, 512));
    await p.page.getByLabel('Open a tensor file…').setInputFiles(big);
    await expect.poll(() => p.page.getByRole('button', { name: 'Scan model' }).count(), { timeout: 30_000 }).toBe(1);
    await p.page.getByRole('button', { name: 'Scan model' }).click();
    await expect.poll(() => bodyRows(p.page).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    // cancel at once: a screenshot before the click let a quick machine finish the 96 tensors first
    await p.page.getByRole('button', { name: 'Cancel scan' }).click();
    const status = p.page.getByRole('status').filter({ hasText: /^Cancelled/ });
    await expect.poll(() => status.count()).toBe(1);
    // the workers stop after the tensor in hand; its rows (already computed) may still land, then nothing more
    let kept = -1;
    await expect.poll(async () => {
      const n = await bodyRows(p.page).count();
      const same = n === kept;
      kept = n;
      return same;
    }, { interval: 700 }).toBe(true);
    await p.page.waitForTimeout(1500);
    expect(await bodyRows(p.page).count()).toBe(kept);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(96);
    expect(await status.innerText()).toContain(`the ${kept} tensors scanned so far are kept`);
    // the recommendation works over what was scanned
    await expect.poll(() => p.page.getByLabel('recommendation summary').count(), { timeout: 30_000 }).toBe(1);
    await screenshot(p.page, 'scan-cancelled', '[data-panel="model-scan"]');
    expectClean(p);
    await p.context.close();
  });
});
