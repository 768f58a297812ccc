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
import { prepareTransform, quantizePrepared } from '../../src/core/pipeline/transformPrep.ts';
import { parseTransform } from '../../src/core/transforms/parse.ts';
import { quantize } from '../../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS, parseGranularity } from '../../src/core/quant/options.ts';
import { defaultConfig } from '../../src/state/config.ts';

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
  const text = await panel(page, 'outlier-heatmap').getByText(/Channel max\/median ratio:/).first().innerText();
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
    const n = Number(/^(\d+) outlier channels?/.exec(await list.innerText())?.[1] ?? 0);
    expect(n).toBeGreaterThanOrEqual(4);
    expect(await list.locator('li').count()).toBeGreaterThanOrEqual(4);
    // the sample's massive channels (20–200× the rest) head the list
    expect(await list.locator('li').first().innerText()).toMatch(/channel \d+: max \|x\| [0-9.]+/);
    for (const id of ['outlier-heatmap', 'error-heatmap', 'error-histogram', 'tradeoff', 'matmul']) {
      await settled(p.page, id);
      await panel(p.page, id).screenshot({ path: path.join(ROOT, `test-output/screenshots/analysis-${id}.png`) });
    }
    expectClean(p);
    await p.context.close();
  });

  it('SmoothQuant α=0.5 flattens the channels, lowers the INT8 error, and shows the CLI numbers', async () => {
    const p = await openPage(browser);
    await p.page.goto(`${base}?formats=int8,fp8_e4m3`);
    await waitForMetrics(p.page);
    const sqnr = async (id: string) => Number(/(-?[0-9.]+)/.exec(await p.page.getByTestId(`sqnr-${id}`).innerText())![1]);
    const int8Before = await sqnr('int8');
    const heat = panel(p.page, 'outlier-heatmap');
    await heat.getByLabel('Transform', { exact: true }).selectOption('smooth');
    await expect.poll(() => p.page.url()).toContain('transform=smooth');
    await waitForMetrics(p.page);
    await settled(p.page, 'outlier-heatmap');
    const [before, after] = await ratios(p.page);
    expect(after).toBeLessThan(before / 3);
    const int8After = await sqnr('int8');
    expect(int8After).toBeGreaterThan(int8Before);
    await expect.poll(() => heat.getByTestId('weight-ratio').innerText()).toMatch(/Weight channel max\/median/);
    await heat.screenshot({ path: path.join(ROOT, 'test-output/screenshots/analysis-smooth-heatmaps.png') });

    // the CLI on the same sample pair, same options
    const dir = mkdtempSync(path.join(tmpdir(), 'qs-analysis-'));
    try {
      const x = generateSample({ kind: 'activation', size: 1024, seed: 0 });
      const w = generateSample({ kind: 'weight', size: 1024, seed: 0 });
      writeFileSync(path.join(dir, 'x.npy'), writeNpyF32(x.shape, x.data));
      writeFileSync(path.join(dir, 'w.npy'), writeNpyF32(w.shape, w.data));
      for (const [id, shown] of [['int8', int8After], ['fp8_e4m3', await sqnr('fp8_e4m3')]] as const) {
        const out = execFileSync('node', ['--import', 'tsx', 'src/cli/main.ts', 'quantize', path.join(dir, 'x.npy'), '--weight', path.join(dir, 'w.npy'),
          '--format', id, '--transform', 'smooth', '--json'], { cwd: ROOT, encoding: 'utf8' });
        const cli = JSON.parse(out) as { transform: string; metrics: { sqnr_db: number } };
        expect(cli.transform).toBe('smooth');
        expect(shown.toFixed(2)).toBe(cli.metrics.sqnr_db.toFixed(2));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // the metrics table shows the same number
    await expect.poll(() => panel(p.page, 'metrics').locator('tbody tr', { hasText: 'INT8' }).locator('td').first().innerText()).toContain(int8After.toFixed(2));
    expectClean(p);
    await p.context.close();
  });

  it('a Hadamard view (G, zoom, colour scale, format) round-trips through a link', async () => {
    const a = await openPage(browser);
    await a.page.goto(`${base}?size=512`);
    await waitForMetrics(a.page);
    const heat = panel(a.page, 'outlier-heatmap');
    await heat.getByLabel('Transform', { exact: true }).selectOption('hadamard');
    await heat.getByLabel('Block size G').selectOption('128');
    await heat.getByRole('radio', { name: 'log |x|' }).check();
    await heat.getByRole('button', { name: /zoom in/i }).first().click();
    await panel(a.page, 'error-heatmap').getByLabel('Format of the error view').selectOption('int8');
    await panel(a.page, 'error-heatmap').getByRole('radio', { name: /relative to the cell's max \|x\|/ }).check();
    await heat.getByRole('checkbox', { name: 'log-scale bars' }).uncheck();
    await waitForMetrics(a.page);
    await settled(a.page, 'outlier-heatmap');
    await settled(a.page, 'error-heatmap');
    const link = a.page.url();
    expect(link).toMatch(/transform=hadamard:128/);
    expect(link).toMatch(/r0=\d+&r1=\d+&c0=\d+&c1=\d+&colour-scale=log&bar-scale=linear&error-mode=rel/);
    expect(await panel(a.page, 'error-heatmap').locator('h3').innerText()).toMatch(/INT8 \(row\): \(x̂ − x\) \/ max \|x\| of the cell/);

    // hover a cell of each side: the readout's x̂ per format is the core's value for the cell's largest element
    const formats = defaultConfig().formats; // the link sets none: the default comparison
    const x512 = generateSample({ kind: 'activation', size: 512, seed: 0 });
    const prep = prepareTransform(x512, undefined, parseTransform('hadamard:128'), 0);
    const quant = { ...DEFAULT_QUANT_OPTIONS, granularity: parseGranularity('row') };
    for (const [side, pos] of [['before', { x: 97, y: 61 }], ['after', { x: 203, y: 150 }]] as const) {
      await heat.getByRole('img', { name: new RegExp(`^\\|x\\| ${side === 'before' ? 'before' : 'after'}`) }).hover({ position: pos });
      const readout = heat.locator(`.element-readout[data-side="${side}"]`);
      await readout.waitFor({ timeout: 30_000 });
      const row = Number(await readout.getAttribute('data-row')), col = Number(await readout.getAttribute('data-col'));
      const k = row * 512 + col;
      // the element holds its cell's max: the readout's first line names it
      expect(await heat.locator('.hover-readout').innerText()).toContain(`${side}: row `);
      for (const f of formats) {
        const cell = readout.getByTestId(`probe-xhat-${f}`);
        const shown = Number(await cell.getAttribute('data-xhat'));
        const want = quantizePrepared(prep, 'x', f, quant).xhat[k];
        expect(shown, `${side} ${f} x̂[${row}, ${col}]`).toBe(want);
        if (Math.abs(want) >= 1e-3) expect((await cell.innerText()).replace('−', '-')).toBe(String(Number(want.toPrecision(5))));
        if (side === 'after') {
          const qp = Number(await readout.locator(`tr[data-format="${f}"] td[data-qprime]`).getAttribute('data-qprime'));
          expect(qp, `Q(x′) ${f}`).toBe(quantize(prep.xPrime, { ...quant, format: f }).xhat[k]);
        }
      }
    }
    await a.page.mouse.move(0, 0);
    // keyboard: focusing the before heatmap reads out its largest cell (the outlier), the same way
    await heat.getByRole('img', { name: /^\|x\| before/ }).focus();
    const focused = heat.locator('.element-readout[data-side="before"]');
    await focused.waitFor({ timeout: 30_000 });
    const fr = Number(await focused.getAttribute('data-row')), fc = Number(await focused.getAttribute('data-col'));
    expect(Math.abs(x512.data[fr * 512 + fc])).toBeGreaterThan(100); // the sample's massive channels
    expect(Number(await focused.getByTestId('probe-xhat-mxfp4').getAttribute('data-xhat'))).toBe(quantizePrepared(prep, 'x', 'mxfp4', quant).xhat[fr * 512 + fc]);
    await heat.screenshot({ path: path.join(ROOT, 'test-output/screenshots/analysis-hover-readout.png') });
    await a.page.keyboard.press('Tab');
    const ratioText = await heat.getByText(/Channel max\/median ratio:/).first().innerText();
    const sqnrA = await a.page.locator('[data-testid^="sqnr-"]').allInnerTexts();
    const captionA = await panel(a.page, 'error-heatmap').locator('figcaption').innerText();
    await heat.screenshot({ path: path.join(ROOT, 'test-output/screenshots/analysis-hadamard-zoom.png') });

    const b = await openPage(browser);
    await b.page.goto(link);
    await waitForMetrics(b.page);
    await settled(b.page, 'outlier-heatmap');
    await settled(b.page, 'error-heatmap');
    const heatB = panel(b.page, 'outlier-heatmap');
    expect(await heatB.getByLabel('Transform', { exact: true }).inputValue()).toBe('hadamard');
    expect(await heatB.getByLabel('Block size G').inputValue()).toBe('128');
    expect(await heatB.getByRole('radio', { name: 'log |x|' }).isChecked()).toBe(true);
    expect(await heatB.getByRole('checkbox', { name: 'log-scale bars' }).isChecked()).toBe(false);
    expect(await panel(b.page, 'error-heatmap').getByRole('radio', { name: /relative to the cell's max \|x\|/ }).isChecked()).toBe(true);
    expect(await heatB.getByText(/Channel max\/median ratio:/).first().innerText()).toBe(ratioText);
    expect(await b.page.locator('[data-testid^="sqnr-"]').allInnerTexts()).toEqual(sqnrA);
    expect(await panel(b.page, 'error-heatmap').locator('figcaption').innerText()).toBe(captionA);
    expect(await heatB.locator('figcaption').first().innerText()).toBe(await heat.locator('figcaption').first().innerText());
    expectClean(a);
    expectClean(b);
    await a.context.close();
    await b.context.close();
  });

  it('an invalid Hadamard G names the valid G; the last good result stays, dimmed', async () => {
    const p = await openPage(browser);
    await p.page.goto(`${base}?size=256&transform=hadamard:64`);
    await waitForMetrics(p.page);
    const table = panel(p.page, 'metrics').locator('table');
    const before = await table.innerText();
    const field = p.page.locator('aside.controls').getByLabel('Transform', { exact: true });
    await field.fill('hadamard:512');
    await field.press('Enter');
    await expect.poll(() => panel(p.page, 'metrics').getByRole('alert').first().innerText(), { timeout: 60_000 })
      .toBe('hadamard:512 needs a power-of-two block size that divides the last axis (256); valid: 1, 2, 4, …, 256');
    expect(await table.innerText()).toBe(before);
    expect(await panel(p.page, 'metrics').locator('.stale table').count()).toBe(1);
    await expect.poll(() => panel(p.page, 'outlier-heatmap').getByRole('alert').first().innerText()).toMatch(/valid: 1, 2, 4, …, 256/);
    await panel(p.page, 'outlier-heatmap').screenshot({ path: path.join(ROOT, 'test-output/screenshots/analysis-bad-g.png') });
    expectClean(p);
    await p.context.close();
  });

  it('outlier split, error-heatmap click → explorer block, LoRC with progress and cancel', async () => {
    const p = await openPage(browser);
    await p.page.goto(`${base}?size=256&formats=int8,int4&format=int4`);
    await waitForMetrics(p.page);
    const split = panel(p.page, 'outlier-split');
    await split.getByLabel(/Keep in bf16/).selectOption('0.999');
    await expect.poll(() => p.page.url()).toContain('outliers=0.999');
    await settled(p.page, 'outlier-split');
    const row = split.getByTestId('split-int4');
    await expect.poll(() => row.innerText()).toMatch(/\+[0-9.]+/);
    await split.screenshot({ path: path.join(ROOT, 'test-output/screenshots/analysis-outlier-split.png') });

    // click the error heatmap: the explorer's block view follows
    await settled(p.page, 'error-heatmap');
    const canvas = panel(p.page, 'error-heatmap').locator('canvas').first();
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.75, y: box.height * 0.5 } });
    await expect.poll(() => p.page.url()).toMatch(/row=\d+/);
    const m = /row=(\d+)/.exec(p.page.url())!;
    expect(Number(m[1])).toBeGreaterThan(64);
    await expect.poll(() => panel(p.page, 'error-heatmap').locator('figcaption').innerText()).toContain(`row ${m[1]}`);

    const lorc = panel(p.page, 'lorc');
    await lorc.getByRole('button', { name: /Compute LoRC curve/ }).click();
    await expect.poll(() => lorc.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    await lorc.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => lorc.getByRole('status').innerText()).toMatch(/Cancelled/);
    await lorc.getByRole('button', { name: /Compute LoRC curve/ }).click();
    await expect.poll(() => lorc.locator('svg path').count(), { timeout: 90_000 }).toBeGreaterThan(0);
    await settled(p.page, 'lorc');
    // two linked LoRC workers share the decomposition on a machine with two cores
    const cores = await p.page.evaluate(() => navigator.hardwareConcurrency);
    expect(await lorc.locator('figcaption').first().innerText()).toMatch(cores >= 2 ? /computed in [0-9.]+ s on 2 workers/ : /computed in [0-9.]+ s on one worker/);
    await lorc.screenshot({ path: path.join(ROOT, 'test-output/screenshots/analysis-lorc.png') });
    expectClean(p);
    await p.context.close();
  });
});
