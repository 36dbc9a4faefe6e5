import type { Clock } from '../scheduler/api.js';

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

/** Seeded test generator: the shared one from core. */
export { mulberry32 as seededRandom } from '../model/mulberry32.js';
