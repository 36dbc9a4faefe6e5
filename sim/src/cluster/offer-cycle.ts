import type { Scheduler } from '@borealis/core';
import { EV_ALLOCATE, EV_OFFER_EXPIRE } from '../engine/event-kinds.js';
import type { EventQueue } from '../engine/event-queue.js';
import type { OfferCycleOptions } from '../run/sim-options.js';
import type { HostTable } from './host-table.js';

/**
 * The Mesos offer cycle (`--offers`), to study its effect on scheduling delay. Every allocation
 * interval the allocator offers each up host that is not already offered and not filtered. An
 * offer the core uses (a launch on the host) is consumed: what is left of the host returns to the
 * allocator and is offered again next round. An offer still unused after the hold time is
 * declined and the host is filtered for the refuse time, as a framework declining with
 * refuse_seconds would do.
 */
export class OfferCycle {
  private offered = new Uint8Array(64);
  private generation = new Uint32Array(64);
  private refusedUntil = new Float64Array(64);
  offersMade = 0;
  declines = 0;

  constructor(
    private readonly options: OfferCycleOptions,
    private readonly scheduler: Scheduler,
    private readonly queue: EventQueue,
    private readonly hosts: HostTable,
  ) {}

  start(now: number): void {
    this.queue.push(now, EV_ALLOCATE);
  }

  allocate(now: number): void {
    this.fit();
    for (let h = 0; h < this.hosts.count; h++) {
      if (this.offered[h] === 1 || this.hosts.up[h] !== 1 || this.refusedUntil[h]! > now) continue;
      this.offered[h] = 1;
      const g = (this.generation[h]! + 1) >>> 0;
      this.generation[h] = g;
      this.offersMade++;
      this.scheduler.offer(this.hosts.ids[h]!);
      this.queue.push(now + this.options.offerHoldMs, EV_OFFER_EXPIRE, h, g);
    }
    this.queue.push(now + this.options.allocationIntervalMs, EV_ALLOCATE);
  }

  /** The hold time of an offer is up: decline it if it is still outstanding. */
  expire(now: number, host: number, generation: number): void {
    if (this.offered[host] !== 1 || this.generation[host] !== generation) return;
    this.withdraw(host);
    this.declines++;
    this.refusedUntil[host] = now + this.options.refuseMs;
  }

  /** The core launched on the host: the offer is used up. */
  accepted(host: number): void {
    if (this.offered[host] === 1) this.withdraw(host);
  }

  /** The host is going down or away: its offer is rescinded before the core hears of it. */
  hostLeaving(host: number): void {
    if (this.offered[host] === 1) this.withdraw(host);
  }

  private withdraw(host: number): void {
    this.offered[host] = 0;
    this.generation[host] = (this.generation[host]! + 1) >>> 0;
    this.scheduler.rescind(this.hosts.ids[host]!);
  }

  private fit(): void {
    if (this.offered.length >= this.hosts.count) return;
    const n = Math.max(this.hosts.count, this.offered.length * 2);
    const offered = new Uint8Array(n);
    offered.set(this.offered);
    this.offered = offered;
    const generation = new Uint32Array(n);
    generation.set(this.generation);
    this.generation = generation;
    const refused = new Float64Array(n);
    refused.set(this.refusedUntil);
    this.refusedUntil = refused;
  }
}
