import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startSchedulerDaemon } from '@borealis/prod';
import pino from 'pino';
import type { BenchSuite, Figures } from '../index.js';

/**
 * The production scheduler end to end (issue 16's figures): the Mesos emulator in its own process
 * with 10,000 agents, `borealis scheduler run`'s daemon in this process with file storage (fsync on).
 * - burst: jobs totalling N instances created through the API; time until every task is RUNNING
 *   (placed, committed, launched through ACCEPT, STARTING and RUNNING reported and acknowledged);
 *   the scheduler's own CPU time gives placements + launches per scheduler CPU-second.
 * - recovery: the scheduler stopped and started again on the same store: time to recover the state
 *   and bytes of storage per task.
 */
const BOREALIS = fileURLToPath(new URL('../../../cli/bin/borealis.mjs', import.meta.url));

function startEmulator(agents: number): Promise<{ url: string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        BOREALIS,
        'mesos',
        'emulate',
        '--agents',
        String(agents),
        '--port',
        '0',
        '--allocation-interval',
        '0.1',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m)
        resolve({
          url: m[1]!,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before it was ready`)));
  });
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}

async function untilRunning(running: () => number, want: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (running() < want) {
    if (Date.now() > deadline)
      throw new Error(`only ${running()} of ${want} tasks RUNNING after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const prodSuite: BenchSuite = {
  name: 'prod',
  description:
    'scheduler daemon + emulator (own process, 10,000 agents), fsync on: burst to RUNNING, recovery',
  async run(context) {
    const agents = context.quick ? 200 : 10_000;
    const perJob = context.quick ? 250 : 2_000;
    const jobs = context.quick ? 2 : 5;
    const total = perJob * jobs;
    const dir = mkdtempSync(join(tmpdir(), 'bench-prod-'));
    const emulator = await startEmulator(agents);
    const log = pino({ level: 'silent' });
    const start = () =>
      startSchedulerDaemon({
        cluster: 'bench',
        master: emulator.url,
        storage: { kind: 'file', dir: join(dir, 'storage') },
        apiPort: 0,
        log,
      });
    try {
      let scheduler = await start();
      await new Promise((r) => setTimeout(r, 2000));
      const running = () => scheduler.core.taskCounts().RUNNING ?? 0;
      context.log(`prod: ${jobs} jobs x ${perJob} instances on ${agents} agents`);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let j = 0; j < jobs; j++) {
        const res = await fetch(`${scheduler.apiUrl}/api/v1/jobs/bench/prod/job${j}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            role: 'bench',
            environment: 'prod',
            name: `job${j}`,
            kind: 'service',
            instances: perJob,
            task: {
              processes: [{ name: 'work', cmdline: 'sleep 100000' }],
              resources: { cpu: 0.1, ramMb: 32, diskMb: 16 },
            },
          }),
        });
        if (res.status !== 201) throw new Error(`job create: ${res.status} ${await res.text()}`);
      }
      await untilRunning(running, total, 900_000);
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      await scheduler.snapshot();
      await scheduler.stop();
      const storageBytes = dirBytes(join(dir, 'storage'));
      const r0 = performance.now();
      scheduler = await start();
      const recoveryMs = performance.now() - r0;
      await untilRunning(running, total, 300_000);
      const reconciledMs = performance.now() - r0;
      await scheduler.stop();
      const burst: Figures = {
        tasks: total,
        agents,
        wallMs: Math.round(wallMs),
        runningPerSecond: Math.round((total / wallMs) * 1000),
        schedulerCpuSeconds: Number(cpuSeconds.toFixed(2)),
        launchesPerSchedulerCpuSecond: Math.round(total / cpuSeconds),
      };
      return {
        burst,
        recovery: {
          tasks: total,
          recoveryMs: Math.round(recoveryMs),
          allRunningAgainMs: Math.round(reconciledMs),
          storageBytes,
          storageBytesPerTask: Math.round(storageBytes / total),
        },
        notes:
          'scheduler and emulator share the machine (the emulator runs in its own process); includes API create, placement, group commits with fsync, ACCEPT, two status updates and two ACKs per task',
      };
    } finally {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
