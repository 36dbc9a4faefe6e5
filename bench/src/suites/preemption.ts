import { performance } from 'node:perf_hooks';
import { demandVector, PreemptionIndex, type Preemptor, type Tier, VictimSearch } from '@borealis/core';
import type { BenchSuite, Figures } from '../index.js';

/** A fixed task mix (cpu, ramMb) drawn in rotation, so every run builds the same cluster. */
const SHAPES: readonly (readonly [number, number])[] = [
  [1, 2048],
  [2, 4096],
  [0.5, 1024],
  [4, 16384],
  [1, 8192],
  [3, 6144],
];

/**
 * Preemption search at 10,000 hosts (32 cpu, 128 GiB) filled to 90% of cpu, about half of the
 * load production and half preemptible/revocable batch of a few roles and priorities. Each search is
 * for one pending production task (shapes rotate, 4–16 cpu) that fits nowhere without preemption;
 * every host passes the constraint check, so the search pays its full cost. The index is not changed
 * between searches, so each one faces the same cluster. Reports the median and p99 search time.
 */
export const preemption: BenchSuite = {
  name: 'preemption',
  description: 'median preemption-search time for one pending task at 10,000 hosts 90% full',
  run({ quick, log }) {
    const hosts = quick ? 1000 : 10_000;
    const searches = quick ? 200 : 2000;
    const index = new PreemptionIndex();
    const cap = { cpu: 32, ramMb: 131072, diskMb: 0, gpus: 0 };
    let shape = 0;
    let id = 0;
    let tasks = 0;
    for (let h = 0; h < hosts; h++) {
      index.setHost(h, cap, 1000, true);
      let cpu = 0;
      let ram = 0;
      for (;;) {
        const [c, r] = SHAPES[shape++ % SHAPES.length]!;
        if (cpu + c > cap.cpu * 0.9 || ram + r > cap.ramMb) break;
        const batch = id % 2 === 1;
        const tier: Tier = batch ? (id % 6 === 1 ? 'revocable' : 'preemptible') : 'preferred';
        index.add({
          taskId: `t${id}`,
          job: `${batch ? 'batch' : 'www'}${id % 5}/prod/j${id % 97}`,
          role: `${batch ? 'batch' : 'www'}${id % 5}`,
          tier,
          priority: id % 3,
          demand: demandVector({ cpu: c, ramMb: r, diskMb: 0, gpus: 0 }, 0),
          host: h,
        });
        id++;
        tasks++;
        cpu += c;
        ram += r;
      }
    }
    log(`preemption: ${hosts} hosts, ${tasks} tasks`);
    const search = new VictimSearch(index, { maxHostsExamined: 256 });
    const preemptors: Preemptor[] = [4, 6, 8, 12, 16].map((cpu, i) => ({
      taskId: `p${i}`,
      role: 'www0',
      tier: 'preferred',
      priority: 0,
      demand: demandVector({ cpu, ramMb: cpu * 2048, diskMb: 0, gpus: 0 }, 0),
    }));
    const admits = () => true;
    for (let i = 0; i < 200; i++) search.find(preemptors[i % preemptors.length]!, admits);
    const times = new Float64Array(searches);
    let found = 0;
    let victims = 0;
    for (let i = 0; i < searches; i++) {
      const start = performance.now();
      const choice = search.find(preemptors[i % preemptors.length]!, admits);
      times[i] = performance.now() - start;
      if (choice) {
        found++;
        victims += choice.victims.length;
      }
    }
    times.sort();
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    const figures: Figures = {
      hosts,
      tasks,
      fullness: 0.9,
      searches,
      medianMs: round(at(0.5)),
      p99Ms: round(at(0.99)),
      maxMs: round(times[times.length - 1]!),
      foundPct: round((100 * found) / searches),
      meanVictims: round(found > 0 ? victims / found : 0),
      targetMedianMs: 1,
    };
    return figures;
  },
};

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
