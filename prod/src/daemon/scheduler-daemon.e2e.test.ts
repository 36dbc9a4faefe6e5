import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { type RunningScheduler, startSchedulerDaemon } from './scheduler-daemon.js';

/**
 * The scheduler daemon end to end against the Mesos emulator over loopback HTTP: jobs created
 * through the API run as tasks the emulator accepted, a restart recovers them from file storage
 * without launching anything twice, and kills reach Mesos.
 */
let emulator: Emulator;
let dir: string;
let scheduler: RunningScheduler | undefined;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  emulator = await startEmulator({ agents: 6, allocationIntervalMs: 50, heartbeatIntervalMs: 1000 });
  dir = await mkdtemp(join(tmpdir(), 'borealis-daemon-'));
});
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
});
afterAll(async () => {
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

function start(): Promise<RunningScheduler> {
  return startSchedulerDaemon({
    cluster: 'test',
    master: emulator.url,
    storage: { kind: 'file', dir: join(dir, 'storage') },
    apiPort: 0,
    killGraceSeconds: 1,
    implicitReconcileDelayMs: 200,
    log,
  });
}

async function api(
  s: RunningScheduler,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  const res = await fetch(`${s.apiUrl}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const WEB = {
  role: 'www',
  environment: 'prod',
  name: 'web',
  kind: 'service',
  instances: 3,
  task: {
    processes: [{ name: 'web', cmdline: 'serve --port {{ports.http}}' }],
    resources: { cpu: 0.5, ramMb: 128, diskMb: 64 },
    ports: ['http'],
  },
};

function runningTasks(s: RunningScheduler, job: string): string[] | undefined {
  const [role, env, name] = job.split('/') as [string, string, string];
  const ids = s.core.activeTasks({ role, environment: env, name });
  const running = ids.filter((id) => s.core.task(id)?.state === 'RUNNING');
  return running.length === ids.length && ids.length > 0 ? [...ids].sort() : undefined;
}

describe('borealis scheduler run against the Mesos emulator', () => {
  it('runs a job created through the API, survives a restart without relaunching, and kills it', async () => {
    scheduler = await start();
    const created = await api(scheduler, 'POST', '/api/v1/jobs/www/prod/web', WEB);
    expect(created.json).toMatchObject({ created: true });
    expect(created.status).toBe(201);
    const first = await until('3 RUNNING tasks', () => runningTasks(scheduler!, 'www/prod/web'));
    expect(first).toHaveLength(3);
    const launched = emulator.launches.filter((l) => first.includes(l.taskId));
    expect(launched).toHaveLength(3);
    // Each launch asked for its resources within an offer; ports came from the offered ranges.
    for (const l of launched) expect(l.resources.find((r) => r.name === 'ports')).toBeDefined();

    await scheduler.stop();
    const launchesBefore = emulator.launches.length;
    scheduler = await start();
    // Same tasks, reconciled with Mesos: nothing relaunched, nothing duplicated.
    const again = await until('the same 3 tasks RUNNING after recovery', () =>
      runningTasks(scheduler!, 'www/prod/web'),
    );
    expect(again).toEqual(first);
    await new Promise((r) => setTimeout(r, 500));
    expect(emulator.launches.length).toBe(launchesBefore);

    const killed = await api(scheduler, 'POST', '/api/v1/jobs/www/prod/web/killall');
    expect(killed.status).toBeLessThan(300);
    await until('the emulator to have no live task of the job', async () => {
      const state = (await (await fetch(`${emulator.url}/master/state`)).json()) as {
        frameworks: { tasks: { id: string; state: string }[] }[];
      };
      const live = state.frameworks
        .flatMap((f) => f.tasks)
        .filter((t) => first.includes(t.id) && t.state !== 'TASK_KILLED');
      return live.length === 0 ? true : undefined;
    });
  });
});
