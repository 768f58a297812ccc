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

describe('quantscope in Chromium', () => {
  it('loads with no console errors and shows every panel', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await expect.poll(() => p.page.locator('h1').innerText()).toBe('quantscope');
    const sqnr = await waitForMetrics(p.page);
    expect(sqnr).toHaveLength(4);
    for (const s of sqnr) expect(s).toMatch(/dB|exact/);
    await screenshot(p.page, 'app-full');
    for (const panel of await p.page.locator('section.panel').all()) {
      const id = await panel.getAttribute('data-panel');
      await panel.screenshot({ path: `${(await import('./browser.ts')).SCREENSHOT_DIR}/panel-${id}.png` });
    }
    await screenshot(p.page, 'controls', 'aside.controls');
    await screenshot(p.page, 'block-view', '.blockview');
    await screenshot(p.page, 'compare-cards', '.cards');
    expectClean(p);
    await p.context.close();
  });

  it('changing the formats updates the metrics and the explorer', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    const int8Before = await p.page.getByTestId('sqnr-int8').innerText();
    await p.page.getByLabel('Granularity (scalar formats)').selectOption('tensor');
    await waitForMetrics(p.page);
    const int8After = await p.page.getByTestId('sqnr-int8').innerText();
    expect(int8After).not.toBe(int8Before);
    expect(p.page.url()).toContain('granularity=tensor');

    await p.page.getByRole('checkbox', { name: 'INT8', exact: true }).uncheck();
    await p.page.getByRole('checkbox', { name: 'NF4', exact: true }).check();
    await waitForMetrics(p.page);
    await expect.poll(() => p.page.getByTestId('sqnr-nf4').innerText()).toMatch(/dB/);
    expect(await p.page.getByTestId('sqnr-int8').count()).toBe(0);

    await p.page.getByLabel('Format to explore').selectOption('fp8_e4m3');
    await expect.poll(() => p.page.locator('.explorer-head h3').innerText()).toContain('FP8 E4M3');
    await expect.poll(() => p.page.locator('.blockview table').innerText()).toContain('E8M0, OCP floor rule');
    expect(p.page.url()).toContain('format=fp8_e4m3');

    // back/forward step through the discrete changes
    await p.page.goBack();
    await expect.poll(() => p.page.getByLabel('Format to explore').inputValue()).toBe('mxfp4');
    await p.page.goForward();
    await expect.poll(() => p.page.getByLabel('Format to explore').inputValue()).toBe('fp8_e4m3');
    await screenshot(p.page, 'after-format-change');
    expectClean(p);
    await p.context.close();
  });

  it('a copied link opened in a fresh page shows identical numbers', async () => {
    const a = await openPage(browser, { clipboard: true });
    await a.page.goto(base);
    await waitForMetrics(a.page);
    await a.page.getByLabel('Sample', { exact: true }).selectOption('heavy-tail');
    await a.page.getByLabel('Size').selectOption('512');
    await a.page.getByLabel('Format to explore').selectOption('nvfp4');
    await a.page.getByLabel('Granularity (scalar formats)').selectOption('group');
    await a.page.getByLabel('Rounding', { exact: true }).selectOption('stochastic');
    const seed = a.page.getByLabel('Rounding seed');
    await seed.fill('7');
    await seed.press('Enter');
    const row = a.page.getByLabel('Row', { exact: true });
    await row.fill('17');
    await row.press('Enter');
    const numbersA = await waitForMetrics(a.page);
    const blockA = await a.page.locator('.blockview table').innerText();
    const summaryA = await a.page.getByLabel('Tensor statistics').innerText();
    await a.page.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => a.page.getByText('Link copied').count()).toBe(1);
    const link = await a.page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain('sample=heavy-tail');
    expect(link).toContain('seed=7');

    const b = await openPage(browser);
    await b.page.goto(link);
    const numbersB = await waitForMetrics(b.page);
    expect(numbersB).toEqual(numbersA);
    expect(await b.page.locator('.blockview table').innerText()).toBe(blockA);
    expect(await b.page.getByLabel('Tensor statistics').innerText()).toBe(summaryA);
    await screenshot(b.page, 'shared-link');
    expectClean(a);
    expectClean(b);
    await a.context.close();
    await b.context.close();
  });

  it('a bad link shows a notice, keeps the good parts, and runs nothing it carries', async () => {
    const p = await openPage(browser);
    const bad = `${base}?v=1&format=%3Cscript%3Ealert(1)%3C/script%3E&size=999999&evil=%3Cimg%20src=x%20onerror=alert(2)%3E&granularity=group:0&formats=int4,fp4_e2m1`;
    await p.page.goto(bad);
    const notice = p.page.getByRole('alert').filter({ hasText: 'Parts of this link were ignored' });
    await expect.poll(() => notice.count()).toBe(1);
    const text = await notice.innerText();
    expect(text).toContain('format=');
    expect(text).toContain('size=999999');
    expect(text).toContain('unknown setting "evil"');
    expect(await p.page.locator('img[src="x"]').count()).toBe(0);
    const sqnr = await waitForMetrics(p.page);
    expect(sqnr).toHaveLength(2); // formats=int4,fp4_e2m1 was valid and kept
    expect(await p.page.getByLabel('Format to explore').inputValue()).toBe('mxfp4');
    await screenshot(p.page, 'bad-link-notice');
    await p.page.getByRole('button', { name: /Dismiss: Parts of this link/ }).click();
    expect(await notice.count()).toBe(0);
    expectClean(p);
    await p.context.close();
  });

  it('keyboard alone (Tab) reaches every control', async () => {
    const p = await openPage(browser);
    await p.page.goto(base);
    await waitForMetrics(p.page);
    const controls = await p.page.evaluate(() => {
      const sel = 'button, select, input, [tabindex="0"], a[href]';
      return [...document.querySelectorAll<HTMLElement>(sel)]
        .filter((e) => !(e as HTMLInputElement).disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
        .map((e, i) => {
          e.dataset.kbd = String(i);
          return String(i);
        });
    });
    // radios of one group are reached as one stop (arrow keys move within)
    const radioGroups = await p.page.evaluate(() => {
      const groups = new Map<string, string[]>();
      for (const r of document.querySelectorAll<HTMLInputElement>('input[type=radio]')) {
        groups.set(r.name, [...(groups.get(r.name) ?? []), r.dataset.kbd!]);
      }
      return [...groups.values()];
    });
    const reached = new Set<string>();
    for (let i = 0; i < controls.length + 20; i++) {
      await p.page.keyboard.press('Tab');
      const k = await p.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.kbd ?? '');
      if (k) reached.add(k);
    }
    for (const g of radioGroups) if (g.some((k) => reached.has(k))) g.forEach((k) => reached.add(k));
    const missed = controls.filter((k) => !reached.has(k));
    const names = await p.page.evaluate(
      (ks) => ks.map((k) => document.querySelector(`[data-kbd="${k}"]`)?.outerHTML.slice(0, 120)),
      missed,
    );
    expect(names).toEqual([]);
    // and the number line responds to the keyboard
    await p.page.getByRole('slider', { name: /Representable values of MXFP4/ }).first().focus();
    await p.page.keyboard.press('End');
    await expect.poll(() => p.page.locator('.numberline figcaption').first().innerText()).toContain('6');
    expectClean(p);
    await p.context.close();
  });
});
