import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectClean, launch, openPage, screenshot, waitForMetrics } from './browser.ts';

const base = inject('baseURL');
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A float32 .npy file (format 1.0) with a seeded pattern and one outlier column. */
function npyBytes(rows: number, cols: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = header + ' '.repeat(pad) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * (i % cols === 5 ? 60 : 1);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]);
}

describe('files', () => {
  it('opens a .npy file in the worker, and a link to it asks for the file', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    await p.page.getByLabel('Open a tensor file…').setInputFiles({ name: 'act.npy', mimeType: 'application/octet-stream', buffer: npyBytes(64, 256) });
    await expect.poll(() => p.page.getByLabel('Tensor statistics').innerText()).toContain('[64, 256]');
    await waitForMetrics(p.page);
    expect(p.page.url()).toContain('file=act.npy:');
    const link = p.page.url();
    await screenshot(p.page, 'file-open');

    const q = await openPage(browser);
    await q.page.goto(link);
    await expect.poll(() => q.page.getByRole('status').filter({ hasText: 'open "act.npy"' }).count()).toBe(1);
    await q.page.getByLabel('Open a tensor file…').setInputFiles({ name: 'act.npy', mimeType: 'application/octet-stream', buffer: npyBytes(64, 256) });
    await expect.poll(() => q.page.getByLabel('Tensor statistics').innerText()).toContain('[64, 256]');
    expect(await waitForMetrics(q.page)).toEqual(await waitForMetrics(p.page));
    expectClean(p);
    expectClean(q);
    await p.context.close();
    await q.context.close();
  });

  it('a file whose only tensor has no elements is refused in one sentence and the view stays', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    const before = await waitForMetrics(p.page);
    const url = p.page.url();
    await p.page.getByLabel('Open a tensor file…').setInputFiles({ name: 'empty.npy', mimeType: 'application/octet-stream', buffer: npyBytes(0, 5) });
    const notice = p.page.getByRole('alert').filter({ hasText: 'could not be opened' });
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.innerText()).toContain('The only tensor of empty.npy, empty [0, 5], cannot be analysed (no elements).');
    expect(p.page.url()).toBe(url);
    expect(await waitForMetrics(p.page)).toEqual(before);
    await screenshot(p.page, 'file-empty-tensor');
    expectClean(p);
    await p.context.close();
  });
});
