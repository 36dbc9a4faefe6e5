import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTRIBUTES } from './agent-shape.js';
import { accept } from './launch.js';
import { DEFAULT_MASTER_OPTIONS, Master } from './master.js';
import { isTerminal } from './model.js';
import type { EventShape, OfferShape } from './shapes.js';

/** A master without HTTP whose one framework's stream records events in memory. */
function masterWithFramework(): { m: Master; events: EventShape[]; offers: () => OfferShape[] } {
  const m = new Master({
    ...DEFAULT_MASTER_OPTIONS,
    agents: 4,
    shape: { cpus: 2, mem: 1024, disk: 1000, gpus: 0, portsBegin: 31000, portsEnd: 31009 },
    attributes: DEFAULT_ATTRIBUTES,
  });
  const events: EventShape[] = [];
  m.scheduler.handle(
    { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'p', failover_timeout: 60 } } },
    undefined,
    (id) => ({ id, send: (e) => events.push(e), close: () => {} }),
  );
  const offers = (): OfferShape[] => {
    const live = new Set(m.allocator.offers.keys());
    return events.flatMap((e) => e.offers?.offers ?? []).filter((o) => live.has(o.id.value));
  };
  return { m, events, offers };
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('launch' as const),
    pick: fc.nat(),
    tasks: fc.array(
      fc.record({
        cpus: fc.integer({ min: 1, max: 12 }),
        mem: fc.integer({ min: 1, max: 700 }),
        ports: fc.nat(3),
      }),
      { maxLength: 4 },
    ),
  }),
  fc.record({ kind: fc.constant('allocate' as const) }),
  fc.record({ kind: fc.constant('decline' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('kill' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('lose' as const), agent: fc.nat(3) }),
  fc.record({ kind: fc.constant('restore' as const), agent: fc.nat(3) }),
);

describe('allocation invariants', () => {
  it('never uses more than an agent has, never gives a port twice, and accounts every live task', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { m, offers } = masterWithFramework();
        const f = [...m.frameworks.values()][0]!;
        let n = 0;
        try {
          for (const o of ops) {
            if (o.kind === 'allocate') m.allocator.allocate();
            else if (o.kind === 'launch' || o.kind === 'decline') {
              const live = offers();
              const offer = live[o.pick % Math.max(1, live.length)];
              if (!offer) continue;
              if (o.kind === 'decline') {
                m.scheduler.handle(
                  { type: 'DECLINE', framework_id: { value: f.id }, decline: { offer_ids: [offer.id] } },
                  f.stream!.id,
                  () => f.stream!,
                );
                continue;
              }
              const range = offer.resources.find((r) => r.name === 'ports')?.ranges?.range?.[0];
              const first = range ? Number(range.begin) : 31000;
              accept(m, f, {
                offer_ids: [offer.id],
                operations: [
                  {
                    type: 'LAUNCH',
                    launch: {
                      task_infos: o.tasks.map((t) => ({
                        name: 't',
                        task_id: { value: `t${n++}` },
                        agent_id: offer.agent_id,
                        command: { value: 'x' },
                        resources: [
                          { name: 'cpus', type: 'SCALAR', scalar: { value: t.cpus / 10 } },
                          { name: 'mem', type: 'SCALAR', scalar: { value: t.mem } },
                          ...(t.ports > 0
                            ? [
                                {
                                  name: 'ports',
                                  type: 'RANGES',
                                  ranges: { range: [{ begin: first, end: first + t.ports - 1 }] },
                                },
                              ]
                            : []),
                        ],
                      })),
                    },
                  },
                ],
              });
            } else if (o.kind === 'kill') {
              const tasks = [...f.tasks.values()].filter((t) => !isTerminal(t.state));
              const t = tasks[o.pick % Math.max(1, tasks.length)];
              if (t) m.lifecycle.update(t, 'TASK_KILLED');
            } else if (o.kind === 'lose') m.loseAgent(o.agent);
            else m.restoreAgent(o.agent);

            for (let i = 0; i < m.agents.count; i++) {
              const live = [...(m.agentTasks[i] ?? [])].filter((t) => !t.resourcesReleased);
              const cpus = live.reduce((s, t) => s + t.amounts.cpus, 0);
              const mem = live.reduce((s, t) => s + t.amounts.mem, 0);
              expect(m.agents.usedCpus[i]).toBeCloseTo(cpus, 6);
              expect(m.agents.usedMem[i]).toBeCloseTo(mem, 6);
              expect(m.agents.usedCpus[i]!).toBeLessThanOrEqual(2 + 1e-9);
              expect(m.agents.usedMem[i]!).toBeLessThanOrEqual(1024 + 1e-9);
              const ports = live.flatMap((t) => t.amounts.ports);
              expect(new Set(ports).size).toBe(ports.length);
              expect(m.agents.freePortCount[i]).toBe(10 - ports.length);
              const offer = m.allocator.offerOf[i];
              if (offer) {
                expect(offer.amounts.cpus).toBeLessThanOrEqual(2 - cpus + 1e-9);
                expect(m.agents.states[i]).toBe('active');
              }
            }
          }
        } finally {
          m.stop();
        }
      }),
      { numRuns: 150 },
    );
  });
});
