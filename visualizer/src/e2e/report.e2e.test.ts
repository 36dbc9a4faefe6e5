import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { systemPackage } from '@borealis/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../data/run-files.js';
import { serveFolder, writeComparisonReport, writeReport } from '../node/index.js';
import { launchChromium } from '../testing/browser.js';
import { writeFixtureRun } from '../testing/fixture-run.js';
import {
  simulatorComparison,
  simulatorLifecycleRun,
  simulatorRun,
  simulatorRunWithoutEvents,
} from './produce-run.js';

/**
 * The reports in a real browser (Debian's chromium via playwright-core), opened from disk the way
 * a user opens them: every chart draws, brushing one chart moves all of them, tooltips and
 * toggles respond, and nothing logs an error or requests the network. Screenshots of each view go
 * to test-output/screenshots/ (git-ignored) for a human to look at.
 *
 * The run and the comparison are real simulator output (`borealis sim run` / `sim compare` of the
 * bundled sample trace). That trace causes no preemptions, so the preemption view is also checked
 * on a run from the seeded fixture writer, which has them.
 */
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const WORK = join(ROOT, 'test-output', 'visualizer-e2e');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const RUN_CHARTS = [
  'overview',
  'summary',
  'util-cpu',
  'util-ramMb',
  'tasks',
  'delay',
  'delay-cdf',
  'stranded',
  'preemption-rate',
  'preemptions',
  'heatmap',
  'job',
];

const HAS_CHROMIUM = systemPackage('chromium', 'the reports in a real browser (visualizer e2e)');

let browser: Browser;
let runReport: string;
let compareReport: string;
let runSummary: RunSummary;
let fixtureReport: string;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  await rm(WORK, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
  const runDir = await simulatorRun(join(WORK, 'run'));
  runSummary = JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  runReport = await writeReport(runDir);
  compareReport = await writeComparisonReport(await simulatorComparison(join(WORK, 'compare')));
  const fixtureDir = join(WORK, 'fixture');
  await writeFixtureRun(fixtureDir, {
    hosts: 80,
    durationMs: 6 * 3_600_000,
    sampleIntervalMs: 60_000,
    seed: 2,
  });
  fixtureReport = await writeReport(fixtureDir);
  browser = await launchChromium();
});

afterAll(async () => {
  if (!HAS_CHROMIUM) return;
  await browser?.close();
});

interface Watched {
  page: Page;
  problems: string[];
}

/** Opens a report from disk and records console errors, page errors and any network request. */
async function open(path: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:'))
      problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector('body[data-ready]');
  expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');
  return { page, problems };
}

const windowOf = (page: Page, chart: string) =>
  page.locator(`[data-chart="${chart}"]`).getAttribute('data-window');

/** Drags across a chart's plot from fraction a to fraction b of its width. */
async function brush(page: Page, chart: string, a: number, b: number): Promise<void> {
  const overlay = page.locator(`[data-chart="${chart}"] .brush .overlay`).first();
  await overlay.scrollIntoViewIfNeeded();
  const box = (await overlay.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * a, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((a + b) / 2), y, { steps: 4 });
  await page.mouse.move(box.x + box.width * b, y, { steps: 4 });
  await page.mouse.up();
}

/** Count of distinct colours in a canvas: a blank or single-colour canvas has at most 1. */
function canvasColours(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const c = document.querySelector<HTMLCanvasElement>(sel)!;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 16)
      if (data[i + 3]! > 0) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  }, selector);
}

/**
 * What is wrong with the axes of every drawn chart on the page: an axis without a title (what
 * and which unit), the same tick label twice on one axis, or a tick label reaching outside its
 * SVG (clipped).
 */
function axisProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const chart of document.querySelectorAll<HTMLElement>('[data-chart]')) {
      if (chart.dataset.empty === 'true') continue;
      const id = chart.dataset.chart;
      for (const svg of chart.querySelectorAll('svg')) {
        const box = svg.getBoundingClientRect();
        for (const axis of svg.querySelectorAll('g.axis')) {
          const dir = axis.classList.contains('x') ? 'x' : 'y';
          const title = svg.querySelector(`.axis-label.${dir}`)?.textContent ?? '';
          if (title.trim() === '') bad.push(`${id}: ${dir} axis has no title`);
          const texts = [...axis.querySelectorAll<SVGTextElement>('.tick text')];
          const labels = texts.map((t) => t.textContent ?? '');
          const repeated = labels.filter((l, i) => labels.indexOf(l) !== i);
          if (repeated.length) bad.push(`${id}: ${dir} tick labels repeat: ${repeated.join(', ')}`);
          for (const t of texts) {
            const r = t.getBoundingClientRect();
            if (
              r.left < box.left - 1 ||
              r.right > box.right + 1 ||
              r.top < box.top - 1 ||
              r.bottom > box.bottom + 1
            )
              bad.push(`${id}: ${dir} tick label "${t.textContent}" is clipped`);
          }
        }
      }
    }
    return bad;
  });
}

