import {
  clampScore,
  leftoverFractions,
  leftoverScoreFree,
  leftoverScores,
  type PlacementPolicy,
  SCORE_MAX,
} from './policy.js';

const left = new Float64Array(4);
// Imported bindings are read through getters when modules are transpiled (tsx), which V8 does not
// always inline; hot loops use these module-local copies.
const MAX = SCORE_MAX;

export const bestFit: PlacementPolicy = {
  name: 'best-fit',
  description:
    'Tightest multi-resource fit: scores a host by how little it would have left, the mean over ' +
    'cpu, ram, disk (and gpus, on GPU hosts) of the free fraction after placement, lower is ' +
    'better. Packs tasks onto few hosts and keeps large holes open for large tasks; it does not ' +
    'care whether what is left is balanced, so it can strand resources.',
  sampleSize: 0,
  score(inv, h, d) {
    const n = leftoverFractions(inv, h, d, left);
    if (n === 0) return SCORE_MAX;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += left[i]!;
    return clampScore(SCORE_MAX * (1 - sum / n));
  },
  scoreAll(inv, hosts, count, d, out) {
    leftoverScores(inv, hosts, count, d, out, bestFitFinish);
  },
  scoreFree: (cap, free, at, d) => leftoverScoreFree(cap, free, at, d, bestFitFinish),
  scoreBound(lo, _hi, n, minSum = Number.NEGATIVE_INFINITY) {
    // The mean leftover is at least mean(lo), and at least minSum / n.
    if (n === 0) return MAX;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += lo[i]!;
    if (minSum > sum) sum = minSum;
    const s = MAX * (1 - sum / n);
    return s < 0 ? 0 : Math.min(s, MAX);
  },
};

function bestFitFinish(n: number, sum: number): number {
  if (n === 0) return MAX;
  // clampScore, inlined.
  const s = MAX * (1 - sum / n);
  return s < 0 ? 0 : Math.min(s, MAX);
}
