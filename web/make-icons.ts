import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/**
 * Renders web/public/icon.svg to the PNG icons the web app manifest names (192 and 512 px, the
 * sizes browsers want to install an app). Run after changing the SVG: `npx tsx web/make-icons.ts`.
 */
const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const svg = readFileSync(path.join(publicDir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
    await page.screenshot({ path: path.join(publicDir, `icon-${size}.png`), omitBackground: false });
    await page.close();
  }
} finally {
  await browser.close();
}
