import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantilesOf } from '../transforms/cdf.js';
import { DelayCollector } from '../transforms/delay-collector.js';
import { sampleJobs } from '../transforms/job-sample.js';
import { jobEvents, scanEvents } from './load-run.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-scan-events-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** scanEvents as a plain JSON.parse-per-line reading states it (the readline version it replaced). */
function reference(text: string, budget: number) {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l !== '');
  const collector = new DelayCollector();
  const perJob = new Map<string, { events: number; tasks: Set<string> }>();
  const parsed = lines.map((l) => JSON.parse(l) as { t: number; task: string; job: string; state: string });
  for (const e of parsed) {
    collector.onEvent(e.task, e.state, e.t);
    const j = perJob.get(e.job) ?? { events: 0, tasks: new Set<string>() };
    perJob.set(e.job, j);
    j.events++;
    j.tasks.add(e.task);
  }
  const chosen = sampleJobs(new Map([...perJob].map(([job, j]) => [job, j.events])), budget);
  const kept = lines.length <= budget ? lines : lines.filter((_, i) => chosen.has(parsed[i]!.job));
  const delays = collector.delays();
  return {
    delays: {
      count: delays.length,
      quantiles: quantilesOf(delays, Math.min(501, Math.max(2, delays.length))),
    },
    jobs: [...perJob]
      .map(([job, j]) => ({ job, tasks: j.tasks.size, events: j.events, sampled: chosen.has(job) }))
      .sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0)),
    lines: kept.length ? `${kept.join('\n')}\n` : '',
    totalEvents: lines.length,
    sampledEvents: kept.length,
  };
}

const name = fc.constantFrom('a/b/c', 'a/b/d', 'x"y', 'é/ü', 'back\\slash', 'w', '\u2028');
const event = fc.record({
  t: fc.oneof(fc.nat({ max: 10_000 }), fc.constantFrom(0.5, 1e21)),
  task: fc.constantFrom('t0', 't1', 't2', 'é3', 't"4', 't5'),
  job: name,
  instance: fc.nat({ max: 3 }),
  state: fc.constantFrom('PENDING', 'THROTTLED', 'ASSIGNED', 'RUNNING', 'FINISHED', 'KILLED'),
  host: fc.option(fc.constantFrom('h1', 'h"2'), { nil: undefined }),
  layout: fc.constantFrom('writer', 'writer', 'writer', 'reordered', 'crlf', 'blank'),
});

describe('scanEvents', () => {
  it('agrees with a JSON.parse-per-line scan on writer lines and any other valid layout', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 80 }), fc.nat({ max: 60 }), async (events, budget) => {
        let text = '';
        for (const e of events) {
          const { layout, host } = e;
          let line = `{"t":${e.t},"task":${JSON.stringify(e.task)},"job":${JSON.stringify(e.job)},"instance":${e.instance},"state":"${e.state}"`;
          if (host !== undefined) line += `,"host":${JSON.stringify(host)}`;
          line += '}';
          if (layout === 'reordered')
            line = JSON.stringify({
              job: e.job,
              state: e.state,
              t: e.t,
              task: e.task,
              instance: e.instance,
              host,
            });
          text += layout === 'crlf' ? `${line}\r\n` : layout === 'blank' ? `${line}\n\n` : `${line}\n`;
        }
        const path = join(dir, `events-${n++}.jsonl`);
        await writeFile(path, text);
        const want = reference(text, budget);
        expect(await scanEvents(path, budget)).toEqual(want);
        const job = events[0]?.job ?? 'w';
        const wantJob = text
          .split('\n')
          .map((l) => l.replace(/\r$/, ''))
          .filter((l) => l !== '' && (JSON.parse(l) as { job: string }).job === job);
        await writeFile(join(dir, 'events.jsonl'), text);
        expect(await jobEvents(dir, job)).toBe(wantJob.length ? `${wantJob.join('\n')}\n` : '');
      }),
      { numRuns: 150 },
    );
  });
});
