import {
  createPolicy,
  DEFAULT_POLICY,
  HostInventory,
  type HostSpec,
  mulberry32,
  PlacementEngine,
  type PlacementPolicy,
  type Placer,
  POLICIES,
  ReferencePlacer,
  type TaskConfig,
} from '@borealis/core';
import type { BenchSuite, Figures } from '../index.js';

/**
 * Placement throughput and packing per policy at 1,000 and 10,000 hosts (32 cpu, 128 GiB, 1 TiB,
 * 1,001 ports; 1 in 20 with 4 gpus; 40 hosts per rack).
 * - placementsPerSec: the cluster is first filled to half its cpu with the policy itself, then
 *   `measured` more tasks (jobs of 1–30 instances, shapes from a fixed mix) are placed and timed.
 * - hostsUsed vs lowerBound: an empty cluster filled with the same mix up to 70% of its cpu;
 *   lowerBound = max over resources of ⌈Σ demand / host capacity⌉.
 * - referencePerSec: the naive full scan on the half-full cluster, the baseline of the same run.
 * - one entry `limit` workload: jobs of 20–200 instances with `host: limit:1`, default policy.
 */
export const placement: BenchSuite = {
  name: 'placement',
  description: 'placements/s and hosts used vs lower bound per policy at 1k and 10k hosts, plus limit:1',
  run({ quick, log }) {
    const sizes = quick
      ? [200]
      : process.env.PLACEMENT_SIZES
        ? process.env.PLACEMENT_SIZES.split(',').map(Number)
        : [1000, 10_000];
    const out: Figures[] = [];
    for (const hosts of sizes) {
      for (const info of POLICIES) {
        log(`${info.name} at ${hosts} hosts`);
        out.push(measurePolicy(info.name, hosts, quick));
      }
      log(`limit:1 at ${hosts} hosts`);
      out.push(measureLimit(hosts, quick));
    }
    return out;
  },
};

const HOST = { cpu: 32, ramMb: 131072, diskMb: 1048576 };

function cluster(n: number): HostInventory {
  const inv = new HostInventory();
  for (let i = 0; i < n; i++) inv.addHost(hostSpec(i));
  return inv;
}

function hostSpec(i: number): HostSpec {
  return {
    id: `h${String(i).padStart(5, '0')}`,
    resources: { ...HOST, gpus: i % 20 === 19 ? 4 : 0 },
    ports: [[31000, 32000]],
    attributes: { rack: `r${Math.floor(i / 40)}`, zone: `z${i % 3}` },
  };
}

/** The task mix: [cpu, ramMb, diskMb, gpus, ports, weight]. */
const SHAPES: readonly (readonly [number, number, number, number, number, number])[] = [
  [0.5, 1024, 2048, 0, 1, 20],
  [1, 2048, 10240, 0, 1, 20],
  [2, 4096, 20480, 0, 2, 15],
  [4, 2048, 10240, 0, 0, 10], // cpu-heavy
  [1, 16384, 20480, 0, 0, 10], // ram-heavy
  [8, 32768, 102400, 0, 1, 8],
  [0.25, 512, 0, 0, 0, 12],
  [4, 16384, 51200, 1, 0, 3],
  [2, 8192, 0, 0.5, 0, 2],
];
const TOTAL_WEIGHT = SHAPES.reduce((s, x) => s + x[5], 0);

interface Job {
  readonly job: string;
  readonly config: TaskConfig;
  readonly instances: number;
}

/** A seeded stream of jobs from the mix; each job's instances share one config object. */
function jobStream(seed: number, maxInstances: number, constraints: TaskConfig['constraints'] = []) {
  const random = mulberry32(seed);
  let n = 0;
  return (): Job => {
    let pick = random() * TOTAL_WEIGHT;
    let shape = SHAPES[0]!;
    for (const s of SHAPES) {
      pick -= s[5];
      if (pick < 0) {
        shape = s;
        break;
      }
    }
    const [cpu, ramMb, diskMb, gpus, ports] = shape;
    const config: TaskConfig = {
      processes: [{ name: 'main', cmdline: 'run', final: false, daemon: false, maxFailures: 1 }],
      orderings: [],
      resources: { cpu, ramMb, diskMb, gpus },
      ports: Array.from({ length: ports }, (_, i) => `p${i}`),
      constraints,
      tier: 'preferred',
      priority: 0,
      maxTaskFailures: 1,
      metadata: {},
    };
    const instances = 1 + Math.floor(random() * maxInstances);
    return { job: `role${n % 50}/prod/job${n++}`, config, instances };
  };
}

interface Stop {
  /** Stop after this many placed tasks. */
  readonly tasks?: number;
  /** Stop once cpu, ram or disk is allocated to this fraction of the cluster. */
  readonly share?: number;
}

/**
 * Places jobs until a stop condition holds. A job whose task fails is given up (as a scheduler backs
 * off a group), and the run ends if failures pile up (the cluster is full for the mix).
 */
