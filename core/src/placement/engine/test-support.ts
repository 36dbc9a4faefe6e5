import type { Constraint } from '../../model/constraint.js';
import { mulberry32 } from '../../model/mulberry32.js';
import { parseConstraints } from '../../model/parse-constraint.js';
import type { TaskConfig } from '../../model/task-config.js';
import type { HostSpec, RandomSource } from '../../scheduler/api.js';
import type { HostInventory } from '../inventory/host-inventory.js';

/** Test helpers for placement: task configs and host specs with defaults, and a seeded generator. */

export interface TaskShape {
  readonly cpu?: number;
  readonly ramMb?: number;
  readonly diskMb?: number;
  readonly gpus?: number;
  readonly ports?: readonly string[];
  readonly constraints?: Readonly<Record<string, string>>;
  readonly tier?: TaskConfig['tier'];
  readonly priority?: number;
}

export function taskConfig(shape: TaskShape = {}): TaskConfig {
  let constraints: Constraint[] = [];
  if (shape.constraints) {
    const parsed = parseConstraints(shape.constraints);
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
    constraints = parsed.value;
  }
  return {
    processes: [{ name: 'main', cmdline: 'run', final: false, daemon: false, maxFailures: 1 }],
    orderings: [],
    resources: {
      cpu: shape.cpu ?? 1,
      ramMb: shape.ramMb ?? 1024,
      diskMb: shape.diskMb ?? 0,
      gpus: shape.gpus ?? 0,
    },
    ports: shape.ports ?? [],
    constraints,
    tier: shape.tier ?? 'preferred',
    priority: shape.priority ?? 0,
    maxTaskFailures: 1,
    metadata: {},
  };
}

export interface HostShape {
  readonly cpu?: number;
  readonly ramMb?: number;
  readonly diskMb?: number;
  readonly gpus?: number;
  readonly ports?: readonly (readonly [number, number])[];
  readonly attributes?: Readonly<Record<string, string>>;
}

export function hostSpec(id: string, shape: HostShape = {}): HostSpec {
  return {
    id,
    resources: {
      cpu: shape.cpu ?? 16,
      ramMb: shape.ramMb ?? 65536,
      diskMb: shape.diskMb ?? 100000,
      gpus: shape.gpus ?? 0,
    },
    ports: shape.ports ?? [[31000, 31999]],
    attributes: shape.attributes ?? {},
  };
}

/** A seeded generator for tests and benchmarks (core itself takes a RandomSource). */
export const seeded = (seed: number): RandomSource => mulberry32(seed);

/** How `fillAndDisturb` loads a cluster. */
export interface FillShape {
  /** Placement attempts, each on a random host. */
  readonly tasks: number;
  /** Upper bounds of a task's random cpu (to 0.01) and ramMb. */
  readonly maxCpu: number;
  readonly maxRamMb: number;
  /** Share of attempts made (a coin is drawn per attempt when below 1). */
  readonly attemptShare?: number;
  /** Share of hosts removed after the maintenance and down states are drawn (default 0). */
  readonly removeShare?: number;
}

/**
 * Loads an inventory with random tasks where they fit, then puts ~5% of hosts in SCHEDULED
 * maintenance, ~3% down, ~2% DRAINING and optionally removes some: a used, untidy cluster for
 * checking an index against the reference scan.
 */
export function fillAndDisturb(inv: HostInventory, random: RandomSource, shape: FillShape): void {
  const hosts = inv.size;
  const attemptShare = shape.attemptShare ?? 1;
  for (let i = 0; i < shape.tasks; i++) {
    const h = Math.floor(random() * hosts);
    const resources = {
      cpu: Math.round(random() * shape.maxCpu * 100) / 100,
      ramMb: Math.floor(random() * shape.maxRamMb),
      diskMb: 0,
      gpus: 0,
    };
    if ((attemptShare >= 1 || random() < attemptShare) && inv.fits(h, resources, 0)) {
      inv.allocate(h, {
        taskId: `t${i}`,
        job: 'r/e/j',
        tier: 'preferred',
        priority: 0,
        resources,
        portNames: [],
      });
    }
  }
  const removeShare = shape.removeShare ?? 0;
  for (let h = 0; h < hosts; h++) {
    const x = random();
    if (x < 0.05) inv.setMaintenance(h, 'SCHEDULED');
    else if (x < 0.08) inv.setUp(h, false);
    else if (x < 0.1) inv.setMaintenance(h, 'DRAINING');
    else if (x < 0.1 + removeShare) inv.removeHost(h);
  }
}
