/**
 * Opening checkpoints in Chromium (issue 6): the 2-shard fixture through the
 * real file input (several files at once) and by a synthetic drag-and-drop,
 * the tensor browser lists it, picking a tensor analyses it, a corrupt file
 * gives a notice and keeps everything as it was, a packed release shows its
 * stored-scale statistics.
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

export function shardFiles(dir = path.join(FIXTURES, 'original')) {
  return readdirSync(dir).sort().map((name) => ({ name, mimeType: 'application/octet-stream', buffer: readFileSync(path.join(dir, name)) }));
}

/** Drops files on the page the way a browser does: a DataTransfer holding Files, dragenter/dragover/drop on `selector`. */
export async function dropFiles(page: Page, files: { name: string; buffer: Buffer }[], selector = 'main') {
  const payload = files.map((f) => ({ name: f.name, b64: f.buffer.toString('base64') }));
  await page.evaluate(({ payload, selector }) => {
    const dt = new DataTransfer();
    for (const f of payload) {
      const bin = atob(f.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name, { type: 'application/octet-stream' }));
    }
    const target = document.querySelector(selector)!;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, { payload, selector });
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Tensors in the checkpoint' });

describe('checkpoints', () => {
  it('opens a 2-shard checkpoint through the file input, lists it, analyses a picked tensor; a corrupt file keeps the view', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    await p.page.getByLabel('Open a tensor file…').setInputFiles(shardFiles());
    await expect.poll(() => grid(p.page).getByRole('row').count(), { timeout: 30_000 }).toBeGreaterThan(20);
    const summary = await p.page.getByLabel('checkpoint summary').innerText();
    expect(summary).toContain('model.safetensors.index.json + 2 shards');
    expect(summary).toContain('21 tensors');
    expect(p.page.url()).toContain('file=model.safetensors.index.json');
    // the scheduler picks a first 2-D tensor; now pick another one
    await grid(p.page).getByRole('row', { name: /model\.layers\.1\.mlp\.down_proj\.weight/ }).click();
    await expect.poll(() => p.page.getByLabel('Tensor statistics').innerText()).toMatch(/\[\d+, \d+\]/);
    await waitForMetrics(p.page);
    expect(decodeURIComponent(p.page.url())).toContain('tensor=model.layers.1.mlp.down_proj.weight');
    await expect.poll(() => grid(p.page).getByRole('row', { selected: true }).innerText()).toContain('down_proj');
    await screenshot(p.page, 'checkpoint-browser', '[data-panel="checkpoint"]');
    await screenshot(p.page, 'checkpoint-open');

    // keyboard: filter, arrow into the grid, Enter analyses
    await p.page.getByLabel('Filter tensors by name').fill('layers.0 q_proj');
    await expect.poll(() => grid(p.page).getByRole('row').count()).toBe(3); // header, group, one tensor
    await p.page.getByLabel('Filter tensors by name').press('ArrowDown');
    await p.page.keyboard.press('Enter');
    await expect.poll(() => decodeURIComponent(p.page.url())).toContain('tensor=model.layers.0.self_attn.q_proj.weight');
    await waitForMetrics(p.page);
    const before = await waitForMetrics(p.page);
    const urlBefore = p.page.url();

    // a corrupt file: one-sentence notice, the previous view stays
    const bad = Buffer.alloc(64, 0);
    bad.writeBigUInt64LE(10_000n, 0);
    await p.page.getByLabel('Open a tensor file…').setInputFiles({ name: 'broken.safetensors', mimeType: 'application/octet-stream', buffer: bad });
    const notice = p.page.getByRole('alert').filter({ hasText: 'could not be opened' });
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.innerText()).toMatch(/broken\.safetensors/);
    expect(p.page.url()).toBe(urlBefore);
    expect(await grid(p.page).getByRole('row', { selected: true }).innerText()).toContain('q_proj');
    expect(await waitForMetrics(p.page)).toEqual(before);
    await screenshot(p.page, 'checkpoint-corrupt-notice');
    expectClean(p);
    await p.context.close();
  });

  it('opens the shards by dropping them on the page', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    await dropFiles(p.page, shardFiles());
    await expect.poll(() => grid(p.page).getByRole('row').count(), { timeout: 30_000 }).toBeGreaterThan(20);
    expect(await p.page.getByLabel('checkpoint summary').innerText()).toContain('21 tensors');
    await waitForMetrics(p.page);
    expectClean(p);
    await p.context.close();
  });

  it('a slow tensor read shows bytes read with Cancel; cancelling goes back to the tensor on screen', async () => {
    // a small tensor and a 256 MB one, so the second read takes well over 100 ms
    const big = [8192, 8192];
    const header = { 'a.small': { dtype: 'F32', shape: [64, 64], data_offsets: [0, 16384] }, 'b.big': { dtype: 'F32', shape: big, data_offsets: [16384, 16384 + big[0] * big[1] * 4] } };
    let json = JSON.stringify(header);
    json += ' '.repeat((8 - (json.length % 8)) % 8);
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(BigInt(json.length));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'qs-read-')), 'slow.safetensors');
    const small = new Float32Array(64 * 64).map((_, i) => Math.sin(i));
    writeFileSync(file, Buffer.concat([head, Buffer.from(json, 'latin1'), Buffer.from(small.buffer), Buffer.alloc(big[0] * big[1] * 4, 0x3c)]));
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    await p.page.getByLabel('Open a tensor file…').setInputFiles(file);
    await expect.poll(() => decodeURIComponent(p.page.url()), { timeout: 30_000 }).toContain('tensor=a.small');
    const before = await waitForMetrics(p.page);
    await grid(p.page).getByRole('row', { name: /b\.big/ }).click();
    const progress = p.page.getByRole('button', { name: 'Cancel' });
    await expect.poll(() => progress.count(), { timeout: 10_000 }).toBe(1);
    expect(await p.page.locator('.read-progress').innerText()).toMatch(/Reading b\.big: [\d.]+ [KMG]?B of 268\.44 MB/);
    await screenshot(p.page, 'checkpoint-read-progress', '[data-panel="checkpoint"]');
    await progress.click();
    await expect.poll(() => decodeURIComponent(p.page.url())).toContain('tensor=a.small');
    expect(await waitForMetrics(p.page)).toEqual(before);
    expect(await p.page.locator('.read-progress').count()).toBe(0);
    expectClean(p);
    await p.context.close();
  });

  it('opens a checkpoint folder through the folder input (webkitdirectory)', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    await p.page.getByLabel('Open a folder…').setInputFiles(path.join(FIXTURES, 'original'));
    await expect.poll(() => grid(p.page).getByRole('row').count(), { timeout: 30_000 }).toBeGreaterThan(20);
    expect(await p.page.getByLabel('checkpoint summary').innerText()).toContain('model.safetensors.index.json + 2 shards');
    await waitForMetrics(p.page);
    expectClean(p);
    await p.context.close();
  });

  it('shows a packed MXFP4 tensor with its stored-scale distribution', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    await p.page.getByLabel('Open a tensor file…').setInputFiles(shardFiles(path.join(FIXTURES, 'mxfp4')));
    await expect.poll(() => grid(p.page).getByRole('row').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    const packedRow = grid(p.page).getByRole('row', { name: /packed mxfp4/ }).first();
    await packedRow.click();
    const stats = p.page.getByLabel('stored scale statistics');
    await expect.poll(() => stats.count(), { timeout: 30_000 }).toBe(1);
    expect(await stats.innerText()).toMatch(/of elements are stored at the format's largest code/);
    expect(await stats.innerText()).toMatch(/E8M0 scale exponents over \d+ blocks/);
    await waitForMetrics(p.page);
    await screenshot(p.page, 'checkpoint-packed', '[data-panel="checkpoint"]');
    expectClean(p);
    await p.context.close();
  });
});