/** The x tick labels of a chart, in order. */
const xTicks = (page: Page, chart: string) =>
  page.locator(`[data-chart="${chart}"] .axis.x .tick text`).allTextContents();

describe.skipIf(!HAS_CHROMIUM)('chart axes', () => {
  it('every axis has a title with its unit, no repeated or clipped tick labels, round time steps', async () => {
    const { page, problems } = await open(runReport);
    expect(await axisProblems(page)).toEqual([]);
    // The sample runs 7.9 h: whole hours, not 33-minute steps.
    const cpuTicks = await xTicks(page, 'util-cpu');
    expect(cpuTicks.length).toBeGreaterThan(2);
    for (const t of cpuTicks) expect(t).toMatch(/^\d\d:00$/);
    for (const t of await xTicks(page, 'heatmap')) expect(t).toMatch(/^\d\d:(00|30)$/);
    expect(await page.locator('[data-chart="util-cpu"] .axis-label.y').textContent()).toContain('cores');
    expect(await page.locator('[data-chart="util-ramMb"] .axis.y .tick text').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/ (GiB|TiB)$/)]),
    );
    for (const t of (await page.locator('[data-chart="delay"] .axis.y .tick text').allTextContents()).slice(
      1,
    ))
      expect(t).toMatch(/^[\d.]+ (ms|s|min|h|d)$/);
    // Zoomed in to a few minutes, labels gain seconds rather than repeat.
    await brush(page, 'tasks', 0.5, 0.505);
    expect(await axisProblems(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the comparison and the preemption view follow the same rules', async () => {
    for (const report of [compareReport, fixtureReport]) {
      const { page, problems } = await open(report);
      expect(await axisProblems(page), report).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    }
  });
});

