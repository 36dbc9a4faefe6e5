import type { Clock, RandomSource } from '../scheduler/api.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  set(time: number): void {
    if (time < this.time) throw new Error(`clock cannot go back from ${this.time} to ${time}`);
    this.time = time;
  }

  advance(ms: number): void {
    this.set(this.time + ms);
  }
}

/** mulberry32: a small seeded generator, enough to make test runs reproducible. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
