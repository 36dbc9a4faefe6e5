import type { RandomSource } from './clock.js';

/**
 * mulberry32: a tiny deterministic [0, 1) generator for tests, benchmarks and fixtures, where a
 * reproducible stream matters and statistical quality hardly does. The simulator seeds the core
 * with seedrandom; this is not a replacement for it.
 */
export function mulberry32(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
