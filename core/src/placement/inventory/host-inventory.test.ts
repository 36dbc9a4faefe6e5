import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostSpec } from '../engine/test-support.js';
import { HostInventory } from './host-inventory.js';
import { mergeRanges } from './port-pool.js';

const task = (taskId: string, ports: string[] = [], cpu = 1, gpus = 0) => ({
  taskId,
  job: 'www/prod/web',
  tier: 'preferred' as const,
  priority: 0,
  resources: { cpu, ramMb: 1024, diskMb: 0, gpus },
  portNames: ports,
});

describe('HostInventory', () => {
  it('allocates and releases resources, slots and job counts incrementally', () => {
    const inv = new HostInventory();
    const h = inv.addHost(hostSpec('a', { attributes: { rack: 'r1' }, gpus: 1 }));
    const slot = inv.allocate(h, task('t1', ['http', 'admin'], 1, 0.25));
    expect(inv.available(h)).toEqual({ cpu: 15, ramMb: 64512, diskMb: 100000, gpus: 0.75 });
    expect(slot.ports).toEqual({ http: 31000, admin: 31001 });
    expect(inv.slotsOn(h)).toEqual([slot]);
    const rack = inv.attributes.attributeId('rack');
    expect(inv.liveCount('www/prod/web', rack, inv.attributes.valueId(rack, 'r1'))).toBe(1);
    expect(inv.release('t1')).toBe(slot);
    expect(inv.available(h)).toEqual(inv.capacity(h));
    expect(inv.slotsOn(h)).toEqual([]);
    expect(inv.jobLedger('www/prod/web')).toBeUndefined();
    expect(inv.release('t1')).toBeUndefined();
  });

  it('releases by slot without an id lookup, once, and finds slots by id placed before or after', () => {
    const inv = new HostInventory();
    const h = inv.addHost(hostSpec('a', { attributes: { rack: 'r1' } }));
    const s1 = inv.allocate(h, task('t1', ['http']));
    const s2 = inv.allocate(h, task('t2', ['http']));
    expect(inv.releaseSlot(s1)).toBe(true);
    expect(inv.releaseSlot(s1)).toBe(false);
    expect(inv.slotsOn(h)).toEqual([s2]);
    expect(inv.available(h).cpu).toBe(15);
    const freePorts = inv.ports.free(h);
    // The first lookup by id builds the index from the live slots; later allocations join it.
    expect(inv.slot('t1')).toBeUndefined();
    expect(inv.slot('t2')).toBe(s2);
    const s3 = inv.allocate(h, task('t3'));
    expect(() => inv.allocate(h, task('t3'))).toThrow(/already placed/);
    expect(inv.releaseSlot(s2)).toBe(true);
    expect(inv.ports.free(h)).toBe(freePorts + 1);
    expect(inv.slot('t2')).toBeUndefined();
    expect(inv.release('t3')).toBe(s3);
    expect(inv.releaseSlot(s3)).toBe(false);
    expect(inv.available(h)).toEqual(inv.capacity(h));
    expect(inv.jobLedger('www/prod/web')).toBeUndefined();
  });

  it('refuses a task that does not fit and a port already in use', () => {
    const inv = new HostInventory();
    const h = inv.addHost(hostSpec('a', { cpu: 1 }));
    inv.allocate(h, task('t1', ['http']));
    expect(() => inv.allocate(h, task('t2'))).toThrow(/does not fit/);
    inv.release('t1');
    inv.allocate(h, task('t3', ['x']), { x: 31005 });
    expect(() => inv.allocate(h, { ...task('t4', ['y'], 0) }, { y: 31005 })).toThrow(/not free/);
    expect(inv.ports.free(h)).toBe(999);
  });

  it('removing a host releases its slots and keeps its index dead', () => {
    const inv = new HostInventory();
    const a = inv.addHost(hostSpec('a'));
    inv.allocate(a, task('t1'));
    expect(inv.removeHost(a).map((s) => s.taskId)).toEqual(['t1']);
    expect(inv.indexOf('a')).toBe(-1);
    expect(inv.addHost(hostSpec('a'))).toBe(1);
    expect(inv.hostCount).toBe(1);
  });

  it('hands out ports next-fit and never to two live tasks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3 })), { maxLength: 200 }),
        (ops) => {
          const inv = new HostInventory();
          const h = inv.addHost(
            hostSpec('a', {
              ports: [
                [100, 104],
                [103, 110],
                [200, 201],
              ],
            }),
          );
          const live = new Map<string, number[]>();
          let next = 0;
          for (const [add, n] of ops) {
            if (add && inv.ports.free(h) >= n) {
              const names = Array.from({ length: n }, (_, i) => `p${i}`);
              const slot = inv.allocate(h, { ...task(`t${next++}`, names, 0) });
              live.set(slot.taskId, Object.values(slot.ports));
            } else if (live.size > 0) {
              const [id] = live.keys();
              inv.release(id!);
              live.delete(id!);
            }
            const used = [...live.values()].flat();
            expect(new Set(used).size).toBe(used.length);
            for (const p of used) expect((p >= 100 && p <= 110) || p === 200 || p === 201).toBe(true);
            expect(inv.ports.free(h)).toBe(13 - used.length);
          }
        },
      ),
    );
  });

  it('keeps job counts equal to a recount while ledgers come, go and reuse their count arrays', () => {
    const jobs = ['a/prod/x', 'b/prod/y', 'c/prod/z'];
    const op = fc.record({
      add: fc.boolean(),
      job: fc.integer({ min: 0, max: jobs.length - 1 }),
      host: fc.integer({ min: 0, max: 19 }),
      track: fc.constantFrom(undefined, 'host', 'rack'),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const inv = new HostInventory();
        for (let i = 0; i < 20; i++) {
          const rack: Record<string, string> = i % 5 === 4 ? {} : { rack: `r${i % 3}` };
          inv.addHost(hostSpec(`h${i}`, { cpu: 64, ramMb: 1 << 20, attributes: rack }));
        }
        const live: { id: string; job: string; host: number }[] = [];
        let next = 0;
        for (const o of ops) {
          const job = jobs[o.job]!;
          if (o.add) {
            const id = `t${next++}`;
            inv.allocate(o.host, { ...task(id), job });
            live.push({ id, job, host: o.host });
          } else if (live.length > 0) {
            const [gone] = live.splice(o.host % live.length, 1);
            inv.release(gone!.id);
          }
          const attribute = o.track === undefined ? -1 : inv.attributes.attributeId(o.track);
          if (attribute >= 0) inv.jobLedger(job)?.track(attribute);
          for (const name of ['host', 'rack']) {
            const a = inv.attributes.attributeId(name);
            for (const j of jobs) {
              for (let v = 0; v < inv.attributes.valueCount(a); v++) {
                const expected = live.filter(
                  (t) => t.job === j && inv.attributes.value(a, t.host) === v,
                ).length;
                expect(inv.liveCount(j, a, v)).toBe(expected);
              }
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('merges overlapping port ranges', () => {
    expect(
      mergeRanges([
        [5, 9],
        [1, 3],
        [4, 4],
        [20, 22],
        [21, 30],
      ]),
    ).toEqual([
      [1, 9],
      [20, 30],
    ]);
  });
});
