import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBase64 } from '../data/host-matrix.js';
import type { PreemptionRecord, RunSummary, TaskEventRecord } from '../data/run-files.js';
import { exponential, mulberry32 } from './prng.js';

/**
 * Writes a run output folder (docs/run-output.md) with plausible contents: services that stay up,
 * diurnal batch churn, preferred tasks preempting preemptible ones, and a rack outage whose tasks
 * go LOST and reschedule. It is not a scheduler — placement ignores capacity beyond a clamp —
 * but every file is self-consistent (the summary, time series, host matrices and events describe
 * the same tasks), which is what the visualizer's tests and benchmark need. Seeded: the same
 * options write the same bytes.
 */
export interface FixtureOptions {
  readonly hosts: number;
  readonly durationMs: number;
  readonly sampleIntervalMs: number;
  readonly seed: number;
  readonly policy?: string;
  /** Average fraction of cluster CPU the generated tasks try to occupy. */
  readonly load?: number;
  readonly trace?: string;
  /**
   * Multiplies every task's size (default 1). Large clusters use bigger tasks so a one-day run at
   * 10,000 hosts stays at hundreds of thousands of tasks rather than millions.
   */
  readonly taskScale?: number;
}

interface Task {
  id: string;
  job: string;
  instance: number;
  tier: number;
  cpu: number;
  ramMb: number;
  diskMb: number;
  host: number;
  pendingAt: number;
  assignedAt: number;
  runningAt: number;
  endAt: number;
  endState: 'FINISHED' | 'FAILED' | 'KILLED' | 'LOST' | null;
  preempted: boolean;
}

const TIERS = ['preferred', 'preemptible', 'revocable'] as const;
const RES = ['cpu', 'ramMb', 'diskMb', 'gpus'] as const;

