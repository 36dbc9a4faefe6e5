import type { HostMatrix } from '../data/host-matrix.js';

/**
 * Row order for the host × time heat map. By rack groups a rack's hosts together so a rack-wide
 * outage or hot rack shows as a band; by load puts the busiest hosts (over the visible window)
 * on top so fragmentation and idle capacity read as a gradient.
 */
export type HostSort = 'rack' | 'load';

export function hostOrder(
  hosts: readonly { id: string; rack?: string }[],
  matrix: HostMatrix,
  sort: HostSort,
  s0 = 0,
  s1 = matrix.samples,
): Uint32Array {
  const order = Uint32Array.from({ length: hosts.length }, (_, i) => i);
  if (sort === 'rack') {
    const key = hosts.map((h) => `${h.rack ?? ''}\u0000${h.id}`);
    order.sort((a, b) => (key[a]! < key[b]! ? -1 : key[a]! > key[b]! ? 1 : 0));
    return order;
  }
  const load = meanLoad(matrix, s0, s1);
  order.sort((a, b) => load[b]! - load[a]! || a - b);
  return order;
}

/** Mean cell value per host over samples [s0, s1). */
export function meanLoad(m: HostMatrix, s0: number, s1: number): Float64Array {
  const lo = Math.max(0, Math.min(m.samples, s0));
  const hi = Math.max(lo, Math.min(m.samples, s1));
  const out = new Float64Array(m.hosts);
  const n = Math.max(1, hi - lo);
  for (let h = 0; h < m.hosts; h++) {
    let sum = 0;
    const row = h * m.samples;
    for (let s = lo; s < hi; s++) sum += m.cells[row + s]!;
    out[h] = sum / n;
  }
  return out;
}
