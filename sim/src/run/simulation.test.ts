import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Effect,
  HostSpec,
  JobConfig,
  PreemptionRecord,
  ReportedState,
  Resources,
  Scheduler,
  SchedulerOptions,
  TaskEvent,
  TaskState,
} from '@borealis/core';
import { formatJobKey, ok } from '@borealis/core';
import { openTrace } from '@borealis/traces';
import { describe, expect, it } from 'vitest';
import { taskEventLine } from '../output/event-lines.js';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';
import { DEFAULTS, type SimOptions } from './sim-options.js';
import { OPEN_END_HORIZON_MS, Simulation } from './simulation.js';

/**
 * A deliberately tiny first-fit Scheduler, only to exercise the engine and the simulated cluster
 * in isolation (status latencies, completions, host failures, ending). Behaviour of the real core
 * is tested through the CLI-level scenario tests.
 */
function fakeScheduler(o: SchedulerOptions, overcommit = false): Scheduler {
  const hosts = new Map<string, { spec: HostSpec; free: Resources; up: boolean }>();
  const tasks = new Map<
    string,
    { job: string; instance: number; state: TaskState; host?: string; config: JobConfig }
  >();
  const pending: string[] = [];
  const listeners: ((e: TaskEvent) => void)[] = [];
  let effects: Effect[] = [];
  let dirty = false;
  let n = 0;
  const emit = (id: string, state: TaskState, reason?: string): void => {
    const t = tasks.get(id)!;
    t.state = state;
    for (const l of listeners)
      l({ time: o.clock.now(), taskId: id, job: t.job, instance: t.instance, state, host: t.host, reason });
  };
  const free = (id: string): void => {
    const t = tasks.get(id)!;
    const h = t.host ? hosts.get(t.host) : undefined;
    if (h) h.free = { ...h.free, cpu: h.free.cpu + t.config.task.resources.cpu };
  };
  const s: Partial<Scheduler> = {
    addHost: (spec) => void hosts.set(spec.id, { spec, free: spec.resources, up: true }),
    hostDown: (id) => {
      const h = hosts.get(id)!;
      h.up = false;
      for (const [tid, t] of tasks) {
        if (t.host === id && (t.state === 'ASSIGNED' || t.state === 'STARTING' || t.state === 'RUNNING')) {
          emit(tid, 'LOST');
        }
      }
      h.free = h.spec.resources;
    },
    hostUp: (id) => {
      hosts.get(id)!.up = true;
      dirty = true;
    },
    submitJob: (config) => {
      const ids: string[] = [];
      for (let i = 0; i < config.instances; i++) {
        const id = `t${++n}`;
        tasks.set(id, { job: formatJobKey(config.key), instance: i, state: 'INIT', config });
        emit(id, 'PENDING');
        pending.push(id);
        ids.push(id);
      }
      dirty = true;
      return ok({ taskIds: ids });
    },
    taskStatus: (id, state: ReportedState) => {
      emit(id, state);
      if (state === 'FINISHED' || state === 'FAILED' || state === 'KILLED') {
        free(id);
        dirty = true;
      }
    },
    tick: () => {
      dirty = false;
      for (let i = 0; i < pending.length; i++) {
        const id = pending[i]!;
        const t = tasks.get(id)!;
        const need = t.config.task.resources.cpu;
        for (const h of hosts.values()) {
          if (h.up && (overcommit || h.free.cpu >= need)) {
            h.free = { ...h.free, cpu: h.free.cpu - need };
            t.host = h.spec.id;
            emit(id, 'ASSIGNED');
            effects.push({
              kind: 'launch',
              taskId: id,
              job: t.job,
              instance: t.instance,
              host: h.spec.id,
              ports: {},
              config: t.config.task,
            });
            pending.splice(i--, 1);
            break;
          }
        }
      }
    },
    nextWakeup: () => (dirty ? o.clock.now() : undefined),
    takeEffects: () => {
      const out = effects;
      effects = [];
      return out;
    },
    takeStep: () => {
      const out = effects;
      effects = [];
      return { changes: [], effects: out };
    },
    onTaskEvent: (l) => void listeners.push(l),
    onPreemption: (_l: (r: PreemptionRecord) => void) => {},
    onUpdateEvent: () => {},
    onMaintenanceEvent: () => {},
    lifecycleCounters: () => ({
      updates: {
        started: 0,
        rolledForward: 0,
        rolledBack: 0,
        failed: 0,
        aborted: 0,
        restarts: 0,
        meanDurationMs: 0,
      },
      cron: { triggers: 0, runs: 0, collisions: 0 },
      maintenance: { hostsDrained: 0, slaDelayedKills: 0, forcedKills: 0 },
    }),
    pendingReasonTotals: () => ({}),
    hostCounts: () => ({ total: hosts.size, usable: [...hosts.values()].filter((h) => h.up).length }),
  };
  return s as Scheduler;
}

