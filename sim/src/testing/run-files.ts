import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkerLine } from '../metrics/lifecycle-markers.js';
import type { RunSummary } from '../output/summary.js';

/** Test helper: the run folder's files, parsed. Scenario tests assert on these, not on internals. */
export interface RunFiles {
  readonly summary: RunSummary;
  readonly events: {
    t: number;
    task: string;
    job: string;
    instance: number;
    state: string;
    host?: string;
    reason?: string;
  }[];
  readonly preemptions: {
    t: number;
    host: string;
    preemptor: { task: string; job: string; tier: string };
    victims: { task: string; job: string; tier: string }[];
  }[];
  readonly markers: MarkerLine[];
  /** timeseries.csv rows keyed by column. */
  readonly rows: Record<string, number | undefined>[];
  readonly raw: Readonly<Record<string, string>>;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0);

export function readRunFiles(dir: string): RunFiles {
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  const raw = {
    'summary.json': read('summary.json'),
    'events.jsonl': read('events.jsonl'),
    'preemptions.jsonl': read('preemptions.jsonl'),
    'timeseries.csv': read('timeseries.csv'),
    'hosts.json': read('hosts.json'),
    'markers.jsonl': read('markers.jsonl'),
  };
  const [header, ...body] = lines(raw['timeseries.csv']);
  const columns = header!.split(',');
  return {
    summary: JSON.parse(raw['summary.json']) as RunSummary,
    events: lines(raw['events.jsonl']).map((l) => JSON.parse(l)),
    preemptions: lines(raw['preemptions.jsonl']).map((l) => JSON.parse(l)),
    markers: lines(raw['markers.jsonl']).map((l) => JSON.parse(l)),
    rows: body.map((row) =>
      Object.fromEntries(row.split(',').map((v, i) => [columns[i]!, v === '' ? undefined : Number(v)])),
    ),
    raw,
  };
}
