import { BinaryHeap } from './binary-heap.js';
import type { QueueOrder, QueueOrderContext } from './queue-order.js';
import type { TaskGroup } from './task-group.js';

interface RoleTurn {
  readonly groups: TaskGroup[];
  next: number;
  share: number;
  readonly seq: number;
}

/**
 * The groups of one scheduling round in queue order. The caller takes a group with `next()`, tries
 * up to `order.turnSize` of its tasks and reports with `finish(group, more)`.
 *
 * Static orders (fifo, priority) sort once. Fair share keeps one lane per role, each sorted by
 * priority, and a heap of lanes keyed by the role's dominant share when it was last pushed: only the
 * role that just placed tasks changes its share, and it is re-pushed with the new value after its
 * turn, so the heap stays exact without re-sorting.
 */
export class QueueRound {
  private readonly sorted: TaskGroup[] | undefined;
  private position = 0;
  private readonly lanes: BinaryHeap<RoleTurn> | undefined;
  private current: RoleTurn | undefined;

  constructor(
    groups: readonly TaskGroup[],
    private readonly order: QueueOrder,
    private readonly ctx: QueueOrderContext,
  ) {
    if (order.turnSize === Number.POSITIVE_INFINITY) {
      this.sorted = [...groups].sort((a, b) => order.compare(a, b, ctx));
      return;
    }
    const byRole = new Map<string, TaskGroup[]>();
    for (const g of groups) {
      const lane = byRole.get(g.role);
      if (lane) lane.push(g);
      else byRole.set(g.role, [g]);
    }
    this.lanes = new BinaryHeap<RoleTurn>((a, b) => {
      const d = a.share - b.share;
      if (d !== 0) return d < 0;
      const c = order.compare(a.groups[a.next]!, b.groups[b.next]!, ctx);
      return c !== 0 ? c < 0 : a.seq < b.seq;
    });
    let seq = 0;
    for (const [role, lane] of byRole) {
      lane.sort((a, b) => order.compare(a, b, ctx));
      this.lanes.push({ groups: lane, next: 0, share: ctx.dominantShare(role), seq: seq++ });
    }
  }

  next(): TaskGroup | undefined {
    if (this.sorted) return this.sorted[this.position];
    this.current = this.lanes!.pop();
    return this.current?.groups[this.current.next];
  }

  /** `more`: the group used its whole turn and still has tasks worth trying this round. */
  finish(group: TaskGroup, more: boolean): void {
    if (this.sorted) {
      if (!more) this.position++;
      return;
    }
    const lane = this.current;
    if (!lane || lane.groups[lane.next] !== group) throw new Error('finish() without a matching next()');
    this.current = undefined;
    if (!more) lane.next++;
    if (lane.next >= lane.groups.length) return;
    lane.share = this.ctx.dominantShare(group.role);
    this.lanes!.push(lane);
  }

  get turnSize(): number {
    return this.order.turnSize;
  }
}
