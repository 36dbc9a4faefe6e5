/**
 * Capacity planning search: the smallest host count whose run meets the objectives. It assumes
 * more hosts never hurt (true of the objectives offered, up to scheduling noise). It brackets by
 * halving or doubling from a starting guess, then bisects the bracket; every run is kept as
 * evidence, and no host count is simulated twice.
 */
export interface Trial<T> {
  readonly hosts: number;
  readonly met: boolean;
  readonly result: T;
}

export interface SearchResult<T> {
  /** Smallest host count that met the objectives; undefined if even `max` did not. */
  readonly hosts?: number;
  /** Every run, in the order tried. */
  readonly trials: readonly Trial<T>[];
  /** The search gave up growing: three doublings in a row changed nothing (see `sameOutcome`). */
  readonly stalled?: boolean;
}

export async function searchCapacity<T>(
  evaluate: (hosts: number) => Promise<{ met: boolean; result: T }>,
  start: number,
  min: number,
  max: number,
  /**
   * When given, growing stops once three runs in a row (each with twice the hosts) had the same
   * outcome: more hosts do not help (a constraint no host meets, a task bigger than any host).
   */
  sameOutcome?: (a: T, b: T) => boolean,
): Promise<SearchResult<T>> {
  const trials: Trial<T>[] = [];
  const cache = new Map<number, boolean>();
  const test = async (hosts: number): Promise<boolean> => {
    const known = cache.get(hosts);
    if (known !== undefined) return known;
    const r = await evaluate(hosts);
    trials.push({ hosts, met: r.met, result: r.result });
    cache.set(hosts, r.met);
    return r.met;
  };
  const first = Math.min(max, Math.max(min, Math.round(start)));
  let fail: number; // largest count known to fail (min − 1: none)
  let pass: number; // smallest count known to pass
  if (await test(first)) {
    pass = first;
    fail = min - 1;
    while (pass > min) {
      const next = Math.max(min, Math.floor(pass / 2));
      if (await test(next)) pass = next;
      else {
        fail = next;
        break;
      }
    }
  } else {
    fail = first;
    let unchanged = 0;
    for (;;) {
      if (fail >= max) return { trials };
      const next = Math.min(max, fail * 2);
      if (await test(next)) {
        pass = next;
        break;
      }
      const [a, b] = trials.slice(-2);
      unchanged = sameOutcome && a && b && sameOutcome(a.result, b.result) ? unchanged + 1 : 0;
      if (unchanged >= 2) return { trials, stalled: true };
      fail = next;
    }
  }
  while (pass - fail > 1) {
    const mid = Math.floor((fail + pass) / 2);
    if (await test(mid)) pass = mid;
    else fail = mid;
  }
  return { hosts: pass, trials };
}
