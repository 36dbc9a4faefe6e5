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

const BURST = 10_000;

async function runningCount(api: string, job: string): Promise<number | undefined> {
  const r = await http<{ instances?: { state?: string }[] }>(api, 'GET', `/api/v1/jobs/${job}`);
  if (r.status !== 200) return undefined;
  return (r.json.instances ?? []).filter((i) => i.state === 'RUNNING').length;
}

describe('SIGKILL of the scheduler', () => {
  it('during a burst of 10,000 launches: after a restart the same tasks are reconciled, none duplicated, none lost', async () => {
    let s = await scheduler();
    const created = await http(s.url, 'POST', '/api/v1/jobs/batch/prod/burst', {
      role: 'batch',
      environment: 'prod',
      name: 'burst',
      kind: 'service',
      instances: BURST,
      task: {
        processes: [{ name: 'work', cmdline: 'sleep 100000' }],
        resources: { cpu: 0.1, ramMb: 32, diskMb: 16 },
      },
    });
    expect(created.status).toBe(201);
    // Kill it in the middle of the burst: some launches accepted by Mesos, most not yet.
    await until('a quarter of the burst launched', async () => {
      const r = await http<unknown[]>(emulator.url, 'GET', '/emulator/v1/launches');
      return r.json.length >= BURST / 4 ? true : undefined;
    });
    await s.kill();
    s = await scheduler();
    await until(
      `${BURST} instances RUNNING after the restart`,
      async () => ((await runningCount(s.url, 'batch/prod/burst')) === BURST ? true : undefined),
      300_000,
    );
    const verdict = await judge(emulator.url, 'batch/prod/burst', BURST);
    expect(verdict.duplicateLaunches).toEqual([]);
    expect(verdict.missing).toEqual([]);
    expect(verdict.doubled).toEqual([]);
    expect(verdict.live).toBe(BURST);
    await s.stop();
  });
});
