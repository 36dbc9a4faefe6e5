import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompiledChain, DEFAULT_FILTERS } from '../filters/chain.js';
import { HostInventory } from '../inventory/host-inventory.js';
import { createPolicy } from '../policies/registry.js';
import { bestAmong, narrowestWithin } from './candidate-scan.js';
import { demandOf } from './placement-types.js';
import { ReferencePlacer } from './reference-placer.js';
import { fillAndDisturb, hostSpec, seeded, taskConfig } from './test-support.js';

const PLATFORMS = ['A', 'B', 'B', 'B', 'C'];

/** Mixed hosts with a platform, a zone and sometimes a dedicated role, partly filled, some down. */
function cluster(seed: number, hosts: number): HostInventory {
  const random = seeded(seed);
  const inv = new HostInventory();
  for (let h = 0; h < hosts; h++) {
    const attributes: Record<string, string> = {
      platform: PLATFORMS[Math.floor(random() * PLATFORMS.length)]!,
      zone: random() < 0.5 ? 'a' : 'b',
    };
    if (random() < 0.1) attributes.dedicated = 'www/db';
    inv.addHost(hostSpec(`h${h}`, { cpu: 8 + 8 * Math.floor(random() * 3), ramMb: 65536, attributes }));
  }
  fillAndDisturb(inv, random, { tasks: hosts * 2, maxCpu: 6, maxRamMb: 16384, removeShare: 0.01 });
  return inv;
}

const CONSTRAINTS: readonly Record<string, string>[] = [
  { platform: 'A' },
  { platform: 'A,C' },
  { platform: 'C', zone: 'b' },
  { platform: 'B', zone: '!a' },
  { dedicated: 'www/db' },
  { dedicated: 'www/db', platform: 'A' },
];

describe.each(['hybrid', 'best-fit'])('bestAmong with %s', (name) => {
  it('finds exactly the host the reference full scan chooses', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 200 }),
        fc.array(
          fc.record({
            cpu: fc.integer({ min: 0, max: 1600 }).map((c) => c / 100),
            ramMb: fc.integer({ min: 0, max: 60000 }),
            constraints: fc.constantFrom(...CONSTRAINTS),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (seed, hosts, demands) => {
          const inv = cluster(seed, hosts);
          const policy = createPolicy(name);
          const reference = new ReferencePlacer(inv, policy);
          demands.forEach((d, i) => {
            const config = taskConfig(d);
            const chain = new CompiledChain(demandOf('www/e/x', config), inv, DEFAULT_FILTERS);
            const rule = narrowestWithin(inv, chain, Number.POSITIVE_INFINITY);
            expect(rule).toBeDefined();
            const chosen = bestAmong(inv, chain, policy, config.resources, rule!);
            const want = reference.place({ taskId: `x${i}`, job: 'www/e/x', config });
            expect(chosen).toBe(want.ok ? want.host : -1);
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('narrowestWithin', () => {
  it('picks the rule with the fewest hosts, and none above the limit or without a listed rule', () => {
    const inv = cluster(3, 400);
    const chain = (constraints: Record<string, string>) =>
      new CompiledChain(demandOf('www/e/x', taskConfig({ constraints })), inv, DEFAULT_FILTERS);
    const table = inv.attributes;
    const platform = table.attributeId('platform');
    const platformA = table.hostsWith(platform, table.valueId(platform, 'A')).length;
    expect(narrowestWithin(inv, chain({ zone: 'a', platform: 'A' }), 400)?.attribute).toBe(platform);
    expect(narrowestWithin(inv, chain({ platform: 'A' }), platformA)).toBeDefined();
    expect(narrowestWithin(inv, chain({ platform: 'A' }), platformA - 1)).toBeUndefined();
    expect(narrowestWithin(inv, chain({ platform: '!A' }), 400)).toBeUndefined();
    expect(narrowestWithin(inv, chain({}), 400)).toBeUndefined();
  });
});
