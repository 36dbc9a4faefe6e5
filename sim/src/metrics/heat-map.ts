import { CPU, GPU, type HostTable, RAM, RES } from '../cluster/host-table.js';

/**
 * The host × time load map of hosts.json: one byte per host per sample, round(255 × allocated /
 * capacity), 0 when the host is down. Large runs would make it huge (10,000 hosts × 1,440
 * samples), so it keeps at most `budgetCells` cells per resource: when the budget is reached it
 * drops every other column and from then on keeps every other sample. The kept sample times are
 * written next to the cells, so readers need no assumption about spacing. Each column starts as a
 * copy of the previous one and only hosts the HostTable reports as changed are recomputed.
 * GPUs get a map too once any host has some (earlier columns read 0), so CPU-only runs write
 * exactly what they did before.
 */
export class HeatMap {
  readonly times: number[] = [];
  private readonly cpuColumns: Uint8Array[] = [];
  private readonly ramColumns: Uint8Array[] = [];
  /** Undefined until a sampled host has GPUs. */
  private gpuColumns?: Uint8Array[];
  private stride = 1;
  private offered = 0;
  /** The column taken last (kept even if halving drops it from the map) and the table it came from. */
  private last?: {
    readonly hosts: HostTable;
    readonly cpu: Uint8Array;
    readonly ram: Uint8Array;
    readonly gpu?: Uint8Array;
  };

  constructor(private readonly budgetCells = 16_000_000) {}

  sample(time: number, hosts: HostTable): void {
    const n = this.offered++;
    if (n % this.stride !== 0) return;
    const count = hosts.count;
    const cpu = new Uint8Array(count);
    const ram = new Uint8Array(count);
    const changed = hosts.changedHosts();
    if (this.gpuColumns === undefined && anyGpus(hosts)) {
      this.gpuColumns = this.times.map(() => new Uint8Array(0));
    }
    const gpu = this.gpuColumns !== undefined ? new Uint8Array(count) : undefined;
    const last = this.last;
    if (last !== undefined && last.hosts === hosts && (gpu === undefined || last.gpu !== undefined)) {
      // Start from the previous column and redo only the hosts that changed since it was taken.
      cpu.set(last.cpu);
      ram.set(last.ram);
      if (gpu) gpu.set(last.gpu!);
      for (let i = 0; i < changed.length; i++) fill(hosts, changed[i]!, cpu, ram, gpu);
    } else {
      for (let h = 0; h < count; h++) fill(hosts, h, cpu, ram, gpu);
    }
    this.last = gpu ? { hosts, cpu, ram, gpu } : { hosts, cpu, ram };
    this.times.push(time);
    this.cpuColumns.push(cpu);
    this.ramColumns.push(ram);
    if (gpu) this.gpuColumns!.push(gpu);
    if (this.times.length * hosts.count > this.budgetCells && this.times.length > 2) this.halve();
  }

  /** Row-major by host: cell (h, s) at h × samples + s. Hosts added later are 0 before they existed. */
  cells(hostCount: number): { cpu: Uint8Array; ramMb: Uint8Array; gpus?: Uint8Array } {
    const samples = this.times.length;
    const pack = (columns: Uint8Array[]): Uint8Array => {
      const out = new Uint8Array(hostCount * samples);
      columns.forEach((col, s) => {
        for (let h = 0; h < col.length; h++) out[h * samples + s] = col[h]!;
      });
      return out;
    };
    const cells = { cpu: pack(this.cpuColumns), ramMb: pack(this.ramColumns) };
    return this.gpuColumns ? { ...cells, gpus: pack(this.gpuColumns) } : cells;
  }

  private halve(): void {
    const keep = (xs: unknown[]): void => {
      let w = 0;
      for (let r = 0; r < xs.length; r += 2) xs[w++] = xs[r];
      xs.length = w;
    };
    keep(this.times);
    keep(this.cpuColumns);
    keep(this.ramColumns);
    if (this.gpuColumns) keep(this.gpuColumns);
    this.stride *= 2;
  }
}

function fill(hosts: HostTable, h: number, cpu: Uint8Array, ram: Uint8Array, gpu?: Uint8Array): void {
  if (hosts.up[h] !== 1) {
    cpu[h] = 0;
    ram[h] = 0;
    if (gpu) gpu[h] = 0;
    return;
  }
  const o = h * RES;
  cpu[h] = cell(hosts.used[o + CPU]!, hosts.capacity[o + CPU]!);
  ram[h] = cell(hosts.used[o + RAM]!, hosts.capacity[o + RAM]!);
  if (gpu) gpu[h] = cell(hosts.used[o + GPU]!, hosts.capacity[o + GPU]!);
}

function anyGpus(hosts: HostTable): boolean {
  for (let h = 0; h < hosts.count; h++) if (hosts.capacity[h * RES + GPU]! > 0) return true;
  return false;
}

function cell(used: number, capacity: number): number {
  if (capacity <= 0) return 0;
  return Math.max(0, Math.min(255, Math.round((255 * used) / capacity)));
}
