import type { BenchSuite } from '../harness/suite.js';

/**
 * Every suite, in the order `npm run bench` runs them. Add yours: one import, one entry.
 */
export const suites: readonly BenchSuite[] = [];
