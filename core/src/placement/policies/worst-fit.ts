import { clampScore, leftoverFractions, leftoverScores, type PlacementPolicy } from './policy.js';

const left = new Float64Array(4);

export const worstFit: PlacementPolicy = {
  name: 'worst-fit',
  description:
    'Spread (least allocated): scores a host by the mean free fraction it would keep after ' +
    'placement, higher is better, so load spreads evenly over the cluster. Leaves headroom on ' +
    'every host for bursts and limits the blast radius of one host failing, at the price of using ' +
    'every host and fragmenting capacity that large tasks need.',
  sampleSize: 0,
  score(inv, h, d) {
    const n = leftoverFractions(inv, h, d, left);
    if (n === 0) return 0;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += left[i]!;
    return clampScore((100 * sum) / n);
  },
  scoreAll(inv, hosts, count, d, out) {
    leftoverScores(inv, hosts, count, d, out, worstFitFinish);
  },
};

function worstFitFinish(n: number, sum: number): number {
  if (n === 0) return 0;
  // clampScore, inlined (imported bindings are getters under transpilation).
  const s = (100 * sum) / n;
  return s < 0 ? 0 : Math.min(s, 100);
}
