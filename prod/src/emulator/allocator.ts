import { type Amounts, refusedOf, toRanges, toResources } from './agents.js';
import type { Master } from './master.js';
import type { Framework, Offer } from './model.js';
import type { InverseOfferShape, OfferShape } from './shapes.js';
import type { TimerHandle } from './timers.js';

/** Filters.refuse_seconds: 5 s by default (also for negative values), at most a year. */
export function refuseMs(filters: { refuse_seconds?: number } | undefined): number {
  const s = filters?.refuse_seconds;
  const seconds = s === undefined || !Number.isFinite(s) || s < 0 ? 5 : Math.min(s, 365 * 24 * 3600);
  return seconds * 1000;
}

/**
 * Offers like Mesos's hierarchical allocator, reduced to one role per framework: every allocation
 * interval, each agent with free resources that nobody holds an offer for goes, whole, to the
 * framework with the lowest dominant share (cpus, mem) that neither suppressed offers nor filtered
 * that agent; each framework gets its offers of the round in one OFFERS event. Only agents in the
 * `offerable` set are visited (free, active, not offered), not all N.
 */
export class Allocator {
  /** Agents with free resources, no outstanding offer, and a state that can be offered. */
  readonly offerable = new Set<number>();
  readonly offerOf: (Offer | undefined)[];
  readonly offers = new Map<string, Offer>();
  private interval: TimerHandle | null = null;
  private soon: TimerHandle | null = null;
  private seq = 0;
  private cursor = 0;

  constructor(private readonly master: Master) {
    this.offerOf = new Array(master.agents.count);
    for (let i = 0; i < master.agents.count; i++) this.offerable.add(i);
  }

  startTicking(): void {
    const tick = (): void => {
      this.allocate();
      this.interval = this.master.timers.after(this.master.options.allocationIntervalMs, tick);
    };
    this.interval = this.master.timers.after(this.master.options.allocationIntervalMs, tick);
  }

  stop(): void {
    this.interval?.cancel();
    this.soon?.cancel();
  }

  /** Allocate on the next turn of the loop (a framework subscribed or revived). */
  allocateSoon(): void {
    if (this.soon) return;
    this.soon = this.master.timers.after(0, () => {
      this.soon = null;
      this.allocate();
    });
  }

  /** Agent i's free resources or state changed. */
  agentChanged(i: number): void {
    const m = this.master;
    if (this.offerOf[i]) return;
    const st = m.agents.states[i];
    if (st === 'active' && m.agents.hasFree(i)) this.offerable.add(i);
    else this.offerable.delete(i);
  }

  allocate(): void {
    const m = this.master;
    const now = m.timers.now();
    const wanting = [...m.frameworks.values()].filter((f) => f.stream && !f.suppressed);
    if (wanting.length > 0 && this.offerable.size > 0) {
      const batches = new Map<Framework, OfferShape[]>();
      const agents = [...this.offerable];
      // Start where the last round stopped, so equal frameworks see the cluster in turn.
      const start = this.cursor % agents.length;
      this.cursor++;
      for (let k = 0; k < agents.length; k++) {
        const i = agents[(start + k) % agents.length]!;
        let best: Framework | null = null;
        let bestShare = Number.POSITIVE_INFINITY;
        for (const f of wanting) {
          const filter = f.filters.get(i);
          if (filter) {
            if (filter.until > now && m.agents.freeWithin(i, filter.refused)) continue;
            if (filter.until <= now) f.filters.delete(i);
          }
          const share = Math.max(f.allocatedCpus / (m.totalCpus || 1), f.allocatedMem / (m.totalMem || 1));
          if (share < bestShare) {
            best = f;
            bestShare = share;
          }
        }
        if (!best) continue;
        const offer = this.makeOffer(best, i, m.agents.free(i));
        const list = batches.get(best);
        if (list) list.push(offer);
        else batches.set(best, [offer]);
      }
      for (const [f, offers] of batches) m.send(f, { type: 'OFFERS', offers: { offers } });
    }
    m.maintenance.sendInverseOffers(now);
  }

