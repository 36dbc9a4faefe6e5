import type { RandomSource } from '../../scheduler/api.js';
import { hybridScore } from './hybrid.js';
import type { PlacementPolicy } from './policy.js';

export const DEFAULT_SAMPLE_SIZE = 16;

/** Borg's relaxed randomization: draws k feasible hosts at random and takes the best hybrid score. */
export function randomK(random: RandomSource, sampleSize = DEFAULT_SAMPLE_SIZE): PlacementPolicy {
  if (!Number.isInteger(sampleSize) || sampleSize < 1)
    throw new Error(`sample size ${sampleSize} must be ≥ 1`);
  return {
    name: 'random-k',
    description: RANDOM_K_DESCRIPTION,
    sampleSize,
    random,
    score: hybridScore,
  };
}

export const RANDOM_K_DESCRIPTION =
  'Relaxed randomization (Borg): draws k feasible hosts uniformly at random (default k = 16, seeded) ' +
  'and places on the one with the best hybrid score. Cost per placement no longer grows with the ' +
  'cluster, and identical tasks do not all pile onto the same "best" host; packing is a little ' +
  'worse than scoring every host.';
