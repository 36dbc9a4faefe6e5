import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparePayload, RunPayload } from '../data/payload.js';
import { writeFixtureComparison } from '../testing/fixture-compare.js';
import { serveFolder, type VizServer } from './serve.js';

let dir = '';
let server: VizServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-viz-'));
  await writeFixtureComparison(dir, {
    hosts: 40,
    durationMs: 3_600_000,
    sampleIntervalMs: 60_000,
    policies: ['best-fit', 'worst-fit'],
    seeds: [1],
  });
  server = await serveFolder(dir, { port: 0 });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string) => fetch(new URL(path, server.url));

describe('serveFolder', () => {
  it('listens on 127.0.0.1 and serves the page and its bundle', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get('/');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('app.js');
    expect((await get('/app.js')).status).toBe(200);
    expect((await get('/app.css')).status).toBe(200);
  });

  it('serves the comparison, each run by the name comparison.json gives it, and any job', async () => {
    const cmp = (await (await get('/payload.json')).json()) as ComparePayload;
    expect(cmp.kind).toBe('compare');
    expect(cmp.runs.map((r) => r.label)).toEqual(['best-fit-s1', 'worst-fit-s1']);
    const run = (await (await get('/payload.json?run=worst-fit-s1')).json()) as RunPayload;
    expect(run.kind).toBe('run');
    expect(run.live).toBe(true);
    expect(run.summary.policy).toBe('worst-fit');
    const job = run.jobs[0]!;
    const lines = (await (await get(`/job?run=worst-fit-s1&key=${encodeURIComponent(job.job)}`)).text())
      .trim()
      .split('\n');
    expect(lines.length).toBe(job.events);
  });

  it('refuses paths that are not runs of the comparison', async () => {
    expect((await get('/payload.json?run=../../etc')).status).toBe(404);
    expect((await get('/job?run=nope&key=a/b/c')).status).toBe(404);
    expect((await get('/summary.json')).status).toBe(404);
  });
});
