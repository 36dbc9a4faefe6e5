import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompiledChain, DEFAULT_FILTERS } from '../filters/chain.js';
import { HostInventory } from '../inventory/host-inventory.js';
import { createPolicy } from '../policies/registry.js';
import { BoundCache, FreeIndex } from './free-index.js';
import { demandOf } from './placement-types.js';
import { ReferencePlacer } from './reference-placer.js';
import { fillAndDisturb, hostSpec, seeded, taskConfig } from './test-support.js';

const SHAPES = [
  { cpu: 16, ramMb: 32768 },
  { cpu: 16, ramMb: 65536 },
  { cpu: 32, ramMb: 131072, gpus: 4 },
  { cpu: 8, ramMb: 16384, diskMb: 0 },
];

/** A cluster of mixed shapes, partly filled at random, some hosts down or in maintenance. */
function cluster(seed: number, hosts: number): HostInventory {
  const random = seeded(seed);
  const inv = new HostInventory();
  for (let h = 0; h < hosts; h++) {
    const shape = SHAPES[Math.floor(random() * SHAPES.length)]!;
    inv.addHost(hostSpec(`h${h}`, { ...shape, attributes: { zone: random() < 0.5 ? 'a' : 'b' } }));
  }
  fillAndDisturb(inv, random, { tasks: hosts * 3, maxCpu: 4, maxRamMb: 8192, attemptShare: 0.5 });
  return inv;
}

describe.each(['hybrid', 'best-fit'])('FreeIndex with %s', (name) => {
  it('finds exactly the host the reference full scan chooses', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 300 }),
        fc.array(
          fc.record({
            cpu: fc.integer({ min: 0, max: 1200 }).map((c) => c / 100),
            ramMb: fc.integer({ min: 0, max: 40000 }),
            gpus: fc.constantFrom(0, 0, 0, 1),
            zone: fc.constantFrom(undefined, 'a', '!a'),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (seed, hosts, demands) => {
          const inv = cluster(seed, hosts);
          const policy = createPolicy(name);
          const index = new FreeIndex(inv);
          const reference = new ReferencePlacer(inv, policy);
          demands.forEach((d, i) => {
            const config = taskConfig({ ...d, constraints: d.zone ? { zone: d.zone } : undefined });
            const chain = new CompiledChain(demandOf('r/e/x', config), inv, DEFAULT_FILTERS);
            index.sync();
            const chosen = index.best(chain, policy, config.resources);
            const want = reference.place({ taskId: `x${i}`, job: 'r/e/x', config });
            expect(chosen).toBe(want.ok ? want.host : -1);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe.each(['hybrid', 'best-fit'])('FreeIndex with %s and bound caches', (name) => {
  it('still finds the reference host when demands repeat with their caches while hosts change', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 200 }),
        fc.array(
          fc.record({
            cpu: fc.integer({ min: 0, max: 800 }).map((c) => c / 100),
            ramMb: fc.integer({ min: 0, max: 20000 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.record({ demand: fc.nat(), release: fc.boolean(), reset: fc.boolean() }), {
          minLength: 1,
          maxLength: 40,
        }),
        (seed, hosts, demands, steps) => {
          const inv = cluster(seed, hosts);
          const policy = createPolicy(name);
          const index = new FreeIndex(inv);
          const reference = new ReferencePlacer(inv, policy);
          const configs = demands.map((d) => taskConfig(d));
          const chains = configs.map((c) => new CompiledChain(demandOf('r/e/x', c), inv, DEFAULT_FILTERS));
          const caches = configs.map(() => new BoundCache());
          const placed: string[] = [];
          steps.forEach((step, i) => {
            const k = step.demand % configs.length;
            if (step.reset) caches[k]!.reset();
            if (step.release && placed.length > 0) inv.release(placed.shift()!);
            index.sync();
            const chosen = index.best(chains[k]!, policy, configs[k]!.resources, caches[k]);
            const want = reference.place({ taskId: `x${i}`, job: 'r/e/x', config: configs[k]! });
            expect(chosen).toBe(want.ok ? want.host : -1);
            if (want.ok) placed.push(`x${i}`);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

it('looks at a small part of a large cluster for a small task', () => {
  const inv = cluster(7, 4000);
  const index = new FreeIndex(inv);
  const policy = createPolicy('hybrid');
  const config = taskConfig({ cpu: 0.5, ramMb: 512 });
  index.sync();
  index.best(new CompiledChain(demandOf('r/e/x', config), inv, DEFAULT_FILTERS), policy, config.resources);
  expect(index.examined).toBeGreaterThan(0);
  expect(index.examined).toBeLessThan(4000 / 4);
});
