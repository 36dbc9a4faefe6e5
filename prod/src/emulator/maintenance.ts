import { refuseMs } from './allocator.js';
import type { Master } from './master.js';
import type { Framework, InverseOffer } from './model.js';
import type { InverseOfferShape, Unavailability } from './shapes.js';

export interface MachineId {
  hostname?: string;
  ip?: string;
}

export interface Window {
  machine_ids: MachineId[];
  unavailability: Unavailability;
}

export type MaintenanceReply = { status: number; body?: string; json?: unknown };

/**
 * Maintenance as Mesos's master models it: a schedule of windows puts machines into DRAINING (their
 * offers carry `unavailability`, frameworks with tasks there get INVERSE_OFFERS until they answer,
 * then again after the refuse filter); `machine/down` removes their agents; `machine/up` ends it.
 */
export class Maintenance {
  private schedule: Window[] = [];
  private readonly down = new Set<string>();

  constructor(private readonly master: Master) {}

  private agentsOf(machine: MachineId): number[] {
    const m = this.master;
    const out = new Set<number>();
    for (const key of [machine.hostname, machine.ip]) {
      if (key) for (const i of m.agents.byHostname(key)) out.add(i);
    }
    return [...out];
  }

  private key(machine: MachineId): string {
    return `${machine.hostname ?? ''}/${machine.ip ?? ''}`;
  }

  getSchedule(): { windows: Window[] } {
    return { windows: this.schedule };
  }

  status(): unknown {
    const draining: unknown[] = [];
    const down: unknown[] = [];
    for (const w of this.schedule) {
      for (const id of w.machine_ids) {
        if (this.down.has(this.key(id))) down.push(id);
        else draining.push({ id, statuses: [] });
      }
    }
    return { draining_machines: draining, down_machines: down };
  }

  /** POST /master/maintenance/schedule: replaces the schedule. */
  setSchedule(input: unknown): MaintenanceReply {
    const windows = readWindows(input);
    if (typeof windows === 'string') return { status: 400, body: windows };
    const seen = new Set<string>();
    for (const w of windows) {
      for (const id of w.machine_ids) {
        const k = this.key(id);
        if (seen.has(k))
          return { status: 400, body: `Machine '${k}' appears more than once in the schedule` };
        seen.add(k);
      }
    }
    for (const k of this.down) {
      if (!seen.has(k))
        return { status: 400, body: `Machine '${k}' is deactivated and cannot be removed from the schedule` };
    }
    const m = this.master;
    const before = new Set(m.agents.unavailability.keys());
    m.agents.unavailability.clear();
    for (const w of windows) {
      for (const id of w.machine_ids)
        for (const i of this.agentsOf(id)) m.agents.unavailability.set(i, w.unavailability);
    }
    this.schedule = windows;
    for (const i of new Set([...before, ...m.agents.unavailability.keys()])) {
      // Offers made before the change carry stale unavailability: rescind, and re-offer at once
      // (refuse filters on the agent are dropped so frameworks see the new unavailability).
      m.allocator.rescindAgent(i);
      for (const f of m.frameworks.values()) f.filters.delete(i);
      if (!m.agents.unavailability.has(i)) this.rescindInverseOffers(i);
    }
    m.allocator.allocateSoon();
    return { status: 200 };
  }

  machinesDown(input: unknown): MaintenanceReply {
    const ids = readMachineIds(input);
    if (typeof ids === 'string') return { status: 400, body: ids };
    const scheduled = new Set(this.schedule.flatMap((w) => w.machine_ids.map((id) => this.key(id))));
    for (const id of ids) {
      if (!scheduled.has(this.key(id))) {
        return { status: 400, body: `Machine '${this.key(id)}' is not part of a maintenance schedule` };
      }
      if (this.down.has(this.key(id)))
        return { status: 400, body: `Machine '${this.key(id)}' is already DOWN` };
    }
    const m = this.master;
    for (const id of ids) {
      this.down.add(this.key(id));
      for (const i of this.agentsOf(id)) {
        m.agents.states[i] = 'down';
        m.allocator.rescindAgent(i);
        m.allocator.agentChanged(i);
        this.rescindInverseOffers(i);
        m.endAgentTasks(
          i,
          (f) => (f.partitionAware ? 'TASK_GONE_BY_OPERATOR' : 'TASK_LOST'),
          'REASON_AGENT_REMOVED_BY_OPERATOR',
          "Agent removed: Operator initiated 'Machine DOWN'",
        );
      }
    }
    return { status: 200 };
  }