  private makeOffer(f: Framework, i: number, free: Amounts): OfferShape {
    const m = this.master;
    const id = `${m.id}-O${this.seq++}`;
    const portRanges = toRanges(free.ports);
    const offer: Offer = { id, framework: f, agent: i, amounts: { ...free, ports: [] }, portRanges };
    this.offers.set(id, offer);
    this.offerOf[i] = offer;
    this.offerable.delete(i);
    f.offers.set(id, offer);
    m.counters.offers++;
    f.allocatedCpus += free.cpus;
    f.allocatedMem += free.mem;
    const shape: OfferShape = {
      id: { value: id },
      framework_id: { value: f.id },
      agent_id: { value: m.agents.ids[i]! },
      hostname: m.agents.hostnames[i]!,
      resources: toResources(free, f.role, portRanges),
      attributes: m.agents.attributes[i]!,
      allocation_info: { role: f.role },
    };
    const executors = [...f.executors.values()].filter((e) => e.agent === i).map((e) => ({ value: e.id }));
    if (executors.length > 0) shape.executor_ids = executors;
    const unavailability = m.agents.unavailability.get(i);
    if (unavailability) shape.unavailability = unavailability;
    return shape;
  }

  nextId(): string {
    return `${this.master.id}-O${this.seq++}`;
  }

  /**
   * The offer is answered, rescinded or invalidated: its resources go back to the pool. With a
   * filter (DECLINE, the unused part of an ACCEPT) the framework won't see them again on this agent
   * for refuse_seconds unless more become free.
   */
  remove(offer: Offer, opts: { rescind?: boolean; refuse?: { ms: number; amounts: Amounts } } = {}): void {
    const m = this.master;
    if (this.offers.get(offer.id) !== offer) return;
    this.offers.delete(offer.id);
    offer.framework.offers.delete(offer.id);
    if (this.offerOf[offer.agent] === offer) this.offerOf[offer.agent] = undefined;
    offer.framework.allocatedCpus -= offer.amounts.cpus;
    offer.framework.allocatedMem -= offer.amounts.mem;
    if (opts.rescind)
      m.send(offer.framework, { type: 'RESCIND', rescind: { offer_id: { value: offer.id } } });
    if (opts.refuse && opts.refuse.ms > 0 && hasAny(opts.refuse.amounts)) {
      offer.framework.filters.set(offer.agent, {
        until: m.timers.now() + opts.refuse.ms,
        refused: refusedOf(opts.refuse.amounts),
      });
    }
    this.agentChanged(offer.agent);
  }

  /** Rescinds every outstanding offer for agent i (it is lost, drained or under maintenance). */
  rescindAgent(i: number): void {
    const offer = this.offerOf[i];
    if (offer) this.remove(offer, { rescind: true });
  }

  /** A framework's offers are gone (it resubscribed, was removed or suppressed nothing: no RESCIND sent). */
  dropFrameworkOffers(f: Framework, rescind: boolean): void {
    for (const offer of [...f.offers.values()]) this.remove(offer, { rescind });
  }

  inverseShape(f: Framework, i: number): InverseOfferShape {
    const m = this.master;
    return {
      id: { value: this.nextId() },
      url: {
        scheme: 'http',
        address: { hostname: m.agents.hostnames[i]!, ip: '127.0.0.1', port: 5051 },
        path: '/slave(1)',
      },
      framework_id: { value: f.id },
      agent_id: { value: m.agents.ids[i]! },
      unavailability: m.agents.unavailability.get(i)!,
    };
  }
}

function hasAny(a: Amounts): boolean {
  return a.cpus > 0 || a.mem > 0 || a.disk > 0 || a.gpus > 0 || a.ports.length > 0;
}
