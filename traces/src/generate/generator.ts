/**
 * The synthetic workload generator. Produces records in time order from one seeded stream:
 *
 *   t=0: hosts, quotas, the service band already running
 *   then, merged by time: batch job arrivals (non-homogeneous Poisson, diurnal)
 *                         service arrivals (same curve)
 *                         scheduled records: service kills, rolling updates, host down/up
 *
 * Records are yielded one by one so a million-task trace streams to disk without being held.
 */
import type { Tier } from '@borealis/core';
import type {
  HostAddRecord,
  JobSubmitRecord,
  JobUpdateRecord,
  Outcome,
  TraceRecord,
} from '../format/record.js';
import type { BatchBand, Preset, ServiceBand } from './presets.js';
import { Random } from './random.js';
import { RecordHeap } from './record-heap.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface GenerateOptions {
  readonly preset: Preset;
  readonly hosts: number;
  readonly days: number;
  readonly seed: number | string;
  /**
   * Multiplies the arrival rates of the batch band (tasks per host per day) and of the service
   * band (new services per host per day); 1 = the preset as documented. The services already
   * running at t=0 stay at the preset's initialCpuShare: that is the cell's standing production
   * footprint, while load is what arrives on top of it.
   */
  readonly loadFactor?: number;
  /**
   * Share of cluster CPU requested by the services running at t=0, in [0, 1); default the preset's
   * `initialCpuShare`. A busier cell holds more standing production work.
   */
  readonly serviceShare?: number;
  /** Upper bound on any batch task's run time in ms (default: only the preset's own bound). */
  readonly maxDurationMs?: number;
}

interface Cluster {
  readonly hosts: HostAddRecord[];
  readonly totalCpu: number;
  readonly maxCpu: number;
  readonly racks: string[];
  readonly zoneHosts: Map<string, number>;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const round2 = (x: number): number => Math.round(x * 100) / 100;

export function* generateRecords(opts: GenerateOptions): Generator<TraceRecord> {
  const { preset } = opts;
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1)
    throw new RangeError('hosts must be a positive integer');
  if (!(opts.days > 0)) throw new RangeError('days must be positive');
  const load = opts.loadFactor ?? 1;
  if (!(Number.isFinite(load) && load > 0)) throw new RangeError('loadFactor must be a positive number');
  if (
    opts.maxDurationMs !== undefined &&
    !(Number.isSafeInteger(opts.maxDurationMs) && opts.maxDurationMs >= 1)
  )
    throw new RangeError('maxDurationMs must be a positive integer');
  const maxDurationMs = opts.maxDurationMs ?? Number.POSITIVE_INFINITY;
  if (opts.serviceShare !== undefined && !(opts.serviceShare >= 0 && opts.serviceShare < 1))
    throw new RangeError('serviceShare must be at least 0 and less than 1');
  const end = Math.round(opts.days * DAY_MS);
  const rnd = new Random(`${preset.name}:${opts.seed}`);
  const cluster = makeHosts(preset, opts.hosts, rnd);
  yield* cluster.hosts;

  const roles = new Set<string>();
  const serviceRoles = Array.from({ length: 20 }, (_, i) => `svc${pad(i, 2)}`);
  const batchRoles = Array.from({ length: 200 }, (_, i) => `u${pad(i, 3)}`);
  for (const role of [...(preset.services ? serviceRoles : []), ...batchRoles]) roles.add(role);
  // Quotas equal to the whole cluster: production jobs are admitted, quota never shapes the run.
  const cap = cluster.hosts.reduce(
    (s, h) => ({
      cpu: s.cpu + h.cpu,
      ramMb: s.ramMb + h.ramMb,
      diskMb: s.diskMb + h.diskMb,
      gpus: s.gpus + h.gpus,
    }),
    { cpu: 0, ramMb: 0, diskMb: 0, gpus: 0 },
  );
  for (const role of roles) yield { t: 0, type: 'quota_set', role, ...cap };

