import type { Constraint } from '../../model/constraint.js';
import { mulberry32 } from '../../model/mulberry32.js';
import { parseConstraints } from '../../model/parse-constraint.js';
import type { TaskConfig } from '../../model/task-config.js';
import type { HostSpec, RandomSource } from '../../scheduler/api.js';

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