  machinesUp(input: unknown): MaintenanceReply {
    const ids = readMachineIds(input);
    if (typeof ids === 'string') return { status: 400, body: ids };
    for (const id of ids) {
      if (!this.down.has(this.key(id)))
        return { status: 400, body: `Machine '${this.key(id)}' is not in DOWN mode` };
    }
    const m = this.master;
    const up = new Set(ids.map((id) => this.key(id)));
    for (const id of ids) {
      this.down.delete(this.key(id));
      for (const i of this.agentsOf(id)) {
        m.agents.states[i] = 'active';
        m.agents.unavailability.delete(i);
        m.allocator.agentChanged(i);
      }
    }
    this.schedule = this.schedule
      .map((w) => ({ ...w, machine_ids: w.machine_ids.filter((id) => !up.has(this.key(id))) }))
      .filter((w) => w.machine_ids.length > 0);
    m.allocator.allocateSoon();
    return { status: 200 };
  }

  /** Each allocation round: inverse offers to frameworks with tasks on agents that will go away. */
  sendInverseOffers(now: number): void {
    const m = this.master;
    if (m.agents.unavailability.size === 0) return;
    const batches = new Map<Framework, InverseOfferShape[]>();
    // Agents each framework already holds an inverse offer for (one look-up per agent, not a scan).
    const held = new Map<Framework, Set<number>>();
    for (const f of m.frameworks.values())
      held.set(f, new Set([...f.inverseOffers.values()].map((o) => o.agent)));
    for (const i of m.agents.unavailability.keys()) {
      if (m.agents.states[i] !== 'active') continue;
      const frameworks = new Set<Framework>();
      for (const t of m.agentTasks[i] ?? []) frameworks.add(t.framework);
      for (const f of frameworks) {
        if (!f.stream) continue;
        if (held.get(f)?.has(i)) continue;
        const until = f.inverseFilters.get(i);
        if (until !== undefined && until > now) continue;
        const shape = m.allocator.inverseShape(f, i);
        const offer: InverseOffer = { id: shape.id.value, framework: f, agent: i, shape };
        f.inverseOffers.set(offer.id, offer);
        const list = batches.get(f);
        if (list) list.push(shape);
        else batches.set(f, [shape]);
      }
    }
    for (const [f, inverse_offers] of batches)
      m.send(f, { type: 'INVERSE_OFFERS', inverse_offers: { inverse_offers } });
  }

  /** ACCEPT_INVERSE_OFFERS / DECLINE_INVERSE_OFFERS: advisory; the answer only starts a refuse filter. */
  answer(f: Framework, ids: string[], filters: { refuse_seconds?: number } | undefined): void {
    const now = this.master.timers.now();
    for (const id of ids) {
      const offer = f.inverseOffers.get(id);
      if (!offer) continue;
      f.inverseOffers.delete(id);
      f.inverseFilters.set(offer.agent, now + refuseMs(filters));
    }
  }

  dropInverseOffers(f: Framework): void {
    f.inverseOffers.clear();
  }

  private rescindInverseOffers(i: number): void {
    for (const f of this.master.frameworks.values()) {
      for (const [id, offer] of f.inverseOffers) {
        if (offer.agent !== i) continue;
        f.inverseOffers.delete(id);
        this.master.send(f, {
          type: 'RESCIND_INVERSE_OFFER',
          rescind_inverse_offer: { inverse_offer_id: { value: id } },
        });
      }
    }
  }
}

function readMachineIds(input: unknown): MachineId[] | string {
  if (!Array.isArray(input)) return 'Expecting a JSON array of machine ids';
  const out: MachineId[] = [];
  for (const item of input) {
    if (typeof item !== 'object' || item === null) return 'Expecting a JSON array of machine ids';
    const { hostname, ip } = item as Record<string, unknown>;
    if (typeof hostname !== 'string' && typeof ip !== 'string') {
      return 'Machine ID must have a hostname or an ip';
    }
    out.push({
      ...(typeof hostname === 'string' ? { hostname } : {}),
      ...(typeof ip === 'string' ? { ip } : {}),
    });
  }
  return out;
}

function readWindows(input: unknown): Window[] | string {
  if (typeof input !== 'object' || input === null) return 'Expecting a maintenance schedule JSON object';
  const windows = (input as { windows?: unknown }).windows ?? [];
  if (!Array.isArray(windows)) return "Expecting 'windows' to be an array";
  const out: Window[] = [];
  for (const w of windows) {
    if (typeof w !== 'object' || w === null) return 'Expecting each window to be an object';
    const ids = readMachineIds((w as { machine_ids?: unknown }).machine_ids ?? []);
    if (typeof ids === 'string') return ids;
    if (ids.length === 0) return 'List of machines in the maintenance window is empty';
    const u = (w as { unavailability?: Unavailability }).unavailability;
    if (!u || typeof u !== 'object' || u.start?.nanoseconds === undefined) {
      return 'Missing required fields: windows.unavailability.start';
    }
    out.push({ machine_ids: ids, unavailability: u });
  }
  return out;
}
