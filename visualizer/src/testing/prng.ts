export { mulberry32 } from '@borealis/core';
/** Exponentially distributed value with the given mean. */
export const exponential = (rnd: () => number, mean: number): number => -Math.log(1 - rnd()) * mean;
