import { clampScore, type PlacementPolicy, SCORE_MAX } from './policy.js';

export const dotProduct: PlacementPolicy = {
  name: 'dot-product',
  description:
    'Tetris-style alignment: scores a host by the cosine between the task demand and the host ' +
    'free resources, both as fractions of the host capacity. A cpu-heavy task goes where cpu is ' +
    'what remains, so complementary tasks share hosts and resources run out together. Good for ' +
    'mixed workloads; indifferent to how full the host already is.',
  sampleSize: 0,
  score(inv, h, d) {
    let dot = 0;
    let dd = 0;
    let ff = 0;
    for (let r = 0; r < 4; r++) {
      const cap =
        r === 0 ? inv.capCpu[h]! : r === 1 ? inv.capRamMb[h]! : r === 2 ? inv.capDiskMb[h]! : inv.capGpus[h]!;
      if (cap <= 0) continue;
      const need = r === 0 ? d.cpu : r === 1 ? d.ramMb : r === 2 ? d.diskMb : d.gpus;
      const free =
        r === 0
          ? inv.freeCpu[h]!
          : r === 1
            ? inv.freeRamMb[h]!
            : r === 2
              ? inv.freeDiskMb[h]!
              : inv.freeGpus[h]!;
      const x = need / cap;
      const y = free / cap;
      dot += x * y;
      dd += x * x;
      ff += y * y;
    }
    if (dd === 0 || ff === 0) return 0;
    return clampScore((SCORE_MAX * dot) / Math.sqrt(dd * ff));
  },
};