function fill(placer: Placer, inv: HostInventory, next: () => Job, stop: Stop, prefix: string) {
  let placed = 0;
  let failed = 0;
  const demand = { cpu: 0, ramMb: 0, diskMb: 0, gpus: 0 };
  const cap = { cpu: 0, ramMb: 0, diskMb: 0 };
  const used = { cpu: 0, ramMb: 0, diskMb: 0 };
  for (let h = 0; h < inv.size; h++) {
    cap.cpu += inv.capCpu[h]!;
    cap.ramMb += inv.capRamMb[h]!;
    cap.diskMb += inv.capDiskMb[h]!;
    used.cpu += inv.capCpu[h]! - inv.freeCpu[h]!;
    used.ramMb += inv.capRamMb[h]! - inv.freeRamMb[h]!;
    used.diskMb += inv.capDiskMb[h]! - inv.freeDiskMb[h]!;
  }
  const maxTasks = stop.tasks ?? Number.POSITIVE_INFINITY;
  const maxShare = stop.share ?? Number.POSITIVE_INFINITY;
  const share = () =>
    Math.max(
      (used.cpu + demand.cpu) / cap.cpu,
      (used.ramMb + demand.ramMb) / cap.ramMb,
      (used.diskMb + demand.diskMb) / cap.diskMb,
    );
  while (placed < maxTasks && share() < maxShare && failed <= 1000) {
    const { job, config, instances } = next();
    for (let i = 0; i < instances && placed < maxTasks; i++) {
      const r = placer.place({ taskId: `${prefix}${placed + failed}`, job, config });
      if (!r.ok) {
        failed++;
        break;
      }
      placed++;
      demand.cpu += config.resources.cpu;
      demand.ramMb += config.resources.ramMb;
      demand.diskMb += config.resources.diskMb;
      demand.gpus += config.resources.gpus;
    }
  }
  return { placed, failed, demand };
}

/** Packing: fills an empty cluster to 70% of its scarcest resource with the mix. */
export function packWith(policy: PlacementPolicy, hosts: number) {
  const packInv = cluster(hosts);
  const packer = new PlacementEngine(packInv, { policy });
  const t0 = performance.now();
  const packed = fill(packer, packInv, jobStream(1, 30), { share: 0.7 }, 'f');
  const fillMs = performance.now() - t0;
  const d = packed.demand;
  const lowerBound = Math.max(
    Math.ceil(d.cpu / HOST.cpu),
    Math.ceil(d.ramMb / HOST.ramMb),
    Math.ceil(d.diskMb / HOST.diskMb),
    Math.ceil(d.gpus / 4),
  );
  let hostsUsed = 0;
  for (let h = 0; h < packInv.size; h++) if (packInv.slotsOn(h).length > 0) hostsUsed++;
  return { tasks: packed.placed, failed: packed.failed, fillMs, hostsUsed, lowerBound };
}

function measurePolicy(name: string, hosts: number, quick: boolean): Figures {
  const policy = () => createPolicy(name, { random: mulberry32(7) });
  const packed = packWith(policy(), hosts);

  // Throughput on a half-full cluster.
  const inv = cluster(hosts);
  const engine = new PlacementEngine(inv, { policy: policy() });
  fill(engine, inv, jobStream(2, 30), { share: 0.5 }, 'b');
  const measured = quick ? 2000 : Math.min(50_000, hosts * 4);
  const t1 = performance.now();
  const run = fill(engine, inv, jobStream(3, 30), { tasks: measured }, 'm');
  const runMs = performance.now() - t1;

  // Baseline: the reference scan on a fresh half-full cluster (fewer placements; it is slow).
  const refInv = cluster(hosts);
  const warm = new PlacementEngine(refInv, { policy: policy() });
  fill(warm, refInv, jobStream(2, 30), { share: 0.5 }, 'b');
  const reference = new ReferencePlacer(refInv, policy());
  const refCount = quick ? 100 : Math.max(100, Math.floor(2_000_000 / hosts));
  const t2 = performance.now();
  fill(reference, refInv, jobStream(3, 30), { tasks: refCount }, 'm');
  const refMs = performance.now() - t2;

  return {
    policy: name,
    default: name === DEFAULT_POLICY,
    workload: 'mixed',
    hosts,
    tasks: packed.tasks,
    placementsPerSec: Math.round((run.placed / runMs) * 1000),
    measured: run.placed,
    failed: run.failed + packed.failed,
    referencePerSec: Math.round((refCount / refMs) * 1000),
    fillPerSec: Math.round((packed.tasks / packed.fillMs) * 1000),
    hostsUsed: packed.hostsUsed,
    lowerBound: packed.lowerBound,
  };
}

function measureLimit(hosts: number, quick: boolean): Figures {
  const inv = cluster(hosts);
  const engine = new PlacementEngine(inv, { policy: createPolicy(DEFAULT_POLICY) });
  fill(engine, inv, jobStream(2, 30), { share: 0.5 }, 'b');
  const limit = [{ attribute: 'host', kind: 'limit', limit: 1 }] as const;
  const measured = quick ? 2000 : Math.min(50_000, hosts * 4);
  const next = jobStream(4, Math.min(200, hosts / 2), limit);
  const t0 = performance.now();
  const run = fill(engine, inv, next, { tasks: measured }, 'l');
  const ms = performance.now() - t0;
  return {
    policy: DEFAULT_POLICY,
    default: true,
    workload: 'limit:1 on host',
    hosts,
    tasks: run.placed,
    placementsPerSec: Math.round((run.placed / ms) * 1000),
    measured: run.placed,
    failed: run.failed,
    referencePerSec: null,
    fillPerSec: null,
    hostsUsed: null,
    lowerBound: null,
  };
}
