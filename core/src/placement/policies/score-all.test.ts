import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostSpec, seeded, taskConfig } from '../engine/test-support.js';
import { HostInventory } from '../inventory/host-inventory.js';
import { createPolicy, POLICY_NAMES } from './registry.js';

const hostArb = fc.record({
  cpu: fc.integer({ min: 0, max: 32 }),
  ramMb: fc.integer({ min: 0, max: 64 }).map((g) => g * 1024),
  diskMb: fc.constantFrom(0, 1000, 250000),
  gpus: fc.constantFrom(0, 0, 1, 4),
  used: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe.each(POLICY_NAMES)('%s scoreAll', (name) => {
  it('gives every host exactly the score `score` gives it', () => {
    fc.assert(
      fc.property(
        fc.array(hostArb, { minLength: 1, maxLength: 30 }),
        fc.record({
          cpu: fc.double({ min: 0, max: 4, noNaN: true }),
          ramMb: fc.integer({ min: 0, max: 8192 }),
          diskMb: fc.integer({ min: 0, max: 2000 }),
          gpus: fc.constantFrom(0, 0.5, 1),
        }),
        (hosts, demand) => {
          const inv = new HostInventory();
          hosts.forEach((h, i) => {
            inv.addHost(hostSpec(`h${i}`, h));
            const d = { cpu: h.cpu * h.used, ramMb: h.ramMb * h.used, diskMb: 0, gpus: 0 };
            if (d.cpu > 0 || d.ramMb > 0) {
              inv.allocate(i, {
                taskId: `t${i}`,
                job: 'r/e/j',
                tier: 'preferred',
                priority: 0,
                resources: d,
                portNames: [],
              });
            }
          });
          const policy = createPolicy(name, { random: seeded(1) });
          if (!policy.scoreAll) return;
          // Scored in a shuffled order with a gap, as a rebuild hands over only feasible hosts.
          const order = Int32Array.from(hosts.keys()).reverse();
          const out = new Float64Array(order.length);
          const resources = taskConfig(demand).resources;
          policy.scoreAll(inv, order, order.length, resources, out);
          order.forEach((h, i) => {
            expect(Object.is(out[i], policy.score(inv, h, resources))).toBe(true);
          });
          if (!policy.scoreFree) return;
          // From packed free amounts at an offset, and the capacity as its own vector.
          const free = new Float64Array(4 * hosts.length + 4);
          hosts.forEach((_, h) => {
            const at = 4 * h + 2;
            free.set([inv.freeCpu[h]!, inv.freeRamMb[h]!, inv.freeDiskMb[h]!, inv.freeGpus[h]!], at);
            const cap = Float64Array.of(inv.capCpu[h]!, inv.capRamMb[h]!, inv.capDiskMb[h]!, inv.capGpus[h]!);
            expect(
              Object.is(policy.scoreFree!(cap, free, at, resources), policy.score(inv, h, resources)),
            ).toBe(true);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
