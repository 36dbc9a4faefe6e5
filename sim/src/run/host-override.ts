import type { HostSpec, Resources } from '@borealis/core';

/** Racks of 40 hosts, as in many real machine rooms; gives `rack` limits something to spread over. */
export const HOSTS_PER_RACK = 40;
export const DEFAULT_PORTS: readonly (readonly [number, number])[] = [[31000, 32000]];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The hosts of `--hosts N --host-shape ...` for a trace without hosts: h00001…, racks r001… of 40 hosts. */
export function overrideHosts(count: number, shape: Resources): HostSpec[] {
  const width = Math.max(5, String(count).length);
  const rackWidth = Math.max(3, String(Math.ceil(count / HOSTS_PER_RACK)).length);
  const out: HostSpec[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      id: `h${pad(i + 1, width)}`,
      resources: shape,
      ports: DEFAULT_PORTS,
      attributes: { rack: `r${pad(Math.floor(i / HOSTS_PER_RACK) + 1, rackWidth)}` },
    });
  }
  return out;
}

export interface ScaledHosts {
  readonly specs: HostSpec[];
  /** For the k-th host the trace adds, the override host that stands in for it (undefined: none). */
  readonly standIns: readonly (string | undefined)[];
}

/**
 * The hosts of `--hosts N` when the trace starts with hosts: the trace's population scaled to N,
 * so the mix of machine kinds and their attributes (zone, platform, rack, ...) stays what the
 * trace has and constraints on them stay satisfiable. Host i is a copy of trace host
 * floor(i·T/N): growing repeats each trace host about N/T times, shrinking keeps an evenly spread
 * sample. `shape` replaces the resources it names on every host (attributes stay). Each trace host
 * with a copy is stood in for by its first copy, so its failures and drains still happen.
 */
export function scaleHosts(
  count: number,
  templates: readonly HostSpec[],
  shape: Partial<Resources> = {},
): ScaledHosts {
  if (templates.length === 0) {
    const specs = overrideHosts(count, { ...DEFAULT_SHAPE, ...shape });
    return { specs, standIns: specs.map((s) => s.id) };
  }
  const width = Math.max(5, String(count).length);
  const specs: HostSpec[] = [];
  const resources = templates.map((t) => ({ ...t.resources, ...shape }));
  const standIns: (string | undefined)[] = templates.map(() => undefined);
  for (let i = 0; i < count; i++) {
    const k = Math.floor((i * templates.length) / count);
    const template = templates[k]!;
    const id = `h${pad(i + 1, width)}`;
    standIns[k] ??= id;
    specs.push({
      id,
      resources: resources[k]!,
      ports: template.ports,
      attributes: template.attributes,
    });
  }
  return { specs, standIns };
}

const DEFAULT_SHAPE: Resources = { cpu: 32, ramMb: 131072, diskMb: 1048576, gpus: 0 };

/**
 * With --hosts, trace hosts are replaced. Host events in the trace still matter (a failure is a
 * failure), so the k-th host the trace adds is mapped to its stand-in; trace hosts without one
 * (beyond the override, or left out of a smaller sample) have their events ignored (and counted).
 */
export class HostNameMap {
  private readonly map = new Map<string, string>();
  private added = 0;

  constructor(private readonly standIns: readonly (string | undefined)[]) {}

  /** Records a trace host_add; returns its stand-in, or undefined when it has none. */
  add(traceHost: string): string | undefined {
    const existing = this.map.get(traceHost);
    if (existing !== undefined) return existing;
    const standIn = this.standIns[this.added++];
    if (standIn !== undefined) this.map.set(traceHost, standIn);
    return standIn;
  }

  resolve(traceHost: string): string | undefined {
    return this.map.get(traceHost);
  }
}
