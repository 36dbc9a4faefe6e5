/**
 * Partitions task slots into numbered groups (one group per state, per job, or per host) with O(1)
 * add, remove and move, and dense per-group member arrays for fast iteration, counting and random
 * picks. A slot is in at most one group of a family, so one position array serves the whole family:
 * a million slots cost 8 bytes each, whatever the number of groups.
 */
export class SlotGroups {
  private members: Int32Array[] = [];
  private sizes: number[] = [];
  /** slot → its group, -1 when in none. */
  private groupOf: Int32Array;
  /** slot → its index within its group's member array. */
  private positionOf: Int32Array;

  constructor(initialSlots = 1024) {
    this.groupOf = new Int32Array(initialSlots).fill(-1);
    this.positionOf = new Int32Array(initialSlots);
  }

  get groupCount(): number {
    return this.members.length;
  }

  addGroup(): number {
    this.members.push(new Int32Array(4));
    this.sizes.push(0);
    return this.members.length - 1;
  }

  add(slot: number, group: number): void {
    this.ensureSlot(slot);
    if (this.groupOf[slot] !== -1) throw new Error(`slot ${slot} is already in group ${this.groupOf[slot]}`);
    this.append(slot, group);
  }

  /** Removes the slot from its group (if any) by moving the group's last member into its place. */
  remove(slot: number): void {
    if (slot >= this.groupOf.length) return;
    const group = this.groupOf[slot]!;
    if (group === -1) return;
    const members = this.members[group]!;
    const last = this.sizes[group]! - 1;
    const position = this.positionOf[slot]!;
    const moved = members[last]!;
    members[position] = moved;
    this.positionOf[moved] = position;
    this.sizes[group] = last;
    this.groupOf[slot] = -1;
  }

  /**
   * Moves the slot to `group` (adds it if it is in none): `remove` then `add`, without add's checks
   * for a slot that was in a group (the store moves a task's slot on every transition).
   */
  move(slot: number, group: number): void {
    if (slot >= this.groupOf.length || this.groupOf[slot] === -1) {
      this.add(slot, group);
      return;
    }
    this.remove(slot);
    this.append(slot, group);
  }

  groupOfSlot(slot: number): number {
    return slot < this.groupOf.length ? this.groupOf[slot]! : -1;
  }

  size(group: number): number {
    return this.sizes[group] ?? 0;
  }

  /** The i-th member of a group; order is arbitrary and changes when members leave. */
  member(group: number, index: number): number {
    return this.members[group]![index]!;
  }

  /** A copy of the group's members, safe to hold while the groups change. */
  snapshot(group: number): Int32Array {
    return this.members[group]!.slice(0, this.sizes[group]);
  }

  /** Puts a slot that is in no group (and within the position arrays) last in `group`. */
  private append(slot: number, group: number): void {
    let members = this.members[group]!;
    const size = this.sizes[group]!;
    if (size === members.length) {
      const grown = new Int32Array(members.length * 2);
      grown.set(members);
      this.members[group] = members = grown;
    }
    members[size] = slot;
    this.sizes[group] = size + 1;
    this.groupOf[slot] = group;
    this.positionOf[slot] = size;
  }

  private ensureSlot(slot: number): void {
    if (slot < this.groupOf.length) return;
    let capacity = this.groupOf.length * 2;
    while (capacity <= slot) capacity *= 2;
    const groupOf = new Int32Array(capacity).fill(-1);
    groupOf.set(this.groupOf);
    const positionOf = new Int32Array(capacity);
    positionOf.set(this.positionOf);
    this.groupOf = groupOf;
    this.positionOf = positionOf;
  }
}