export async function writeFixtureRun(dir: string, opts: FixtureOptions): Promise<RunSummary> {
  const rnd = mulberry32(opts.seed * 7919 + opts.hosts);
  const { durationMs: end, sampleIntervalMs: step } = opts;
  const policy = opts.policy ?? 'best-fit';
  // Policies shift the fixture a little so comparisons show different curves.
  const policyBias = policy === 'worst-fit' ? 1.25 : policy === 'first-fit' ? 0.85 : 1;
  const hostCpu = Array.from({ length: opts.hosts }, (_, i) => (i % 4 === 3 ? 64 : 32));
  const hostRam = hostCpu.map((c) => c * 4096);
  const rackOf = (h: number) => `r${String(Math.floor(h / 40) + 1).padStart(3, '0')}`;
  const hostId = (h: number) => `h${String(h + 1).padStart(5, '0')}`;
  const totalCpu = hostCpu.reduce((a, b) => a + b, 0);
  // A single-rack cluster gets no outage: there would be nowhere left to reschedule to.
  const racks = Math.ceil(opts.hosts / 40);
  const outageRack = racks > 1 ? Math.floor(rnd() * racks) : -1;
  const outageStart = Math.round(end * 0.55);
  const outageEnd = outageStart + Math.round(end * 0.04);
  const hostDown = (h: number, t: number) =>
    Math.floor(h / 40) === outageRack && t >= outageStart && t < outageEnd;

  const tasks: Task[] = [];
  const preemptions: PreemptionRecord[] = [];
  let seq = 0;
  // Two random candidates, the lower index wins: a packing bias that gives the heat map a gradient.
  const pickHost = (t: number): number => {
    for (;;) {
      const a = Math.floor(rnd() * opts.hosts);
      const b = Math.floor(rnd() * opts.hosts);
      const h = policy === 'worst-fit' ? Math.max(a, b) : Math.min(a, b);
      if (!hostDown(h, t)) return h;
    }
  };
  const newTask = (
    job: string,
    instance: number,
    tier: number,
    cpu: number,
    ramMb: number,
    at: number,
    runMs: number,
  ): Task => {
    const delayMean = (tier === 0 ? 1500 : 20_000) * policyBias * (1 + 2 * diurnal(at, end));
    const assignedAt = Math.min(end, Math.round(at + exponential(rnd, delayMean)));
    const runningAt = Math.min(end, assignedAt + 500 + Math.floor(rnd() * 3000));
    const endAt = Math.min(end, runningAt + runMs);
    const task: Task = {
      id: `${job.replaceAll('/', '-')}-${instance}-${String(++seq).padStart(6, '0')}`,
      job,
      instance,
      tier,
      cpu,
      ramMb,
      diskMb: ramMb * 2,
      host: pickHost(assignedAt),
      pendingAt: at,
      assignedAt,
      runningAt,
      endAt,
      endState: endAt < end ? (rnd() < 0.96 ? 'FINISHED' : 'FAILED') : null,
      preempted: false,
    };
    tasks.push(task);
    return task;
  };

  const targetCpu = totalCpu * (opts.load ?? 0.6);
  const scale = opts.taskScale ?? 1;
  // Services: preferred, long-lived, about half the target load, submitted early.
  let serviceCpu = 0;
  for (let j = 0; serviceCpu < targetCpu * 0.5; j++) {
    const instances = 2 + Math.floor(rnd() * 24);
    const cpu = [0.5, 1, 2, 4][Math.floor(rnd() * 4)]! * scale;
    const at = j < 5 ? 0 : Math.round(rnd() * end * 0.1);
    const job = `svc${j % 17}/prod/service-${j}`;
    for (let i = 0; i < instances; i++) newTask(job, i, 0, cpu, cpu * 2048, at, end);
    serviceCpu += instances * cpu;
  }
  // Batch: preemptible (and some revocable) jobs with a diurnal arrival rate.
  const meanRunMs = Math.min(end / 8, 40 * 60_000);
  const batchConcurrentCpu = targetCpu * 0.45;
  let t = 0;
  for (let j = 0; t < end; j++) {
    const instances = 1 + Math.floor(exponential(rnd, 12));
    const cpu = [1, 2, 4, 8][Math.floor(rnd() * 4)]! * scale;
    const tier = rnd() < 0.8 ? 1 : 2;
    const job = `${tier === 1 ? 'batch' : 'best-effort'}${j % 23}/devel/job-${j}`;
    for (let i = 0; i < instances; i++)
      newTask(job, i, tier, cpu, cpu * 3072, t, Math.round(exponential(rnd, meanRunMs)));
    // Little's law: arrival gap so that concurrent batch CPU averages the target.
    const gap = (instances * cpu * meanRunMs) / batchConcurrentCpu;
    t += Math.max(1, Math.round(exponential(rnd, gap) / (0.4 + 1.2 * diurnal(t, end))));
  }

  // Preemption: at busy moments a preferred task evicts preemptible ones on its host.
  const victimsPool = tasks.filter((x) => x.tier > 0);
  const poolByHost = new Map<number, Task[]>();
  for (const x of victimsPool) {
    const list = poolByHost.get(x.host);
    if (list) list.push(x);
    else poolByHost.set(x.host, [x]);
  }
  const preemptCount = Math.max(3, Math.round(victimsPool.length * 0.01 * policyBias));
  for (let p = 0; p < preemptCount; p++) {
    const victim = victimsPool[Math.floor(rnd() * victimsPool.length)]!;
    if (victim.preempted || victim.runningAt >= victim.endAt) continue;
    const at = Math.round(victim.runningAt + (victim.endAt - victim.runningAt) * rnd());
    const preemptorJob = `svc${p % 17}/prod/surge-${p % 40}`;
    const preemptor = newTask(preemptorJob, p, 0, victim.cpu, victim.ramMb, at, end);
    preemptor.host = victim.host;
    preemptor.pendingAt = Math.max(0, at - 2000);
    preemptor.assignedAt = at;
    preemptor.runningAt = Math.min(end, at + 1500);
    const siblings = (poolByHost.get(victim.host) ?? []).filter(
      (x) => x !== victim && !x.preempted && x.runningAt < at && x.endAt > at,
    );
    const victims = [victim, ...siblings.slice(0, Math.floor(rnd() * 3))];
    for (const v of victims) {
      const remaining = v.endAt - at;
      v.endAt = at;
      v.endState = 'KILLED';
      v.preempted = true;
      if (remaining > 0) newTask(v.job, v.instance, v.tier, v.cpu, v.ramMb, at, remaining);
    }
    const party = (x: Task) => ({ task: x.id, job: x.job, tier: TIERS[x.tier]!, priority: 0 });
    preemptions.push({
      t: at,
      host: hostId(victim.host),
      preemptor: party(preemptor),
      victims: victims.map(party),
    });
  }
  // Rack outage: tasks on the rack's hosts go LOST and come back elsewhere.
  for (const task of [...tasks]) {
    if (Math.floor(task.host / 40) !== outageRack) continue;
    if (task.assignedAt < outageStart && task.endAt > outageStart) {
      const remaining = task.endAt - outageStart;
      task.endAt = outageStart;
      task.endState = 'LOST';
      newTask(task.job, task.instance, task.tier, task.cpu, task.ramMb, outageStart, remaining);
    }
  }
  preemptions.sort((a, b) => a.t - b.t);

  const samples = Math.floor(end / step) + 1;
  const series = buildSeries(tasks, preemptions, samples, step, opts.hosts, hostCpu, hostRam, hostDown);
  const events = buildEvents(tasks, hostId);
  await mkdir(dir, { recursive: true });
  const delays = tasks
    .filter((x) => x.assignedAt < end || x.assignedAt === x.pendingAt)
    .map((x) => x.assignedAt - x.pendingAt);
  delays.sort((a, b) => a - b);
  const q = (p: number) =>
    delays[Math.min(delays.length - 1, Math.max(0, Math.ceil(p * delays.length) - 1))] ?? 0;
  const utilization = Object.fromEntries(
    RES.map((r) => [r, { mean: round4(mean(series.util[r])), peak: round4(Math.max(0, ...series.util[r])) }]),
  );
  const count = (s: string) => tasks.filter((x) => x.endState === s).length;
  const summary: RunSummary = {
    format: 'borealis-run',
    version: 1,
    trace: opts.trace ?? `traces/fixture-${opts.hosts}.jsonl`,
    traceName: `fixture-${opts.hosts}`,
    policy,
    seed: opts.seed,
    options: { untilMs: end, sampleIntervalMs: step, loadScale: 1 },
    hosts: opts.hosts,
    simulatedMs: end,
    wallMs: 0,
    events: events.length,
    tasks: {
      submitted: tasks.length,
      launched: tasks.filter((x) => x.runningAt < x.endAt).length,
      finished: count('FINISHED'),
      failed: count('FAILED'),
      killed: count('KILLED'),
      lost: count('LOST'),
      preempted: tasks.filter((x) => x.preempted).length,
      pendingAtEnd: tasks.filter((x) => x.assignedAt >= end && x.pendingAt < end).length,
      killedBeforeLaunch: 0,
      runningAtEnd: tasks.filter((x) => x.endState === null && x.runningAt < end).length,
    },
    jobs: { submitted: new Set(tasks.map((x) => x.job)).size, rejected: 0 },
    schedulingDelayMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1), mean: Math.round(mean(delays)) },
    utilization,
    hostsUsed: new Set(tasks.map((x) => x.host)).size,
    preemptions: preemptions.length,
    violations: 0,
    pendingReasons: { 'insufficient cpu': 3, 'constraint not satisfied: rack': 1 },
    machine: { cpu: 'fixture', cores: 0, node: 'fixture' },
  };
  await writeFile(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  await writeFile(join(dir, 'timeseries.csv'), series.csv);
  await writeFile(join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await writeFile(
    join(dir, 'preemptions.jsonl'),
    preemptions.map((p) => JSON.stringify(p)).join('\n') + '\n',
  );
  await writeFile(
    join(dir, 'hosts.json'),
    JSON.stringify({
      sampleTimes: Array.from({ length: samples }, (_, s) => s * step),
      hosts: hostCpu.map((cpu, h) => ({
        id: hostId(h),
        rack: rackOf(h),
        zone: h % 2 ? 'b' : 'a',
        cpu,
        ramMb: hostRam[h]!,
      })),
      cpu: encodeBase64(series.hostCpu),
      ramMb: encodeBase64(series.hostRam),
    }),
  );
  return summary;
}

/** 0..1, peaking mid-"day" (the run is treated as one day however long it is). */
function diurnal(t: number, end: number): number {
  return 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / Math.max(1, end));
}

