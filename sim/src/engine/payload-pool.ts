/**
 * A pooled side table for the few events that carry an object (a delayed trace record, for
 * instance). The event queue stores only the integer handle; released handles are reused so the
 * table does not grow with the length of a run.
 */
export class PayloadPool<T> {
  private readonly items: (T | undefined)[] = [];
  private readonly free: number[] = [];

  put(item: T): number {
    const handle = this.free.pop();
    if (handle !== undefined) {
      this.items[handle] = item;
      return handle;
    }
    this.items.push(item);
    return this.items.length - 1;
  }

  /** Returns the item and frees its handle. */
  take(handle: number): T {
    const item = this.items[handle];
    if (item === undefined) throw new Error(`payload handle ${handle} is not in use`);
    this.items[handle] = undefined;
    this.free.push(handle);
    return item;
  }

  /** Handles currently in use. */
  get size(): number {
    return this.items.length - this.free.length;
  }
}
