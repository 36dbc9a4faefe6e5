import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlacementEngine } from '../engine/placement-engine.js';
import { ReferencePlacer } from '../engine/reference-placer.js';
import { hostSpec, seeded, taskConfig } from '../engine/test-support.js';
import { HostInventory } from '../inventory/host-inventory.js';
import { createPolicy } from './registry.js';

/**
 * `borealis policies` promises for hybrid (and random-k, which ranks by hybrid): work that needs
 * no GPU goes to a GPU host only when no host without GPUs can take it.
 */
const POLICIES = ['hybrid', 'random-k'] as const;

function cluster(): HostInventory {
  const inv = new HostInventory();
  // The GPU hosts come first and are the better fit by cpu and ram alone.
  inv.addHost(hostSpec('gpu0', { cpu: 8, ramMb: 16384, gpus: 4 }));
  inv.addHost(hostSpec('gpu1', { cpu: 8, ramMb: 16384, gpus: 4 }));
  inv.addHost(hostSpec('cpu0', { cpu: 32, ramMb: 131072 }));
  inv.addHost(hostSpec('cpu1', { cpu: 32, ramMb: 131072 }));
  return inv;
}

describe.each(POLICIES)('%s and GPU hosts', (name) => {
  const engine = (inv: HostInventory) =>
    new PlacementEngine(inv, { policy: createPolicy(name, { random: seeded(3) }) });

  it('places CPU-only tasks on CPU hosts while they fit, then on GPU hosts', () => {
    const inv = cluster();
    const e = engine(inv);
    const config = taskConfig({ cpu: 4, ramMb: 8192 });
    const hosts: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = e.place({ taskId: `t${i}`, job: 'batch/prod/cpu', config });
      hosts.push(r.ok ? r.hostId : '-');
    }
    // 16 tasks fill the two 32-core hosts; only then do the GPU hosts take the rest.
    expect(hosts.slice(0, 16).every((h) => h.startsWith('cpu'))).toBe(true);
    expect(hosts.slice(16).every((h) => h.startsWith('gpu'))).toBe(true);
  });

  it('GPU tasks still go to GPU hosts', () => {
    const e = engine(cluster());
    const r = e.place({
      taskId: 'g',
      job: 'ml/prod/train',
      config: taskConfig({ cpu: 1, ramMb: 1024, gpus: 1 }),
    });
    expect(r.ok && r.hostId.startsWith('gpu')).toBe(true);
  });

  it('the fast engine and the reference placer agree with GPU hosts in the mix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 6 }), gpus: fc.constantFrom(0, 0, 0, 0.5, 1) }), {
          minLength: 1,
          maxLength: 40,
        }),
        (tasks) => {
          const a = cluster();
          const b = cluster();
          const fast = engine(a);
          const ref = new ReferencePlacer(b, createPolicy(name, { random: seeded(3) }));
          tasks.forEach((t, i) => {
            const request = {
              taskId: `t${i}`,
              job: 'mix/prod/x',
              config: taskConfig({ cpu: t.cpu, ramMb: 1024, gpus: t.gpus }),
            };
            const x = fast.place(request);
            const y = ref.place(request);
            expect(x.ok ? x.hostId : x.message).toBe(y.ok ? y.hostId : y.message);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