  const later = new RecordHeap();
  let serial = 0;
  const svc = preset.services;
  if (svc) {
    let cpu = 0;
    const share = opts.serviceShare ?? svc.initialCpuShare;
    while (cpu < share * cluster.totalCpu) {
      const job = serviceJob(0, svc, cluster, rnd, serviceRoles, serial++);
      cpu += job.task.cpu * job.instances;
      scheduleUpdates(job, end, end, svc, rnd, later);
      yield job;
    }
  }
  scheduleFailures(preset, cluster, opts.days, end, rnd, later);

  const batchRate =
    (load * preset.batch.tasksPerHostPerDay * opts.hosts) /
    DAY_MS /
    meanTasksPerJob(preset.batch, opts.hosts);
  const serviceRate = svc ? (load * svc.arrivalsPerHostPerDay * opts.hosts) / DAY_MS : 0;
  const diurnal = (t: number): number =>
    1 + preset.diurnal.amplitude * Math.cos((2 * Math.PI * (t / HOUR_MS - preset.diurnal.peakHour)) / 24);
  const peak = 1 + preset.diurnal.amplitude;
  // Thinning (Lewis & Shedler): candidates at the peak rate, kept with probability rate(t)/peak.
  const nextArrival = (from: number, rate: number): number => {
    if (rate <= 0) return Number.POSITIVE_INFINITY;
    let t = from;
    for (;;) {
      t += rnd.exponential(1 / (rate * peak));
      if (t >= end || rnd.uniform() * peak < diurnal(t)) return t;
    }
  };
  let nextBatch = nextArrival(0, batchRate);
  let nextService = nextArrival(0, serviceRate);
  for (;;) {
    const tb = Math.floor(nextBatch);
    const ts = Math.floor(nextService);
    const tl = later.peekTime();
    const t = Math.min(tb, ts, tl);
    if (t >= end) break;
    if (tl === t) {
      yield later.pop()!;
    } else if (tb === t) {
      yield batchJob(t, preset.batch, maxDurationMs, cluster, rnd, batchRoles, serial++);
      nextBatch = nextArrival(nextBatch, batchRate);
    } else if (svc) {
      const job = serviceJob(t, svc, cluster, rnd, serviceRoles, serial++);
      const killAt = t + Math.round(rnd.logNormal(svc.lifetimeMs));
      scheduleUpdates(job, killAt, end, svc, rnd, later);
      if (killAt < end) later.push({ t: killAt, type: 'job_kill', job: job.job });
      yield job;
      nextService = nextArrival(nextService, serviceRate);
    }
  }
}

function makeHosts(preset: Preset, n: number, rnd: Random): Cluster {
  const width = Math.max(4, String(n - 1).length);
  const rackCount = Math.ceil(n / preset.hostsPerRack);
  const racks = Array.from(
    { length: rackCount },
    (_, i) => `r${pad(i, Math.max(2, String(rackCount - 1).length))}`,
  );
  const weights = preset.hostShapes.map((s) => s.weight);
  const hosts: HostAddRecord[] = [];
  const zoneHosts = new Map<string, number>();
  let totalCpu = 0;
  let maxCpu = 0;
  for (let i = 0; i < n; i++) {
    const shape = preset.hostShapes[rnd.weighted(weights)]!;
    const rackIndex = Math.floor(i / preset.hostsPerRack);
    const zone = preset.zones[rackIndex % preset.zones.length]!;
    zoneHosts.set(zone, (zoneHosts.get(zone) ?? 0) + 1);
    totalCpu += shape.cpu;
    maxCpu = Math.max(maxCpu, shape.cpu);
    hosts.push({
      t: 0,
      type: 'host_add',
      host: `h${pad(i, width)}`,
      cpu: shape.cpu,
      ramMb: shape.ramMb,
      diskMb: shape.diskMb,
      gpus: shape.gpus,
      ports: [preset.ports],
      attributes: { rack: racks[rackIndex]!, zone, ...shape.attributes },
    });
  }
  return { hosts, totalCpu, maxCpu, racks, zoneHosts };
}