describe.skipIf(!HAS_CHROMIUM)('run report.html', () => {
  it('draws every chart with data, from disk, without errors or network', async () => {
    const { page, problems } = await open(runReport);
    for (const id of RUN_CHARTS) {
      await expect
        .poll(() => page.locator(`[data-chart="${id}"]`).getAttribute('data-drawn'), { message: id })
        .toBe('true');
    }
    const emptyPaths = await page.evaluate(() => {
      const bad: string[] = [];
      for (const chart of document.querySelectorAll<HTMLElement>('[data-chart]')) {
        const paths = [...chart.querySelectorAll('path.series')];
        // The job view draws its lifecycles as rects; every other SVG chart draws paths.
        const marks = paths.length + chart.querySelectorAll('.segments rect').length;
        // An explicit empty state is allowed where the run really has nothing (checked below).
        if (chart.querySelector('svg.plot') && marks === 0 && chart.dataset.empty !== 'true')
          bad.push(`${chart.dataset.chart}: no series`);
        for (const p of paths)
          if ((p.getAttribute('d') ?? '').length < 10)
            bad.push(`${chart.dataset.chart}: empty ${p.getAttribute('data-series')}`);
      }
      return bad;
    });
    expect(emptyPaths).toEqual([]);
    expect(await canvasColours(page, '.heat-canvas')).toBeGreaterThan(20);
    expect(await page.locator('[data-chart="job"] .segments rect').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-chart="preemptions"]').getAttribute('data-empty')).toBe(
      runSummary.preemptions === 0 ? 'true' : null,
    );
    const key = await page.locator('[data-key="run"]').textContent();
    expect(key).toContain('sample');
    expect(key).toContain(runSummary.policy);
    await page.screenshot({ path: join(SHOTS, 'run-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('brushing one chart changes the visible range of all the others', async () => {
    const { page, problems } = await open(runReport);
    const others = ['overview', 'util-cpu', 'delay', 'preemptions', 'heatmap', 'job'];
    const before = await Promise.all(others.map((c) => windowOf(page, c)));
    const pathBefore = await page.locator('[data-chart="util-cpu"] path.series').first().getAttribute('d');
    await brush(page, 'tasks', 0.3, 0.6);
    const after = await Promise.all(others.map((c) => windowOf(page, c)));
    const [t0, t1] = after[0]!.split('-').map(Number) as [number, number];
    const [f0, f1] = before[0]!.split('-').map(Number) as [number, number];
    expect(t0).toBeGreaterThan(f0);
    expect(t1).toBeLessThan(f1);
    expect(t1 - t0).toBeLessThan((f1 - f0) * 0.5);
    // Every chart follows, to the same window.
    expect(new Set(after).size).toBe(1);
    expect(after[1]).not.toBe(before[1]);
    expect(await page.locator('[data-chart="util-cpu"] path.series').first().getAttribute('d')).not.toBe(
      pathBefore,
    );
    await page.screenshot({ path: join(SHOTS, 'run-report-zoomed.png'), fullPage: true });
    // Double-click resets to the whole run.
    await page.locator('[data-chart="util-cpu"] .brush .overlay').dblclick();
    expect(await windowOf(page, 'heatmap')).toBe(before[4]);
    // Dragging the pinned overview moves every chart too, and its own brush stays where it was put.
    await brush(page, 'overview', 0.1, 0.3);
    const fromOverview = await windowOf(page, 'util-cpu');
    expect(fromOverview).not.toBe(before[1]);
    expect(await windowOf(page, 'job')).toBe(fromOverview);
    expect(await windowOf(page, 'overview')).toBe(fromOverview);
    expect(
      await page.locator('[data-chart="overview"] .brush .selection').getAttribute('width'),
    ).not.toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows exact values on hover and toggles series from the legend', async () => {
    const { page, problems } = await open(runReport);
    const overlay = page.locator('[data-chart="util-cpu"] .brush .overlay');
    await overlay.scrollIntoViewIfNeeded();
    const box = (await overlay.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const tip = page.locator('.tooltip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    const text = await tip.textContent();
    expect(text).toMatch(/preferred\s*[\d,.]+ cores \([\d.]+%\)/);
    expect(text).toContain('capacity');
    await page.mouse.move(0, 0);

    const series = page.locator('[data-chart="util-cpu"] path[data-series="preemptible"]');
    expect(await series.count()).toBe(1);
    await page.locator('[data-chart="util-cpu"] .legend-item[data-key="preemptible"]').click();
    expect(await series.count()).toBe(0);
    await page.locator('[data-chart="util-cpu"] .legend-item[data-key="preemptible"]').click();
    expect(await series.count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('re-sorts the heat map and drills into a searched job', async () => {
    const { page, problems } = await open(runReport);
    const heat = page.locator('[data-chart="heatmap"]');
    const pixels = () =>
      page.evaluate(() => document.querySelector<HTMLCanvasElement>('.heat-canvas')!.toDataURL());
    const byRack = await pixels();
    await heat.locator('button[data-value="load"]').click();
    expect(await pixels()).not.toBe(byRack);
    await heat.screenshot({ path: join(SHOTS, 'heatmap-by-load.png') });

    const job = page.locator('[data-chart="job"]');
    const first = await job.getAttribute('data-job');
    const target = await job.locator('.job-list button:not(.unsampled)').nth(1).getAttribute('data-job');
    await job.locator('input[type="search"]').fill(target!);
    const listed = await job
      .locator('.job-list button')
      .evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.job));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((j) => j!.includes(target!))).toBe(true);
    await job.locator(`.job-list button[data-job="${target}"]`).click();
    expect(await job.getAttribute('data-job')).toBe(target);
    expect(target).not.toBe(first);
    expect(await job.locator('.segments rect').count()).toBeGreaterThan(0);
    // Hover the widest segment (thin ones may be a fraction of a pixel).
    const widest = await job.locator('.segments rect').evaluateAll((rs) => {
      let best = 0;
      rs.forEach((r, i) => {
        if (Number(r.getAttribute('width')) > Number(rs[best]!.getAttribute('width'))) best = i;
      });
      return best;
    });
    await job.locator('.segments rect').nth(widest).hover();
    await expect.poll(() => page.locator('.tooltip').textContent()).toMatch(/PENDING|ASSIGNED|RUNNING/);
    await job.screenshot({ path: join(SHOTS, 'job-drilldown.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!HAS_CHROMIUM)('comparison report.html', () => {
  it('overlays every run with a metrics table and follows brushing', async () => {
    const { page, problems } = await open(compareReport);
    for (const id of [
      'overview',
      'compare-table',
      'cmp-cpu',
      'cmp-ram',
      'cmp-pending',
      'cmp-delay',
      'cmp-preempted',
      'delay-cdf',
    ]) {
      expect(await page.locator(`[data-chart="${id}"]`).count(), id).toBe(1);
    }
    // 2 policies × 2 seeds, plus one mean ± sd row per policy.
    expect(await page.locator('table.metrics tbody tr:not(.agg)').count()).toBe(4);
    expect(await page.locator('table.metrics tbody tr.agg').count()).toBe(2);
    // 2 seeds per policy: one mean line and one min–max band per policy, in the policy's colour.
    expect(await page.locator('[data-chart="cmp-cpu"] path.series').count()).toBe(2);
    expect(await page.locator('[data-chart="cmp-cpu"] path.band').count()).toBe(2);
    const colours = await page
      .locator('[data-chart="cmp-cpu"] path.series')
      .evaluateAll((ps) => ps.map((x) => x.getAttribute('stroke')));
    const bandColours = await page
      .locator('[data-chart="cmp-cpu"] path.band')
      .evaluateAll((ps) => ps.map((x) => x.getAttribute('fill')));
    expect(new Set(colours).size).toBe(2);
    expect(bandColours).toEqual(colours);
    expect(await page.locator('[data-chart="delay-cdf"] path.series').count()).toBe(4);
    for (const p of await page
      .locator('[data-chart^="cmp-"] path.series')
      .evaluateAll((ps) => ps.map((x) => x.getAttribute('d') ?? ''))) {
      expect(p.length).toBeGreaterThan(10);
    }
    const before = await windowOf(page, 'cmp-pending');
    await brush(page, 'cmp-cpu', 0.2, 0.4);
    const after = await windowOf(page, 'cmp-pending');
    expect(after).not.toBe(before);
    expect(await windowOf(page, 'cmp-delay')).toBe(after);
    await page.locator('[data-chart="cmp-cpu"] .legend-item').first().click();
    expect(await page.locator('[data-chart="cmp-cpu"] path.series').count()).toBe(1);
    await page.locator('[data-chart="cmp-cpu"] .legend-item').first().click();
    await page.locator('button.reset').click();
    await page.screenshot({ path: join(SHOTS, 'comparison.png'), fullPage: true });
    expect(problems).toEqual([]);
    // From disk, a run's name opens the report.html sim compare wrote into the run's folder.
    const links = page.locator('table.metrics a.run-name');
    expect(await links.count()).toBe(4);
    expect(await links.first().getAttribute('href')).toBe('first-fit-s1/report.html');
    await Promise.all([page.waitForURL(/first-fit-s1\/report\.html$/), links.first().click()]);
    await page.waitForSelector('body[data-ready="true"]');
    for (const id of ['util-cpu', 'heatmap', 'job']) {
      expect(await page.locator(`[data-chart="${id}"]`).getAttribute('data-drawn')).toBe('true');
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!HAS_CHROMIUM)('preemption view', () => {
  it('plots each preemption with its preemptor and victims', async () => {
    const { page, problems } = await open(fixtureReport);
    const view = page.locator('[data-chart="preemptions"]');
    await view.scrollIntoViewIfNeeded();
    expect(await view.getAttribute('data-empty')).toBeNull();
    const dots = view.locator('path.series[data-series="preferred"]');
    expect(((await dots.getAttribute('d')) ?? '').length).toBeGreaterThan(100);
    expect(await view.locator('table.data tbody tr').count()).toBeGreaterThan(0);
    // Hover the first dot: its centre is the start of the path's first arc plus its radius.
    const [x, y] = (await dots.getAttribute('d'))!
      .match(/M([\d.]+),([\d.]+)a([\d.]+)/)!
      .slice(1)
      .map(Number) as [number, number];
    const r = Number((await dots.getAttribute('d'))!.match(/a([\d.]+)/)![1]);
    const plot = (await view.locator('svg.plot').boundingBox())!;
    // The plot's inner group sits at the left margin (tick labels and the y axis title) and 10 px down.
    const inner = await view.locator('svg.plot > g').first().getAttribute('transform');
    const [left, top] = inner!
      .match(/translate\(([\d.]+),([\d.]+)\)/)!
      .slice(1)
      .map(Number) as [number, number];
    await page.mouse.move(plot.x + left + x + r, plot.y + top + y);
    await expect.poll(() => page.locator('.tooltip').textContent()).toContain('preemptor');
    await view.screenshot({ path: join(SHOTS, 'preemptions.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!HAS_CHROMIUM)('borealis viz', () => {
  it('serves a comparison and its runs to the browser from 127.0.0.1 only', async () => {
    const server = await serveFolder(join(WORK, 'compare'), { port: 0 });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url)) problems.push(`request outside the server: ${r.url()}`);
    });
    try {
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.locator('table.metrics a.run-name').count()).toBe(4);
      // A run of the comparison opens as a full run report, served from its folder.
      await Promise.all([
        page.waitForURL(/\?run=/),
        page.locator('table.metrics a.run-name').first().click(),
      ]);
      await page.waitForSelector('body[data-ready="true"]');
      for (const id of ['util-cpu', 'heatmap', 'job']) {
        expect(await page.locator(`[data-chart="${id}"]`).getAttribute('data-drawn')).toBe('true');
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });
});

describe.skipIf(!HAS_CHROMIUM)('a run written with --no-event-log', () => {
  it('still renders, saying what it cannot show', async () => {
    const report = await writeReport(await simulatorRunWithoutEvents(join(WORK, 'no-events')));
    const { page, problems } = await open(report);
    expect(await page.locator('[data-chart="delay-cdf"]').getAttribute('data-empty')).toBe('true');
    expect(await page.locator('[data-chart="job"]').getAttribute('data-empty')).toBe('true');
    expect(await page.locator('[data-chart="util-cpu"] path.series').count()).toBeGreaterThan(0);
    expect(await canvasColours(page, '.heat-canvas')).toBeGreaterThan(20);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!HAS_CHROMIUM)('update and drain markers', () => {
  it('draws the lifecycle sample’s updates, rollback and drain on every timeline, with a legend toggle', async () => {
    const dir = await simulatorLifecycleRun(join(WORK, 'lifecycle'));
    const lines = (await readFile(join(dir, 'markers.jsonl'), 'utf8')).trim().split('\n');
    const written = lines.map((l) => JSON.parse(l) as { kind: string; label: string });
    expect(written.map((m) => m.kind)).toEqual(['update', 'update', 'rollback', 'drain', 'activate']);
    const { page, problems } = await open(await writeReport(dir));
    const chart = page.locator('[data-chart="util-cpu"]');
    await chart.scrollIntoViewIfNeeded();
    // One band per marker in each time chart, the labels from markers.jsonl. The sample never
    // preempts, so its preemption panel is collapsed to a line saying so. (Its delay panel was the
    // collapsed one until the sample gained www/prod/edge and an SLA-aware drain: some tasks now
    // wait, up to 30m, so that panel has data and is drawn.)
    expect(await page.locator('[data-chart="preemption-rate"]').getAttribute('data-empty')).toBe('true');
    expect(await page.locator('[data-chart="preemption-rate"] .empty-note').textContent()).toContain(
      'None in this run',
    );
    expect(await page.locator('[data-chart="delay"]').getAttribute('data-empty')).toBeNull();
    for (const id of ['util-cpu', 'tasks']) {
      const c = page.locator(`[data-chart="${id}"]`);
      expect(await c.locator('rect.marker-update').count(), id).toBe(2);
      expect(await c.locator('rect.marker-rollback').count(), id).toBe(1);
      expect(await c.locator('rect.marker-drain').count(), id).toBe(1);
      expect(await c.locator('rect.marker-activate').count(), id).toBe(1);
    }
    // Hovering inside the drain band names it in the tooltip.
    const drain = (await chart.locator('rect.marker-drain').boundingBox())!;
    await page.mouse.move(drain.x + drain.width / 2, drain.y + drain.height / 2);
    await expect.poll(() => page.locator('.tooltip').textContent()).toContain('drain h00, h01');
    await page.mouse.move(0, 0);
    await page.screenshot({
      path: join(SHOTS, 'lifecycle-markers.png'),
      fullPage: false,
      clip: await clipOf(page, 'util-cpu'),
    });
    const labels = await chart.locator('.marker-label').allTextContents();
    expect(labels).toContain('update www/prod/web: ROLLED_BACK');
    expect(labels).toContain('drain h00, h01: drained');
    // The legend turns a kind off on every chart at once, and back on.
    const toggle = page.locator('.marker-legend .legend-item[data-key="update"]');
    await toggle.click();
    expect(await page.locator('rect.marker-update').count()).toBe(0);
    expect(await chart.locator('rect.marker-drain').count()).toBe(1);
    await toggle.click();
    expect(await chart.locator('rect.marker-update').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'lifecycle-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** The page rectangle of a chart, with the pinned overview and marker legend above it. */
async function clipOf(page: Page, chart: string) {
  const nav = (await page.locator('.overview-wrap').boundingBox())!;
  const box = (await page.locator(`[data-chart="${chart}"]`).boundingBox())!;
  return { x: 0, y: nav.y, width: 1400, height: box.y + box.height - nav.y };
}
