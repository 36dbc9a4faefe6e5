import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';

/**
 * Time from navigation to every chart drawn, for a report.html opened from disk: the page stamps
 * `data-drawn-at` (performance.now(), i.e. ms since navigation start) once all charts have
 * rendered and a frame has been painted. Each repetition uses a fresh page.
 */
export interface RenderTiming {
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly charts: number;
}

export async function measureRender(
  browser: Browser,
  reportPath: string,
  repetitions = 3,
): Promise<RenderTiming> {
  const runsMs: number[] = [];
  let charts = 0;
  for (let i = 0; i < repetitions; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(reportPath).href, { timeout: 120_000 });
    await page.waitForSelector('body[data-drawn-at]', { timeout: 120_000 });
    if (errors.length) throw new Error(`report page failed: ${errors.join('; ')}`);
    runsMs.push(Number(await page.evaluate(() => document.body.dataset.drawnAt)));
    charts = await page.locator('[data-drawn="true"]').count();
    await page.close();
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { runsMs, medianMs: sorted[Math.floor(sorted.length / 2)]!, charts };
}
