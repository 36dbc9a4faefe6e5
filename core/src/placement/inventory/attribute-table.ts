import { grow } from './grow.js';

/** The implicit attribute whose value is the host's id. */
export const HOST_ATTRIBUTE = 'host';

/**
 * Host attributes interned to small integers: each attribute name gets an id, each distinct value of
 * an attribute gets an id, and every attribute is one Int32Array column (value id per host, -1 when
 * the host lacks it). Filters compare integers, and `hostsWith(attribute, value)` lists the hosts
 * sharing a value, which is what `limit:N` needs when a count crosses its limit.
 */
export class AttributeTable {
  private readonly attributeIds = new Map<string, number>();
  readonly attributeNames: string[] = [];
  private readonly valueIds: Map<string, number>[] = [];
  private readonly valueNames: string[][] = [];
  private columns: Int32Array[] = [];
  private readonly groups: number[][][] = [];
  private capacity = 0;

  constructor() {
    this.intern(HOST_ATTRIBUTE);
  }

  /** The attribute's id, or -1 if no host ever had it. */
  attributeId(name: string): number {
    return this.attributeIds.get(name) ?? -1;
  }

  intern(name: string): number {
    let id = this.attributeIds.get(name);
    if (id === undefined) {
      id = this.attributeNames.length;
      this.attributeIds.set(name, id);
      this.attributeNames.push(name);
      this.valueIds.push(new Map());
      this.valueNames.push([]);
      this.columns.push(new Int32Array(this.capacity).fill(-1));
      this.groups.push([]);
    }
    return id;
  }

  /** The value's id for an attribute, or -1 if no host has that value. */
  valueId(attribute: number, value: string): number {
    return this.valueIds[attribute]?.get(value) ?? -1;
  }

  /**
   * Interns a value no host may have yet, so compiled constraints keep stable ids when hosts with that
   * value arrive later.
   */
  internValue(attribute: number, value: string): number {
    const ids = this.valueIds[attribute]!;
    let v = ids.get(value);
    if (v === undefined) {
      v = this.valueNames[attribute]!.length;
      ids.set(value, v);
      this.valueNames[attribute]!.push(value);
      this.groups[attribute]!.push([]);
    }
    return v;
  }

  valueName(attribute: number, value: number): string {
    return this.valueNames[attribute]![value]!;
  }

  /** Number of distinct values interned for an attribute (value ids are 0 … count-1). */
  valueCount(attribute: number): number {
    return this.valueNames[attribute]!.length;
  }

  /** The host's value id for an attribute, -1 if absent. */
  value(attribute: number, host: number): number {
    return this.columns[attribute]![host] ?? -1;
  }

  /** The column of value ids for one attribute; re-read it after hosts are added (it may be replaced). */
  column(attribute: number): Int32Array {
    return this.columns[attribute]!;
  }

  /** Hosts (present or not) that carry `value` for `attribute`. */
  hostsWith(attribute: number, value: number): readonly number[] {
    return this.groups[attribute]![value] ?? [];
  }

  setHost(host: number, id: string, attributes: Readonly<Record<string, string>>): void {
    if (host >= this.capacity) {
      this.capacity = Math.max(host + 1, this.capacity * 2, 16);
      this.columns = this.columns.map((c) => grow(c, this.capacity, -1));
    }
    this.assign(0, host, id);
    for (const [name, value] of Object.entries(attributes)) {
      if (name !== HOST_ATTRIBUTE) this.assign(this.intern(name), host, value);
    }
  }

  /** Drops a removed host from the value groups so that limit invalidation skips it. */
  removeHost(host: number): void {
    for (let a = 0; a < this.columns.length; a++) {
      const v = this.columns[a]![host]!;
      if (v < 0) continue;
      const group = this.groups[a]![v]!;
      const at = group.indexOf(host);
      if (at >= 0) group.splice(at, 1);
    }
  }

  private assign(attribute: number, host: number, value: string): void {
    const v = this.internValue(attribute, value);
    this.columns[attribute]![host] = v;
    this.groups[attribute]![v]!.push(host);
  }
}
