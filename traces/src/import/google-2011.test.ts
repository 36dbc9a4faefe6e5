import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSubmitRecord } from '../format/record.js';
import { importGoogle2011, tierOfPriority } from './google-2011.js';
import { readAll, TempDir } from './test-support.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

// clusterdata-2011-2 schema: machine_events = time,machine ID,event type,platform ID,CPUs,memory
const MACHINES = [
  '0,1,0,P1,0.5,0.25',
  '0,2,0,P1,1,1',
  '0,3,0,P2,,',
  '5000000000,2,2,P1,1,0.5',
  '7000000000,1,1,,,',
  '8000000000,9,1,,,',
].join('\n');
// task_events = time,missing,job ID,task index,machine ID,event type,user,class,priority,cpu,mem,disk,different-machines
const TASKS_PART1 = [
  '1000000,,100,0,,0,alice+/=,1,0,0.0625,0.03,0.001,0',
  '1000000,,100,1,,0,alice+/=,1,0,0.0625,0.03,0.001,0',
  '2000000,,100,0,1,1,alice+/=,1,0,0.0625,0.03,0.001,0',
  '3000000,,100,1,2,1,alice+/=,1,0,0.0625,0.03,0.001,0',
  '62000000,,100,0,1,4,alice+/=,1,0,0.0625,0.03,0.001,0',
  '9000000,,200,0,,0,bob,3,10,0.125,0.0625,0,1',
  '9000000,,200,1,,0,bob,3,10,0.25,0.0625,0,1',
].join('\n');
const TASKS_PART2 = [
  '10000000,,200,0,2,1,bob,3,10,0.125,0.0625,0,1',
  '10000000,,200,1,1,1,bob,3,10,0.25,0.0625,0,1',
  '30000000,,200,1,1,2,bob,3,10,0.25,0.0625,0,1',
  '40000000,,200,1,2,1,bob,3,10,0.25,0.0625,0,1',
  '50000000,,200,1,2,3,bob,3,10,0.25,0.0625,0,1',
  '12000000,,300,0,3,1,carol,0,5,0.01,0.01,0,0',
  'garbage',
  '13000000,,400,0,,0,alice+/=,0,4,0.02,0.01,0,0',
  '13000000,,400,0,,5,alice+/=,0,4,0.02,0.01,0,0',
].join('\n');

describe('google-2011 import', () => {
  it('maps machine and task events, priorities, requests and per-instance durations and outcomes', async () => {
    const dir = join(tmp.path, 'task_events');
    mkdirSync(dir);
    tmp.file('task_events/part-00000-of-00500.csv.gz', TASKS_PART1, true);
    tmp.file('task_events/part-00001-of-00500.csv.gz', TASKS_PART2, true);
    const out = tmp.out('google.jsonl');
    const s = await importGoogle2011({
      taskEvents: dir,
      machineEvents: tmp.file('machine_events.csv', MACHINES),
      out,
      machineCpu: 32,
      machineRamMb: 65536,
      machineDiskMb: 1_000_000,
    });
    expect(s.rowsRead).toBe(6 + 16);
    expect(s.toJSON().skipped).toEqual({
      'machine event: ADD without capacity': 1,
      'machine event: REMOVE of a machine not present': 1,
      'machine event: UPDATE (capacity changes are not in trace v1)': 1,
      'task event: malformed row (expected 13 columns)': 1,
      'task event: task not submitted in the trace': 1,
    });
    const recs = await readAll(out);
    expect(recs.filter((r) => r.type === 'host_add')).toEqual([
      expect.objectContaining({ t: 0, host: 'm1', cpu: 16, ramMb: 16384, attributes: { platform: 'P1' } }),
      expect.objectContaining({ t: 0, host: 'm2', cpu: 32, ramMb: 65536 }),
    ]);
    expect(recs).toContainEqual({ t: 7_000_000, type: 'host_remove', host: 'm1' });
    const jobs = new Map(
      recs.filter((r): r is JobSubmitRecord => r.type === 'job_submit').map((j) => [j.job, j]),
    );
    // Job 100: priority 0 → revocable; task 0 finished after 60 s; task 1 never ended → a service.
    expect(jobs.get('u0/batch/j100')).toMatchObject({
      t: 1000,
      kind: 'adhoc',
      tier: 'revocable',
      priority: 0,
      instances: 1,
      durationMs: 60_000,
      task: { cpu: 2, ramMb: 1966, diskMb: 1000 },
    });
    expect(jobs.get('u0/batch/j100.svc')).toMatchObject({ kind: 'service', instances: 1 });
    // Job 200: priority 10 → preferred; different-machines → limit:1; largest request; task 1 ran 20 s + 10 s then failed.
    expect(jobs.get('u1/prod/j200')).toMatchObject({
      t: 9000,
      tier: 'preferred',
      priority: 10,
      instances: 1,
      constraints: { host: 'limit:1' },
      task: { cpu: 8 },
      durationMs: 30_000,
      outcomes: 'failed',
    });
    expect(jobs.get('u1/prod/j200.svc')).toMatchObject({ kind: 'service', instances: 1 });
    // Job 400: killed while pending → ran 0 ms, outcome killed.
    expect(jobs.get('u0/batch/j400')).toMatchObject({
      tier: 'preemptible',
      durationMs: 0,
      outcomes: 'killed',
    });
  });

  it('maps priority bands to tiers', () => {
    expect([0, 1, 2, 8, 9, 11].map(tierOfPriority)).toEqual([
      'revocable',
      'revocable',
      'preemptible',
      'preemptible',
      'preferred',
      'preferred',
    ]);
  });
});