function serviceJob(
  t: number,
  svc: ServiceBand,
  cluster: Cluster,
  rnd: Random,
  roles: readonly string[],
  serial: number,
): JobSubmitRecord {
  const constraints: Record<string, string> = { host: 'limit:1' };
  let eligible = cluster.hosts.length;
  if (rnd.chance(svc.zoneConstrained)) {
    const zone = rnd.pick(cluster.hosts).attributes.zone!;
    constraints.zone = zone;
    eligible = cluster.zoneHosts.get(zone) ?? 1;
  }
  // limit:1 on host: never ask for more instances than a fraction of the eligible hosts.
  const instances = Math.max(1, Math.min(Math.round(rnd.pareto(svc.instances)), Math.floor(eligible * 0.5)));
  return {
    t,
    type: 'job_submit',
    job: `${rnd.pick(roles)}/prod/s${pad(serial, 7)}`,
    kind: 'service',
    instances,
    tier: 'preferred',
    priority: rnd.int(svc.priority[0], svc.priority[1]),
    task: {
      cpu: Math.min(round2(rnd.logNormal(svc.cpu)), cluster.maxCpu),
      ramMb: Math.round(rnd.logNormal(svc.ramMb)),
      diskMb: Math.round(rnd.logNormal(svc.diskMb)),
      gpus: 0,
      ports: svc.ports,
    },
    constraints,
    maxTaskFailures: -1,
  };
}

/** Rolling updates over the service's life: the same job with a little more or less RAM. */
function scheduleUpdates(
  job: JobSubmitRecord,
  killAt: number,
  end: number,
  svc: ServiceBand,
  rnd: Random,
  later: RecordHeap,
): void {
  if (svc.updatesPerServicePerDay <= 0) return;
  const until = Math.min(killAt, end);
  const count = rnd.poisson((svc.updatesPerServicePerDay * (until - job.t)) / DAY_MS);
  const times = Array.from(
    { length: count },
    () => job.t + 1 + Math.floor(rnd.uniform() * (until - job.t - 1)),
  );
  times.sort((a, b) => a - b);
  for (const t of times) {
    const batchSize = Math.max(1, Math.ceil(job.instances / 4));
    const update: JobUpdateRecord = {
      ...job,
      t,
      type: 'job_update',
      task: { ...job.task, ramMb: Math.round(job.task.ramMb * (0.9 + 0.3 * rnd.uniform())) },
      settings: {
        strategy: 'batch',
        batchSize,
        autoPause: false,
        watchSecs: 30,
        maxPerInstanceFailures: 1,
        maxTotalFailures: Math.min(batchSize, job.instances - 1),
        rollbackOnFailure: true,
      },
    };
    later.push(update);
  }
}

