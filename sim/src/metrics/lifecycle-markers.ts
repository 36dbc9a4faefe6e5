import { isTerminalUpdate, type MaintenanceEvent, type UpdateEvent, type UpdateStatus } from '@borealis/core';

/**
 * One line of markers.jsonl (docs/run-output.md): an interval (or an instant, start === end) the
 * visualizer draws behind its timelines. `kind`, `start`, `end` and `label` are the visualizer's
 * TimeMarker; the other fields say what the marker is about for readers that want more.
 */
export interface MarkerLine {
  readonly kind: 'update' | 'restart' | 'rollback' | 'drain' | 'activate';
  readonly start: number;
  readonly end: number;
  readonly label: string;
  /** update, restart, rollback: the job and the update's last status. */
  readonly job?: string;
  readonly updateId?: string;
  readonly status?: UpdateStatus;
  /** drain, activate: the hosts, in the order the core reported them. */
  readonly hosts?: readonly string[];
  /** drain: DRAINED when every host emptied, NONE when activated first, DRAINING when the run ended first. */
  readonly outcome?: 'DRAINED' | 'NONE' | 'DRAINING';
  /** True when the run ended before the interval did (end is the end of the run). */
  readonly open?: boolean;
}

interface OpenUpdate {
  readonly updateId: string;
  readonly job: string;
  readonly operation: 'update' | 'restart';
  readonly start: number;
  status: UpdateStatus;
  rollbackAt?: number;
}

interface DrainGroup {
  readonly start: number;
  readonly hosts: string[];
  readonly waiting: Set<string>;
  end?: number;
  /** Hosts activated before they drained. */
  cancelled: number;
}

interface Activation {
  readonly at: number;
  readonly hosts: string[];
}

/**
 * Turns the core's update and maintenance events into timeline markers. An update is one
 * interval from its start to its terminal status (a rollback adds a nested interval from the
 * moment it turned back). Hosts put into DRAINING at the same instant (one host_drain record)
 * form one drain interval that ends when the last of them is DRAINED or taken out of
 * maintenance; hosts taken out of maintenance at one instant form one activate instant.
 * Markers are few (one per operation), so they are kept until the end of the run.
 */
export class LifecycleMarkers {
  private readonly done: MarkerLine[] = [];
  private readonly updates = new Map<string, OpenUpdate>();
  private readonly drainOf = new Map<string, DrainGroup>();
  private readonly drains: DrainGroup[] = [];
  private readonly activations: Activation[] = [];

  /** Updates still active and hosts still draining: lifecycle work the core has not finished. */
  get inProgress(): number {
    return this.updates.size + this.drainOf.size;
  }

  onUpdate(e: UpdateEvent): void {
    if (e.kind !== 'status') return;
    let u = this.updates.get(e.updateId);
    if (!u) {
      u = { updateId: e.updateId, job: e.job, operation: e.operation, start: e.time, status: e.status };
      this.updates.set(e.updateId, u);
    }
    u.status = e.status;
    if (e.status === 'ROLLING_BACK' && u.rollbackAt === undefined) u.rollbackAt = e.time;
    if (isTerminalUpdate(e.status)) {
      this.updates.delete(e.updateId);
      this.closeUpdate(u, e.time, false);
    }
  }

  onMaintenance(e: MaintenanceEvent): void {
    const group = this.drainOf.get(e.host);
    if (e.mode === 'DRAINING') {
      if (group) return;
      let g = this.drains[this.drains.length - 1];
      if (!g || g.start !== e.time || g.end !== undefined) {
        g = { start: e.time, hosts: [], waiting: new Set(), cancelled: 0 };
        this.drains.push(g);
      }
      g.hosts.push(e.host);
      g.waiting.add(e.host);
      this.drainOf.set(e.host, g);
      return;
    }
    if (e.mode === 'DRAINED') {
      if (group) this.settle(group, e.host, e.time);
      return;
    }
    if (e.mode === 'NONE') {
      if (group) {
        group.cancelled++;
        this.settle(group, e.host, e.time);
      }
      const last = this.activations[this.activations.length - 1];
      if (last && last.at === e.time) last.hosts.push(e.host);
      else this.activations.push({ at: e.time, hosts: [e.host] });
    }
  }

  /** Every marker, intervals still open at `endMs` closed there; sorted by start, then kind. */
  lines(endMs: number): MarkerLine[] {
    const out = [...this.done];
    for (const u of this.updates.values()) out.push(...updateLines(u, endMs, true));
    for (const g of this.drains) out.push(drainLine(g, g.end ?? endMs, g.end === undefined));
    for (const a of this.activations) {
      out.push({
        kind: 'activate',
        start: a.at,
        end: a.at,
        label: `${hostList(a.hosts)} back in service`,
        hosts: a.hosts,
      });
    }
    return out.sort((a, b) => a.start - b.start || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  }

  private settle(group: DrainGroup, host: string, t: number): void {
    this.drainOf.delete(host);
    group.waiting.delete(host);
    if (group.waiting.size === 0) group.end = t;
  }

  private closeUpdate(u: OpenUpdate, end: number, open: boolean): void {
    this.done.push(...updateLines(u, end, open));
  }
}

const KIND_ORDER: Record<MarkerLine['kind'], number> = {
  update: 0,
  restart: 0,
  rollback: 1,
  drain: 2,
  activate: 3,
};

function updateLines(u: OpenUpdate, end: number, open: boolean): MarkerLine[] {
  const what = u.operation === 'restart' ? 'restart' : 'update';
  const state = open ? `still ${u.status} at the end` : u.status;
  const common = { job: u.job, updateId: u.updateId, status: u.status, ...(open ? { open } : {}) };
  const lines: MarkerLine[] = [
    { kind: what, start: u.start, end, label: `${what} ${u.job}: ${state}`, ...common },
  ];
  if (u.rollbackAt !== undefined) {
    lines.push({
      kind: 'rollback',
      start: u.rollbackAt,
      end,
      label: `rollback ${u.job}: ${state}`,
      ...common,
    });
  }
  return lines;
}

function drainLine(g: DrainGroup, end: number, open: boolean): MarkerLine {
  const outcome: MarkerLine['outcome'] = open ? 'DRAINING' : g.cancelled > 0 ? 'NONE' : 'DRAINED';
  const how =
    outcome === 'DRAINED'
      ? 'drained'
      : outcome === 'NONE'
        ? 'activated before drained'
        : 'still draining at the end';
  return {
    kind: 'drain',
    start: g.start,
    end,
    label: `drain ${hostList(g.hosts)}: ${how}`,
    hosts: g.hosts,
    outcome,
    ...(open ? { open } : {}),
  };
}

/** Up to three host names, then a count, so a label stays one short line. */
function hostList(hosts: readonly string[]): string {
  if (hosts.length <= 3) return hosts.join(', ');
  return `${hosts.slice(0, 2).join(', ')} and ${hosts.length - 2} more hosts`;
}
