import type { Slot } from '../placement/inventory/slot.js';

/**
 * Room made by preemption, held for the task it was made for. While the victims die they keep their
 * own room in the inventory (a kill takes time); a stand-in slot (`standInId`) holds whatever part of
 * the promised room the victims do not already cover, growing as they leave, so no other task grabs
 * the room either before or after the kill, and the preemptor's `limit:N` counts already include it.
 * When the last victim is gone the stand-in gives way to the preemptor itself. The scheduler sizes
 * the stand-ins (PreemptionDriver.holdStandIns).
 */
export interface Reservation {
  readonly holder: string;
  readonly host: number;
  readonly standInId: string;
  /** The stand-in's slot while it holds room (released by slot, not looked up by id). */
  standIn: Slot | undefined;
  /** The holder's demand (cpu, ramMb, diskMb, gpus, ports), as reserved in the preemption index. */
  readonly demand: Float64Array;
  /** Victims not yet gone. */
  readonly victims: Set<string>;
  readonly expiresAt: number;
}

export const standInId = (holder: string): string => `reservation:${holder}`;

export class Reservations {
  private readonly byHolder = new Map<string, Reservation>();
  private readonly byVictim = new Map<string, Reservation>();
  private readonly byHost = new Map<number, Set<Reservation>>();

  get size(): number {
    return this.byHolder.size;
  }

  add(
    holder: string,
    host: number,
    demand: Float64Array,
    victims: readonly string[],
    expiresAt: number,
  ): Reservation {
    const r: Reservation = {
      holder,
      host,
      standInId: standInId(holder),
      standIn: undefined,
      demand,
      victims: new Set(victims),
      expiresAt,
    };
    this.byHolder.set(holder, r);
    for (const v of victims) this.byVictim.set(v, r);
    let onHost = this.byHost.get(host);
    if (!onHost) {
      onHost = new Set();
      this.byHost.set(host, onHost);
    }
    onHost.add(r);
    return r;
  }

  ofHolder(holder: string): Reservation | undefined {
    return this.byHolder.get(holder);
  }

  ofVictim(victim: string): Reservation | undefined {
    return this.byVictim.get(victim);
  }

  onHost(host: number): Reservation[] {
    return [...(this.byHost.get(host) ?? [])];
  }

  /** A victim is gone; returns the reservation if that was its last victim. */
  victimGone(victim: string): Reservation | undefined {
    const r = this.byVictim.get(victim);
    if (!r) return undefined;
    this.byVictim.delete(victim);
    r.victims.delete(victim);
    return r.victims.size === 0 ? r : undefined;
  }

  delete(r: Reservation): void {
    if (this.byHolder.get(r.holder) !== r) return;
    this.byHolder.delete(r.holder);
    for (const v of r.victims) if (this.byVictim.get(v) === r) this.byVictim.delete(v);
    const onHost = this.byHost.get(r.host);
    onHost?.delete(r);
    if (onHost?.size === 0) this.byHost.delete(r.host);
  }
}