function options(trace: string, out: string, extra: Partial<SimOptions> = {}): SimOptions {
  return {
    trace,
    seed: 1,
    out,
    sampleIntervalMs: 10_000,
    loadScale: 1,
    loadJitterMs: DEFAULTS.loadJitterMs,
    audit: true,
    preemption: true,
    launchLatencyMs: [1000, 2000],
    killLatencyMs: 500,
    eventLog: true,
    ...extra,
  };
}

async function simulate(records: object[], extra: Partial<SimOptions> = {}, overcommit = false) {
  const trace = writeTrace(records);
  const out = tempDir();
  const opened = await openTrace(trace);
  const summary = await new Simulation({
    options: options(trace, out, extra),
    trace: opened,
    createScheduler: (o) => fakeScheduler(o, overcommit),
  }).run();
  const events = readFileSync(join(out, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TaskEvent & { t: number });
  const csv = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
  return { summary, events, csv, out };
}

describe('Simulation engine and cluster (with a minimal stand-in scheduler)', () => {
  it('walks a task through ASSIGNED → STARTING → RUNNING → FINISHED at the configured times', async () => {
    const { summary, events, csv } = await simulate([
      host(0, 'a'),
      job(1000, 'r/e/j', { durationMs: 30_000 }),
    ]);
    expect(events.map((e) => [e.t, e.state])).toEqual([
      [1000, 'PENDING'],
      [1000, 'ASSIGNED'],
      [2000, 'STARTING'],
      [4000, 'RUNNING'],
      [34_000, 'FINISHED'],
    ]);
    expect(summary.simulatedMs).toBe(34_000);
    expect(summary.tasks).toMatchObject({ submitted: 1, launched: 1, finished: 1, pendingAtEnd: 0 });
    expect(summary.violations).toBe(0);
    // samples at 0, 10 s, 20 s, 30 s and the end
    expect(csv.slice(1).map((r) => Number(r.split(',')[0]))).toEqual([0, 10_000, 20_000, 30_000, 34_000]);
    expect(csv[0]).toContain('alloc_cpu_preemptible');
  });

  it('ends once nothing can change, leaving unplaceable tasks pending', async () => {
    const { summary } = await simulate([
      host(0, 'a'),
      job(0, 'r/e/big', { task: { cpu: 8, ramMb: 1, diskMb: 0 } }),
    ]);
    expect(summary.tasks.pendingAtEnd).toBe(1);
    expect(summary.simulatedMs).toBe(0);
  });

  it('stops an open-ended run that never settles at the horizon after the last record, with a notice', async () => {
    // A scheduler that changes something every hour for ever, which no end rule foresees (a task
    // flipping between two states on a host: nothing pending, so the backlog watch has no say).
    const notices: string[] = [];
    const trace = writeTrace([host(0, 'a'), job(60_000, 'r/e/j', { durationMs: 1000 })]);
    const summary = await new Simulation({
      options: options(trace, tempDir(), { audit: false, eventLog: false, sampleIntervalMs: 3_600_000 }),
      trace: await openTrace(trace),
      createScheduler: (o) => {
        const inner = fakeScheduler(o);
        const listeners: ((e: TaskEvent) => void)[] = [];
        let next = 3_600_000;
        let n = 0;
        return {
          ...inner,
          onTaskEvent: (l) => {
            listeners.push(l);
            inner.onTaskEvent(l);
          },
          nextWakeup: () => Math.min(next, inner.nextWakeup() ?? next),
          tick: () => {
            const now = o.clock.now();
            if (now >= next) {
              next += 3_600_000;
              const state = n++ % 2 === 0 ? 'STARTING' : 'RUNNING';
              for (const l of listeners) l({ time: now, taskId: 'x', job: 'r/e/x', instance: 0, state });
            }
            inner.tick();
          },
        };
      },
      onNotice: (m) => notices.push(m),
    }).run();
    expect(summary.simulatedMs).toBe(60_000 + OPEN_END_HORIZON_MS);
    expect(summary.tasks.finished).toBe(1);
    expect(notices).toEqual([expect.stringMatching(/stopped 7 days after the last trace record/)]);
  });

  it('runs to --until when given, sampling the whole span', async () => {
    const { summary, csv } = await simulate([host(0, 'a')], { untilMs: 60_000 });
    expect(summary.simulatedMs).toBe(60_000);
    expect(csv.length - 1).toBe(7);
  });

  it('leaves a whole event log, up to the last event, when the scheduler fails mid-run', async () => {
    const trace = writeTrace([host(0, 'a'), job(1000, 'r/e/j', { instances: 3, durationMs: 30_000 })]);
    const out = tempDir();
    const lines: string[] = [];
    const run = new Simulation({
      options: options(trace, out),
      trace: await openTrace(trace),
      createScheduler: (o) => {
        const s = fakeScheduler(o);
        s.onTaskEvent((e) => lines.push(`${taskEventLine(e)}\n`));
        const status = s.taskStatus.bind(s);
        s.taskStatus = (id, state) => {
          if (state === 'RUNNING') throw new Error('scheduler bug');
          status(id, state);
        };
        return s;
      },
    }).run();
    await expect(run).rejects.toThrow('scheduler bug');
    expect(lines.length).toBeGreaterThan(3);
    expect(readFileSync(join(out, 'events.jsonl'), 'utf8')).toBe(lines.join(''));
  });

  it('loses tasks with their host and frees the cluster record', async () => {
    const { summary, events } = await simulate([
      host(0, 'a'),
      job(0, 'r/e/svc', { kind: 'service', instances: 2 }),
      { t: 10_000, type: 'host_down', host: 'a' },
    ]);
    expect(events.filter((e) => e.state === 'LOST')).toHaveLength(2);
    expect(summary.tasks).toMatchObject({ lost: 2, runningAtEnd: 0 });
    expect(summary.violations).toBe(0);
  });

  it('is deterministic and samples jobs out under --load-scale < 1 by seed', async () => {
    const records = [host(0, 'a', { cpu: 64 }), ...Array.from({ length: 40 }, (_, i) => job(i, `r/e/j${i}`))];
    const a = await simulate(records, { loadScale: 0.5, seed: 1 });
    const b = await simulate(records, { loadScale: 0.5, seed: 1 });
    const c = await simulate(records, { loadScale: 0.5, seed: 2 });
    expect(a.summary.jobs.submitted).toBe(b.summary.jobs.submitted);
    expect(a.events).toEqual(b.events);
    expect(a.summary.jobs.submitted).toBeGreaterThan(5);
    expect(a.summary.jobs.submitted).toBeLessThan(35);
    expect(c.events).not.toEqual(a.events);
    const d = await simulate(records, { loadScale: 2.5 });
    expect(d.summary.jobs.submitted).toBeGreaterThanOrEqual(80);
    expect(d.summary.jobs.submitted).toBeLessThanOrEqual(120);
  });

  it('counts audit violations when a scheduler overcommits a host or breaks a constraint', async () => {
    const { summary } = await simulate(
      [
        host(0, 'a', { attributes: { rack: 'r1', dedicated: 'ml/train' } }),
        job(0, 'r/e/too-big', { kind: 'service', instances: 5, constraints: { rack: 'r2' } }),
      ],
      {},
      true,
    );
    // the fifth task overfills cpu and ram (2 findings); rack=r2 and the dedicated host 5 times each
    expect(summary.violations).toBe(12);
    expect(summary.violationSamples.join('\n')).toMatch(/over capacity in cpu/);
    expect(summary.violationSamples.join('\n')).toMatch(/breaks rack=r2/);
    expect(summary.violationSamples.join('\n')).toMatch(/dedicated to ml\/train/);
  });
});
