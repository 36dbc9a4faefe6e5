/** Simulated or real time in milliseconds, injected: the core never reads a wall clock. */
export interface Clock {
  now(): number;
}

/** A seeded source of uniform numbers in [0, 1). */
export type RandomSource = () => number;