function buildSeries(
  tasks: readonly Task[],
  preemptions: readonly PreemptionRecord[],
  samples: number,
  step: number,
  hosts: number,
  hostCpu: readonly number[],
  hostRam: readonly number[],
  hostDown: (h: number, t: number) => boolean,
) {
  // Difference arrays over sample indices: a task alive on [a, b) covers samples ceil(a/step) .. ceil(b/step)-1.
  const idx = (t: number) => Math.min(samples, Math.ceil(t / step));
  const alloc = RES.map(() => TIERS.map(() => new Float64Array(samples + 1)));
  const running = new Float64Array(samples + 1);
  const pending = new Float64Array(samples + 1);
  const hostCpuLoad = new Float32Array(hosts * (samples + 1));
  const hostRamLoad = new Float32Array(hosts * (samples + 1));
  const scheduled = new Float64Array(samples);
  const delaysBy: number[][] = Array.from({ length: samples }, () => []);
  const lost = new Float64Array(samples);
  for (const x of tasks) {
    const a = idx(x.assignedAt);
    const b = idx(x.endAt);
    const res = [x.cpu, x.ramMb, x.diskMb, 0];
    if (b > a) {
      for (let r = 0; r < RES.length; r++) {
        alloc[r]![x.tier]![a]! += res[r]!;
        alloc[r]![x.tier]![b]! -= res[r]!;
      }
      hostCpuLoad[x.host * (samples + 1) + a]! += x.cpu;
      hostCpuLoad[x.host * (samples + 1) + b]! -= x.cpu;
      hostRamLoad[x.host * (samples + 1) + a]! += x.ramMb;
      hostRamLoad[x.host * (samples + 1) + b]! -= x.ramMb;
    }
    const ra = idx(x.runningAt);
    if (b > ra) {
      running[ra]!++;
      running[b]!--;
    }
    const pa = idx(x.pendingAt);
    if (a > pa) {
      pending[pa]!++;
      pending[a]!--;
    }
    if (x.assignedAt > x.pendingAt || x.pendingAt === x.assignedAt) {
      const s = Math.min(samples - 1, Math.ceil(x.assignedAt / step));
      scheduled[s]!++;
      delaysBy[s]!.push(x.assignedAt - x.pendingAt);
    }
    if (x.endState === 'LOST') lost[Math.min(samples - 1, Math.ceil(x.endAt / step))]!++;
  }
  const prefix = (arr: Float64Array | Float32Array, from = 0, n = samples) => {
    for (let i = from + 1; i < from + n; i++) arr[i]! += arr[i - 1]!;
  };
  for (const perTier of alloc) for (const a of perTier) prefix(a);
  prefix(running);
  prefix(pending);
  const hostCpuCells = new Uint8Array(hosts * samples);
  const hostRamCells = new Uint8Array(hosts * samples);
  const capCpu = new Float64Array(samples);
  const capRam = new Float64Array(samples);
  const up = new Float64Array(samples);
  for (let h = 0; h < hosts; h++) {
    const base = h * (samples + 1);
    prefix(hostCpuLoad, base);
    prefix(hostRamLoad, base);
    for (let s = 0; s < samples; s++) {
      if (hostDown(h, s * step)) continue;
      up[s]!++;
      capCpu[s]! += hostCpu[h]!;
      capRam[s]! += hostRam[h]!;
      hostCpuCells[h * samples + s] = Math.min(255, Math.round((255 * hostCpuLoad[base + s]!) / hostCpu[h]!));
      hostRamCells[h * samples + s] = Math.min(255, Math.round((255 * hostRamLoad[base + s]!) / hostRam[h]!));
    }
  }
  const preemptBy = new Float64Array(samples);
  const victimsBy = new Float64Array(samples);
  for (const p of preemptions) {
    const s = Math.min(samples - 1, Math.ceil(p.t / step));
    preemptBy[s]!++;
    victimsBy[s]! += p.victims.length;
  }
  const header = ['t', 'hosts_up', 'cap_cpu', 'cap_ramMb', 'cap_diskMb', 'cap_gpus'];
  for (const r of RES) for (const tier of TIERS) header.push(`alloc_${r}_${tier}`);
  header.push('running', 'pending', 'scheduled', 'delay_p50', 'delay_p90', 'delay_p99', 'delay_max');
  header.push('preemptions', 'preempted', 'lost', 'stranded_cpu', 'stranded_ramMb');
  const lines = [header.join(',')];
  const util: Record<(typeof RES)[number], number[]> = { cpu: [], ramMb: [], diskMb: [], gpus: [] };
  for (let s = 0; s < samples; s++) {
    const caps = [capCpu[s]!, capRam[s]!, capRam[s]! * 2, 0];
    const row: (number | string)[] = [s * step, up[s]!, ...caps];
    RES.forEach((_, r) => {
      let sum = 0;
      for (let k = 0; k < TIERS.length; k++) {
        const v = Math.max(0, round4(alloc[r]![k]![s]!));
        sum += v;
        row.push(v);
      }
      util[RES[r]!].push(caps[r]! > 0 ? sum / caps[r]! : 0);
    });
    const d = delaysBy[s]!.sort((a, b) => a - b);
    const pct = (p: number) => (d.length ? d[Math.min(d.length - 1, Math.ceil(p * d.length) - 1)]! : '');
    const free = Math.max(0, capCpu[s]! - util.cpu[s]! * capCpu[s]!);
    row.push(running[s]!, pending[s]!, scheduled[s]!, pct(0.5), pct(0.9), pct(0.99), pct(1));
    row.push(preemptBy[s]!, victimsBy[s]!, lost[s]!, round4(free * 0.04), round4(free * 0.04 * 3072));
    lines.push(row.join(','));
  }
  return { csv: lines.join('\n') + '\n', util, hostCpu: hostCpuCells, hostRam: hostRamCells };
}

