import type { CoreOffer } from './offers-in.js';

interface Held {
  readonly offer: CoreOffer;
  readonly receivedAt: number;
}

/**
 * The Mesos offers the driver holds, by host. The core decides which host a task goes to; the
 * driver launches it against every offer it holds for that host (Mesos lets one ACCEPT use several
 * offers of one agent, and declines whatever the launch leaves unused). Offers held past the hold
 * time, or when nothing waits for them, are declined with a refuse filter so other frameworks get
 * them; rescinded offers are forgotten.
 */
export class OfferBook {
  private readonly byId = new Map<string, Held>();
  private readonly byHost = new Map<string, Set<string>>();

  add(offer: CoreOffer, now: number): void {
    this.byId.set(offer.id, { offer, receivedAt: now });
    let ids = this.byHost.get(offer.hostname);
    if (!ids) {
      ids = new Set();
      this.byHost.set(offer.hostname, ids);
    }
    ids.add(offer.id);
  }

  /** Forgets a rescinded offer; returns its host when that host has no offer left. */
  remove(offerId: string): string | undefined {
    const held = this.byId.get(offerId);
    if (!held) return undefined;
    this.byId.delete(offerId);
    const host = held.offer.hostname;
    const ids = this.byHost.get(host);
    ids?.delete(offerId);
    if (ids && ids.size === 0) {
      this.byHost.delete(host);
      return host;
    }
    return undefined;
  }

  /** Takes every offer held for the host (for one ACCEPT): they are used up. */
  take(host: string): CoreOffer[] {
    const ids = this.byHost.get(host);
    if (!ids) return [];
    this.byHost.delete(host);
    const out: CoreOffer[] = [];
    for (const id of ids) {
      const held = this.byId.get(id);
      this.byId.delete(id);
      if (held) out.push(held.offer);
    }
    return out;
  }

  has(host: string): boolean {
    return this.byHost.has(host);
  }

  /** Hosts whose oldest held offer is older than `olderThan` (ms since received), to decline. */
  stale(now: number, holdMs: number): string[] {
    const out: string[] = [];
    for (const [host, ids] of this.byHost) {
      for (const id of ids) {
        const held = this.byId.get(id);
        if (held && now - held.receivedAt >= holdMs) {
          out.push(host);
          break;
        }
      }
    }
    return out;
  }

  hosts(): string[] {
    return [...this.byHost.keys()];
  }

  /** Offers die with the subscription: forget them all (returns the hosts that had some). */
  clear(): string[] {
    const hosts = this.hosts();
    this.byId.clear();
    this.byHost.clear();
    return hosts;
  }

  get size(): number {
    return this.byId.size;
  }
}
