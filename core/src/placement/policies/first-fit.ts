import type { PlacementPolicy } from './policy.js';

export const firstFit: PlacementPolicy = {
  name: 'first-fit',
  description:
    'Takes the feasible host with the lowest index (the order hosts joined the cluster). Every host ' +
    'scores the same, so the tie-break decides. Cheap and predictable; packs the front of the ' +
    'cluster densely and leaves the back empty, which is good for freeing whole hosts but piles ' +
    'load (and failure risk) onto the first hosts.',
  sampleSize: 0,
  score: () => 0,
  scoreAll: (_inv, _hosts, count, _d, out) => out.fill(0, 0, count),
};
