import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from './judge.js';
import { http, type Started, startEmulatorProcess, startSchedulerProcess, until } from './processes.js';

/**
 * The single-replica scheduler killed with SIGKILL at the worst moments, against the emulator in
 * another process, judged by the emulator's record of accepted launches: every instance ends with
 * exactly one live task, no task id is launched twice, nothing acknowledged is lost.
 */
let emulator: Started;
let dir: string;
const running: Started[] = [];

beforeAll(async () => {
  emulator = await startEmulatorProcess([
    '--agents',
    '400',
    '--allocation-interval',
    '0.05',
    '--heartbeat-interval',
    '2',
  ]);
  dir = await mkdtemp(join(tmpdir(), 'borealis-faults-'));
});

afterAll(async () => {
  for (const s of running) await s.kill().catch(() => undefined);
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

function scheduler(): Promise<Started> {
  return startSchedulerProcess([
    '--cluster',
    'faults',
    '--master',
    emulator.url,
    '--storage',
    `file:${join(dir, 'storage')}`,
    '--kill-grace',
    '1s',
  ]).then((s) => {
    running.push(s);
    return s;
  });
}

const JOBS = [
  'batch/prod/burst0',
  'batch/prod/burst1',
  'batch/prod/burst2',
  'batch/prod/burst3',
  'batch/prod/burst4',
];
const PER_JOB = 2_000;

async function runningCount(api: string, job: string): Promise<number | undefined> {
  const r = await http<{ instances?: { state?: string }[] }>(api, 'GET', `/api/v1/jobs/${job}`);
  if (r.status !== 200) return undefined;
  return (r.json.instances ?? []).filter((i) => i.state === 'RUNNING').length;
}

describe('SIGKILL of the scheduler', () => {
  it('during a burst of 10,000 launches: after a restart the same tasks are reconciled, none duplicated, none lost', async () => {
    let s = await scheduler();
    // Five jobs of 2,000 instances (a job's instance limit is 4,000, as in Aurora).
    for (const job of JOBS) {
      const [role, environment, name] = job.split('/');
      const created = await http(s.url, 'POST', `/api/v1/jobs/${job}`, {
        role,
        environment,
        name,
        kind: 'service',
        instances: PER_JOB,
        task: {
          processes: [{ name: 'work', cmdline: 'sleep 100000' }],
          resources: { cpu: 0.1, ramMb: 32, diskMb: 16 },
        },
      });
      expect(created.json).toMatchObject({ created: true });
    }
    // Kill it in the middle of the burst: some launches accepted by Mesos, most not yet.
    await until('a quarter of the burst launched', async () => {
      const r = await http<unknown[]>(emulator.url, 'GET', '/emulator/v1/launches');
      return r.json.length >= (PER_JOB * JOBS.length) / 4 ? true : undefined;
    });
    await s.kill();
    s = await scheduler();
    for (const job of JOBS) {
      await until(
        `${PER_JOB} instances of ${job} RUNNING after the restart`,
        async () => ((await runningCount(s.url, job)) === PER_JOB ? true : undefined),
        300_000,
      );
    }
    for (const job of JOBS) {
      const verdict = await judge(emulator.url, job, PER_JOB);
      expect(verdict.duplicateLaunches).toEqual([]);
      expect(verdict.missing).toEqual([]);
      expect(verdict.doubled).toEqual([]);
      expect(verdict.live).toBe(PER_JOB);
    }
    await s.stop();
  });
});