function batchJob(
  t: number,
  b: BatchBand,
  maxDurationMs: number,
  cluster: Cluster,
  rnd: Random,
  roles: readonly string[],
  serial: number,
): JobSubmitRecord {
  const band = b.tiers[rnd.weighted(b.tiers.map((x) => x.weight))]!;
  let n = drawTaskCount(b, rnd);
  const constraints: Record<string, string> = {};
  if (rnd.chance(b.limitOnePerHost)) constraints.host = 'limit:1';
  if (rnd.chance(b.rackAvoiding)) constraints.rack = `!${rnd.pick(cluster.racks)}`;
  if (b.constrainedAttribute && rnd.chance(b.attributeConstrained)) {
    constraints[b.constrainedAttribute] = rnd.pick(cluster.hosts).attributes[b.constrainedAttribute]!;
  }
  if (constraints.host) n = Math.min(n, Math.max(1, Math.floor(cluster.hosts.length / 2)));
  const cpu = Math.min(round2(rnd.logNormal(b.cpu)), cluster.maxCpu);
  // No single job asks for more than a tenth of the cluster's CPU, whatever the tail drew.
  n = Math.max(1, Math.min(n, Math.floor((0.1 * cluster.totalCpu) / cpu)));
  if (b.powerOfTwoTasks) n = 2 ** Math.floor(Math.log2(n));
  const median = rnd.logNormal(b.durationMs);
  const durations: number[] = new Array(n);
  const outcomes: Outcome[] = new Array(n);
  let anyEnded = false;
  for (let i = 0; i < n; i++) {
    const d = b.taskSpread > 0 ? median * Math.exp(b.taskSpread * rnd.normal()) : median;
    // The cap clamps after drawing, so the random stream (and the rest of the trace) is unchanged.
    durations[i] = Math.min(maxDurationMs, Math.max(1000, Math.round(d)));
    const u = rnd.uniform();
    const o: Outcome =
      u < b.failedFraction ? 'failed' : u < b.failedFraction + b.killedFraction ? 'killed' : 'finished';
    outcomes[i] = o;
    if (o !== 'finished') anyEnded = true;
  }
  const tier: Tier = band.tier;
  const env = tier === 'preferred' ? 'prod' : tier === 'preemptible' ? 'devel' : 'test';
  return {
    t,
    type: 'job_submit',
    job: `${rnd.pick(roles)}/${env}/b${pad(serial, 7)}`,
    kind: 'adhoc',
    instances: n,
    tier,
    priority: rnd.int(band.priority[0], band.priority[1]),
    task: {
      cpu,
      ramMb: Math.round(rnd.logNormal(b.ramMb)),
      diskMb: Math.round(rnd.logNormal(b.diskMb)),
      gpus: 0,
      ports: [],
    },
    constraints,
    durationMs: n === 1 ? durations[0]! : durations,
    ...(anyEnded ? { outcomes: n === 1 ? outcomes[0]! : outcomes } : {}),
    maxTaskFailures: 1,
  };
}

function drawTaskCount(b: BatchBand, rnd: Random): number {
  if (rnd.chance(b.singleTaskJobs)) return 1;
  const n = Math.max(1, Math.round(rnd.pareto(b.tasksPerJob)));
  return b.powerOfTwoTasks ? Math.min(2 ** Math.ceil(Math.log2(n)), b.tasksPerJob.max) : n;
}

/** Expected tasks per batch job, measured on a fixed-seed sample (the truncation makes it awkward in closed form). */
export function meanTasksPerJob(b: BatchBand, hosts: number): number {
  const rnd = new Random('calibration');
  let sum = 0;
  const samples = 20_000;
  for (let i = 0; i < samples; i++) sum += Math.min(drawTaskCount(b, rnd), hosts);
  return sum / samples;
}

function scheduleFailures(
  preset: Preset,
  cluster: Cluster,
  days: number,
  end: number,
  rnd: Random,
  later: RecordHeap,
): void {
  const n = cluster.hosts.length;
  // "A few" failures even in small clusters: at least one when there is more than one host.
  const count = Math.min(
    Math.floor(n / 2),
    Math.max(n > 1 ? 1 : 0, rnd.poisson(preset.failures.perHostPerDay * n * days)),
  );
  const failed = new Set<number>();
  for (let k = 0; k < count; k++) {
    let i = rnd.int(0, n - 1);
    while (failed.has(i)) i = (i + 1) % n;
    failed.add(i);
    const host = cluster.hosts[i]!.host;
    // Failures in the middle 80% of the trace so both the loss and the recovery are visible.
    const t = Math.floor(end * (0.1 + 0.8 * rnd.uniform()));
    later.push({ t, type: 'host_down', host });
    const up = t + Math.round(rnd.logNormal(preset.failures.repairMs));
    if (up < end) later.push({ t: up, type: 'host_up', host });
  }
}