function buildEvents(tasks: readonly Task[], hostId: (h: number) => string): TaskEventRecord[] {
  const out: TaskEventRecord[] = [];
  for (const x of tasks) {
    const base = { task: x.id, job: x.job, instance: x.instance };
    out.push({ t: x.pendingAt, ...base, state: 'PENDING' });
    if (x.assignedAt >= x.endAt && x.endState === null) continue;
    const host = hostId(x.host);
    out.push({ t: x.assignedAt, ...base, state: 'ASSIGNED', host });
    if (x.runningAt < x.endAt) {
      out.push({ t: Math.max(x.assignedAt, x.runningAt - 400), ...base, state: 'STARTING', host });
      out.push({ t: x.runningAt, ...base, state: 'RUNNING', host });
    }
    if (x.endState === 'KILLED' && x.preempted) {
      out.push({ t: x.endAt, ...base, state: 'PREEMPTING', host, reason: 'preempted by a preferred task' });
      out.push({ t: x.endAt, ...base, state: 'KILLED', host, reason: 'preempted' });
    } else if (x.endState === 'LOST') {
      out.push({ t: x.endAt, ...base, state: 'LOST', host, reason: 'host down' });
    } else if (x.endState) {
      out.push({
        t: x.endAt,
        ...base,
        state: x.endState,
        host,
        ...(x.endState === 'FAILED' ? { reason: 'exit 1' } : {}),
      });
    }
  }
  // Stable: a task's own transitions keep their causal order at equal times.
  return out.sort((a, b) => a.t - b.t);
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
