import type { HostSpec, Resources } from '@borealis/core';

/** Racks of 40 hosts, as in many real machine rooms; gives `rack` limits something to spread over. */
export const HOSTS_PER_RACK = 40;
export const DEFAULT_PORTS: readonly (readonly [number, number])[] = [[31000, 32000]];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The hosts of `--hosts N --host-shape ...`: h00001…, racks r001… of 40 hosts. */
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

/**
 * With --hosts, trace hosts are replaced. Host events in the trace still matter (a failure is a
 * failure), so the k-th host the trace adds stands for the k-th override host; trace hosts beyond
 * the override count have no stand-in and their events are ignored (and counted).
 */
export class HostNameMap {
  private readonly map = new Map<string, string>();

  constructor(private readonly overrideIds: readonly string[]) {}

  /** Records a trace host_add; returns its stand-in, or undefined when the override is full. */
  add(traceHost: string): string | undefined {
    const existing = this.map.get(traceHost);
    if (existing !== undefined) return existing;
    const standIn = this.overrideIds[this.map.size];
    if (standIn !== undefined) this.map.set(traceHost, standIn);
    return standIn;
  }

  resolve(traceHost: string): string | undefined {
    return this.map.get(traceHost);
  }
}
