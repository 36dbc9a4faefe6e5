import { clampScore, type PlacementPolicy } from './policy.js';

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
    const add = (cap: number, need: number, free: number): void => {
      if (cap <= 0) return;
      const x = need / cap;
      const y = free / cap;
      dot += x * y;
      dd += x * x;
      ff += y * y;
    };
    add(inv.capCpu[h]!, d.cpu, inv.freeCpu[h]!);
    add(inv.capRamMb[h]!, d.ramMb, inv.freeRamMb[h]!);
    add(inv.capDiskMb[h]!, d.diskMb, inv.freeDiskMb[h]!);
    add(inv.capGpus[h]!, d.gpus, inv.freeGpus[h]!);
    if (dd === 0 || ff === 0) return 0;
    return clampScore((100 * dot) / Math.sqrt(dd * ff));
  },
};
