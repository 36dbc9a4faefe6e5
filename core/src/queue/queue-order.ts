import type { Tier } from '../model/tier.js';
import type { TaskGroup } from './task-group.js';

export const QUEUE_ORDERS = ['fifo', 'priority', 'drf'] as const;
export type QueueOrderName = (typeof QUEUE_ORDERS)[number];

export interface QueueOrderContext {
  /** A role's dominant share: max over resources of its allocation / cluster capacity. */
  dominantShare(role: string): number;
}

/** The order pending groups are tried in one scheduling round. */
export interface QueueOrder {
  readonly name: QueueOrderName;
  readonly description: string;
  /** Negative if `a` goes first. Must be a total order (ends with the group's creation sequence). */
  compare(a: TaskGroup, b: TaskGroup, ctx: QueueOrderContext): number;
  /**
   * Instances a group places per turn before the order is consulted again. Fair share needs turns
   * (shares move as tasks land); the static orders place a whole group at once.
   */
  readonly turnSize: number;
}

const TIER_ORDER: Readonly<Record<Tier, number>> = { preferred: 0, preemptible: 1, revocable: 2 };

const byAge = (a: TaskGroup, b: TaskGroup): number => a.since - b.since || a.seq - b.seq;

const byPriority = (a: TaskGroup, b: TaskGroup): number =>
  TIER_ORDER[a.config.tier] - TIER_ORDER[b.config.tier] ||
  b.config.priority - a.config.priority ||
  byAge(a, b);

export const FIFO_ORDER: QueueOrder = {
  name: 'fifo',
  description: 'Oldest pending group first.',
  compare: byAge,
  turnSize: Number.POSITIVE_INFINITY,
};

export const PRIORITY_ORDER: QueueOrder = {
  name: 'priority',
  description: 'Production tier first, then preemptible, then revocable; higher priority first; then oldest.',
  compare: byPriority,
  turnSize: Number.POSITIVE_INFINITY,
};

/**
 * Dominant resource fairness (Ghodsi et al.): the role with the smallest dominant share goes next,
 * and shares are re-read after every turn, so roles take turns instead of one role draining the queue.
 */
export const DRF_ORDER: QueueOrder = {
  name: 'drf',
  description:
    'Dominant resource fairness across roles: the role with the smallest share of its dominant resource goes next.',
  compare: (a, b, ctx) => ctx.dominantShare(a.role) - ctx.dominantShare(b.role) || byPriority(a, b),
  turnSize: 8,
};

export function queueOrder(name: QueueOrderName): QueueOrder {
  switch (name) {
    case 'fifo':
      return FIFO_ORDER;
    case 'priority':
      return PRIORITY_ORDER;
    case 'drf':
      return DRF_ORDER;
  }
}
