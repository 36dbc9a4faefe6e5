import { type AgentShape, type AttributeRule, attributeValue } from './agent-shape.js';
import type { Attribute, Resource, Unavailability } from './shapes.js';

/** What an agent is doing, as the master sees it. */
export type AgentState = 'active' | 'unreachable' | 'draining' | 'down';

/** Resources held by a task, an executor or an offer: scalars and a list of single ports. */
export interface Amounts {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  ports: number[];
}

/** What a refuse filter remembers of the resources it refused: scalars and a port count. */
export interface Refused {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  ports: number;
}

export function refusedOf(a: Amounts): Refused {
  return { cpus: a.cpus, mem: a.mem, disk: a.disk, gpus: a.gpus, ports: a.ports.length };
}

export function emptyAmounts(): Amounts {
  return { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
}

/**
 * N virtual agents in typed arrays: totals and amounts in use per resource, a byte per port
 * (1 = taken), and each agent's state. Index i is agent `<master id>-S<i>`. Free resources are
 * what no task or executor holds; the allocator decides which free resources are offered.
 */
export class AgentTable {
  readonly count: number;
  readonly ids: string[];
  readonly hostnames: string[];
  readonly attributes: Attribute[][];
  readonly usedCpus: Float64Array;
  readonly usedMem: Float64Array;
  readonly usedDisk: Float64Array;
  readonly usedGpus: Float64Array;
  readonly portBase: Int32Array;
  readonly portCount: number;
  private readonly portsUsed: Uint8Array;
  /** Free ports per agent, so a refuse filter is checked without listing them. */
  readonly freePortCount: Int32Array;
  readonly states: AgentState[];
  readonly unavailability = new Map<number, Unavailability>();
  readonly registeredAt: number[];
  private readonly byId = new Map<string, number>();
  private readonly byHost = new Map<string, number[]>();

  constructor(
    count: number,
    readonly shape: AgentShape,
    rules: readonly AttributeRule[],
    idPrefix: string,
    options: { localHostnames?: boolean; splitPorts?: boolean } = {},
  ) {
    this.count = count;
    const fullPorts = shape.portsEnd - shape.portsBegin + 1;
    // Real processes share one port space, so each agent gets its own slice of the range.
    this.portCount = options.splitPorts ? Math.max(1, Math.floor(fullPorts / count)) : fullPorts;
    this.portBase = new Int32Array(count);
    this.portsUsed = new Uint8Array(count * this.portCount);
    this.freePortCount = new Int32Array(count).fill(this.portCount);
    this.usedCpus = new Float64Array(count);
    this.usedMem = new Float64Array(count);
    this.usedDisk = new Float64Array(count);
    this.usedGpus = new Float64Array(count);
    this.ids = new Array(count);
    this.hostnames = new Array(count);
    this.attributes = new Array(count);
    this.states = new Array(count).fill('active');
    this.registeredAt = new Array(count).fill(Date.now() / 1000);
    for (let i = 0; i < count; i++) {
      const id = `${idPrefix}-S${i}`;
      const host =
        options.localHostnames && i < 254 * 254
          ? `127.0.${Math.floor(i / 254)}.${(i % 254) + 1}`
          : `agent-${String(i).padStart(5, '0')}`;
      this.ids[i] = id;
      this.hostnames[i] = host;
      this.portBase[i] = shape.portsBegin + (options.splitPorts ? i * this.portCount : 0);
      this.byId.set(id, i);
      const list = this.byHost.get(host);
      if (list) list.push(i);
      else this.byHost.set(host, [i]);
      this.attributes[i] = [
        { name: 'host', type: 'TEXT', text: { value: host } },
        ...rules.map((r) => ({ name: r.name, type: 'TEXT', text: { value: attributeValue(r, i) } })),
      ];
    }
  }

  indexOf(agentId: string | undefined): number {
    return agentId === undefined ? -1 : (this.byId.get(agentId) ?? -1);
  }

  byHostname(host: string): readonly number[] {
    return this.byHost.get(host) ?? [];
  }

  /** What no task or executor holds on agent i. */
  free(i: number): Amounts {
    return {
      cpus: round(this.shape.cpus - this.usedCpus[i]!),
      mem: round(this.shape.mem - this.usedMem[i]!),
      disk: round(this.shape.disk - this.usedDisk[i]!),
      gpus: round(this.shape.gpus - this.usedGpus[i]!),
      ports: this.freePorts(i),
    };
  }

  /** Mesos's allocator offers an agent only when at least cpus:0.01 or mem:32 is free (its default). */
  hasFree(i: number): boolean {
    return this.shape.cpus - this.usedCpus[i]! >= 0.01 || this.shape.mem - this.usedMem[i]! >= 32;
  }

  /** Whether everything free on agent i is within `refused` (ports compared by count). */
  freeWithin(i: number, refused: Refused): boolean {
    const s = this.shape;
    return (
      s.cpus - this.usedCpus[i]! <= refused.cpus + 1e-9 &&
      s.mem - this.usedMem[i]! <= refused.mem + 1e-9 &&
      s.disk - this.usedDisk[i]! <= refused.disk + 1e-9 &&
      s.gpus - this.usedGpus[i]! <= refused.gpus + 1e-9 &&
      this.freePortCount[i]! <= refused.ports
    );
  }

  freePorts(i: number): number[] {
    const out: number[] = [];
    const base = i * this.portCount;
    const first = this.portBase[i]!;
    for (let p = 0; p < this.portCount; p++) if (this.portsUsed[base + p] === 0) out.push(first + p);
    return out;
  }

  take(i: number, a: Amounts): void {
    this.usedCpus[i] = this.usedCpus[i]! + a.cpus;
    this.usedMem[i] = this.usedMem[i]! + a.mem;
    this.usedDisk[i] = this.usedDisk[i]! + a.disk;
    this.usedGpus[i] = this.usedGpus[i]! + a.gpus;
    for (const port of a.ports) this.portsUsed[i * this.portCount + port - this.portBase[i]!] = 1;
    this.freePortCount[i] = this.freePortCount[i]! - a.ports.length;
  }

  give(i: number, a: Amounts): void {
    this.usedCpus[i] = Math.max(0, round(this.usedCpus[i]! - a.cpus));
    this.usedMem[i] = Math.max(0, round(this.usedMem[i]! - a.mem));
    this.usedDisk[i] = Math.max(0, round(this.usedDisk[i]! - a.disk));
    this.usedGpus[i] = Math.max(0, round(this.usedGpus[i]! - a.gpus));
    for (const port of a.ports) this.portsUsed[i * this.portCount + port - this.portBase[i]!] = 0;
    this.freePortCount[i] = this.freePortCount[i]! + a.ports.length;
  }

  /** The agent's whole capacity as Mesos resources (role "*", no allocation). */
  totalResources(i: number): Resource[] {
    const s = this.shape;
    return toResources(
      {
        cpus: s.cpus,
        mem: s.mem,
        disk: s.disk,
        gpus: s.gpus,
        ports: [],
      },
      null,
      [[this.portBase[i]!, this.portBase[i]! + this.portCount - 1]],
    );
  }

  usedResources(i: number): Resource[] {
    return toResources(
      {
        cpus: round(this.usedCpus[i]!),
        mem: round(this.usedMem[i]!),
        disk: round(this.usedDisk[i]!),
        gpus: round(this.usedGpus[i]!),
        ports: [],
      },
      null,
      toRanges(this.usedPortList(i)),
    );
  }

  private usedPortList(i: number): number[] {
    const out: number[] = [];
    const base = i * this.portCount;
    for (let p = 0; p < this.portCount; p++)
      if (this.portsUsed[base + p] === 1) out.push(this.portBase[i]! + p);
    return out;
  }
}

/** Mesos's scalars keep three decimals (fixed point); so do we, so sums never drift. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Sorted single ports as inclusive [begin, end] runs. */
export function toRanges(ports: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of ports) {
    const last = out[out.length - 1];
    if (last && last[1] + 1 === p) last[1] = p;
    else out.push([p, p]);
  }
  return out;
}

/** Amounts as Mesos resources: role "*", with allocation_info when allocated to a role. */
export function toResources(
  a: Amounts,
  allocationRole: string | null,
  portRanges: [number, number][] = toRanges(a.ports),
): Resource[] {
  const extra = allocationRole === null ? {} : { allocation_info: { role: allocationRole } };
  const out: Resource[] = [];
  const scalar = (name: string, value: number): void => {
    if (value > 0) out.push({ name, type: 'SCALAR', scalar: { value }, role: '*', ...extra });
  };
  scalar('cpus', a.cpus);
  scalar('mem', a.mem);
  scalar('disk', a.disk);
  scalar('gpus', a.gpus);
  if (portRanges.length > 0) {
    out.push({
      name: 'ports',
      type: 'RANGES',
      ranges: { range: portRanges.map(([begin, end]) => ({ begin, end })) },
      role: '*',
      ...extra,
    });
  }
  return out;
}
