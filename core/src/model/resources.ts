/** Scalar resources. cpu is fractional cores; gpus may be fractional (shared GPUs). */
export interface Resources {
  readonly cpu: number;
  readonly ramMb: number;
  readonly diskMb: number;
  readonly gpus: number;
}

export const RESOURCE_NAMES = ['cpu', 'ramMb', 'diskMb', 'gpus'] as const;
export type ResourceName = (typeof RESOURCE_NAMES)[number];

export const ZERO_RESOURCES: Resources = Object.freeze({ cpu: 0, ramMb: 0, diskMb: 0, gpus: 0 });

export function addResources(a: Resources, b: Resources): Resources {
  return { cpu: a.cpu + b.cpu, ramMb: a.ramMb + b.ramMb, diskMb: a.diskMb + b.diskMb, gpus: a.gpus + b.gpus };
}

export function scaleResources(a: Resources, factor: number): Resources {
  return { cpu: a.cpu * factor, ramMb: a.ramMb * factor, diskMb: a.diskMb * factor, gpus: a.gpus * factor };
}

/** An inclusive port range `[first, last]`. */
export type PortRange = readonly [number, number];
