import { describe, expect, it } from 'vitest';
import { hostOrder } from './host-order.js';

const hosts = [
  { id: 'h3', rack: 'r2' },
  { id: 'h1', rack: 'r1' },
  { id: 'h2', rack: 'r2' },
  { id: 'h0', rack: 'r1' },
];
// 4 hosts × 3 samples
const matrix = {
  hosts: 4,
  samples: 3,
  cells: Uint8Array.from([10, 10, 10, 200, 0, 0, 50, 50, 50, 0, 0, 255]),
};

describe('hostOrder', () => {
  it('groups by rack then id', () => {
    expect([...hostOrder(hosts, matrix, 'rack')].map((i) => hosts[i]!.id)).toEqual(['h0', 'h1', 'h2', 'h3']);
  });

  it('puts the busiest hosts of the visible window first', () => {
    expect([...hostOrder(hosts, matrix, 'load')].map((i) => hosts[i]!.id)).toEqual(['h0', 'h1', 'h2', 'h3']);
    // Only the first sample visible: h1's 200 dominates, h0 (0) is last.
    expect([...hostOrder(hosts, matrix, 'load', 0, 1)].map((i) => hosts[i]!.id)).toEqual([
      'h1',
      'h2',
      'h3',
      'h0',
    ]);
  });
});
