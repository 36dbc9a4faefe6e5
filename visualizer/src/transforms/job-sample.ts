/**
 * Which jobs' events go into the page when events.jsonl is over budget. Whole jobs, never a
 * partial one (a drill-down of half a job would mislead), picked in an order fixed by a hash of
 * the job key so the choice is deterministic yet spread over the whole run rather than its start.
 */
export function sampleJobs(eventCounts: ReadonlyMap<string, number>, budget: number): Set<string> {
  let total = 0;
  for (const n of eventCounts.values()) total += n;
  if (total <= budget) return new Set(eventCounts.keys());
  // Each key hashed once, not per comparison (a day has ~200k jobs: ~7M comparisons).
  const keys = [...eventCounts.keys()];
  const hashes = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) hashes[i] = fnv1a(keys[i]!);
  const order = Array.from(keys, (_, i) => i).sort((a, b) => {
    return hashes[a]! - hashes[b]! || (keys[a]! < keys[b]! ? -1 : 1);
  });
  const chosen = new Set<string>();
  let used = 0;
  for (const i of order) {
    const job = keys[i]!;
    const n = eventCounts.get(job)!;
    if (used + n > budget) continue;
    chosen.add(job);
    used += n;
  }
  return chosen;
}

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3's finalizer: FNV alone barely mixes keys that differ only in their last characters
  // (job0, job1, ...), which would make the sample cluster.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
