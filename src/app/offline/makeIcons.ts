/**
 * Regenerates the PNG icons in public/icons from public/icons/icon.svg with
 * the local Chromium (no network): `npx tsx src/app/offline/makeIcons.ts`.
 * The maskable icon puts the same drawing inside the 80 % safe zone on a
 * full-bleed background.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const dir = path.resolve(import.meta.dirname, '../../../public/icons');
const svg = readFileSync(path.join(dir, 'icon.svg'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.QUANTSCOPE_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const page = await browser.newPage();
const shot = async (file: string, size: number, maskable: boolean) => {
  await page.setViewportSize({ width: size, height: size });
  const inner = maskable ? size * 0.8 : size;
  const pad = (size - inner) / 2;
  await page.setContent(
    `<html><body style="margin:0;background:${maskable ? '#21508c' : 'transparent'}">` +
      `<div style="position:absolute;left:${pad}px;top:${pad}px;width:${inner}px;height:${inner}px">${svg.replace('width="512" height="512"', 'width="100%" height="100%"')}</div></body></html>`,
  );
  await page.screenshot({ path: path.join(dir, file), omitBackground: !maskable });
};
await shot('icon-32.png', 32, false); // the favicon: Chromium fetches and decodes it again on every pushState
await shot('icon-192.png', 192, false);
await shot('icon-512.png', 512, false);
await shot('icon-maskable-512.png', 512, true);
await browser.close();
