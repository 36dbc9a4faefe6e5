import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TaskConfig } from '../../model/task-config.js';
import type { MaintenanceMode } from '../../scheduler/api.js';
import { HostInventory, RESOURCE_EPSILON } from '../inventory/host-inventory.js';
import { MAINTENANCE_MODES } from '../inventory/maintenance.js';
import { createPolicy, POLICY_NAMES } from '../policies/registry.js';
import { PlacementEngine } from './placement-engine.js';
import type { PlacementResult, Placer } from './placement-types.js';
import { ReferencePlacer } from './reference-placer.js';
import { hostSpec, seeded, taskConfig } from './test-support.js';

const CONFIGS: readonly TaskConfig[] = [
  taskConfig({ cpu: 2, ramMb: 4096 }),
  taskConfig({ cpu: 0.5, ramMb: 512, ports: ['http', 'admin'] }),
  taskConfig({ cpu: 1, ramMb: 2048, gpus: 0.5 }),
  taskConfig({ cpu: 1, ramMb: 1024, constraints: { zone: 'a' } }),
  taskConfig({ cpu: 1, ramMb: 1024, constraints: { zone: '!a', rack: 'r0,r1,r2' } }),
  taskConfig({ cpu: 1, ramMb: 1024, constraints: { rack: 'limit:1' } }),
  taskConfig({ cpu: 3, ramMb: 8192, ports: ['http'], constraints: { host: 'limit:2' } }),
  taskConfig({ cpu: 1, ramMb: 1024, constraints: { dedicated: 'www/db' } }),
  taskConfig({ cpu: 1, ramMb: 1024, constraints: { dedicated: '*/shared', host: 'limit:1' } }),
  taskConfig({ cpu: 8, ramMb: 30000, diskMb: 50000 }),
];
const JOBS = ['www/prod/web', 'batch/prod/etl', 'www/devel/db'];

const hostArb = fc.record({
  cpu: fc.integer({ min: 2, max: 24 }),
  ramMb: fc.integer({ min: 4, max: 64 }).map((g) => g * 1024),
  diskMb: fc.integer({ min: 0, max: 4 }).map((d) => d * 50000),
  gpus: fc.constantFrom(0, 0, 1, 2),
  ports: fc.integer({ min: 0, max: 4 }).map((n) => [[20000, 20000 + n]] as [number, number][]),
  rack: fc.constantFrom('r0', 'r1', 'r2', 'r3'),
  zone: fc.constantFrom('a', 'b', undefined),
  dedicated: fc.constantFrom(undefined, undefined, undefined, 'www/db', '*/shared'),
});
type HostArb = typeof hostArb extends fc.Arbitrary<infer T> ? T : never;

const opsArb = (configs: readonly number[], jobs: number) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('place' as const),
        cfg: fc.constantFrom(...configs),
        job: fc.nat(jobs - 1),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('up' as const), host: fc.nat(), up: fc.boolean() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('maintenance' as const),
        host: fc.nat(),
        mode: fc.constantFrom(...MAINTENANCE_MODES),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('offer' as const), host: fc.nat(), on: fc.boolean() }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), host: hostArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), host: fc.nat() }) },
  );
const opArb = opsArb(
  CONFIGS.map((_, i) => i),
  JOBS.length,
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function addHost(inv: HostInventory, id: string, h: HostArb): number {
  const attributes: Record<string, string> = { rack: h.rack };
  if (h.zone) attributes.zone = h.zone;
  if (h.dedicated) attributes.dedicated = h.dedicated;
  inv.addHost(hostSpec(id, { ...h, attributes }));
  return h.ports[0]![1] - h.ports[0]![0] + 1;
}

/** One world: an inventory and a placer driven by the same operations. */
class World {
  readonly inv = new HostInventory();
  readonly placer: Placer;
  private next = 0;
  private hostsAdded = 0;
  readonly configOf = new Map<string, TaskConfig>();
  /** Host index → ports in its ranges. */
  readonly portsOf = new Map<number, number>();

  constructor(hosts: readonly HostArb[], offerMode: boolean, make: (inv: HostInventory) => Placer) {
    this.inv.offerMode = offerMode;
    for (const h of hosts) this.portsOf.set(this.inv.size, addHost(this.inv, `h${this.hostsAdded++}`, h));
    if (offerMode) for (let h = 0; h < this.inv.size; h++) this.inv.setOffered(h, h % 3 !== 0);
    this.placer = make(this.inv);
  }

  apply(op: Op): PlacementResult | undefined {
    const inv = this.inv;
    const host = 'host' in op && typeof op.host === 'number' && inv.size > 0 ? op.host % inv.size : -1;
    switch (op.kind) {
      case 'place': {
        const taskId = `t${this.next++}`;
        const config = CONFIGS[op.cfg]!;
        const job = JOBS[op.job]!;
        const r = this.placer.place({ taskId, job, config });
        if (r.ok) {
          this.configOf.set(taskId, config);
          expect(inv.up[r.host]).toBe(1);
          expect(inv.maintenanceOf(r.host)).not.toMatch(/DRAIN/);
          if (inv.offerMode) expect(inv.offered[r.host]).toBe(1);
          // limit:N holds when a task is placed (tasks of the job without the limit may add to it later).
          for (const c of config.constraints) {
            if (c.kind !== 'limit') continue;
            const v = this.attr(c.attribute, r.host);
            const same = [...inv.slotsOf(job)].filter((s) => this.attr(c.attribute, s.host) === v);
            expect(same.length).toBeLessThanOrEqual(c.limit);
          }
        }
        return r;
      }
      case 'release': {
        const live = [...this.configOf.keys()];
        if (live.length === 0) return undefined;
        const taskId = live[op.pick % live.length]!;
        inv.release(taskId);
        this.configOf.delete(taskId);
        return undefined;
      }
      case 'up':
        if (host >= 0 && inv.isPresent(host)) inv.setUp(host, op.up);
        return undefined;
      case 'maintenance':
        if (host >= 0 && inv.isPresent(host)) inv.setMaintenance(host, op.mode as MaintenanceMode);
        return undefined;
      case 'offer':
        if (host >= 0 && inv.isPresent(host)) inv.setOffered(host, op.on);
        return undefined;
      case 'add':
        this.portsOf.set(inv.size, addHost(inv, `h${this.hostsAdded++}`, op.host));
        if (inv.offerMode) inv.setOffered(inv.size - 1, true);
        return undefined;
      case 'remove':
        if (host >= 0) for (const slot of inv.removeHost(host)) this.configOf.delete(slot.taskId);
        return undefined;
    }
  }

  attr(name: string, h: number): string | undefined {
    const a = this.inv.attributes.attributeId(name);
    const v = a < 0 ? -1 : this.inv.attributes.value(a, h);
    return v < 0 ? undefined : this.inv.attributes.valueName(a, v);
  }

  /** Capacity, ports and constraints hold for every live task. */
  checkInvariants(): void {
    const inv = this.inv;
    const attr = (name: string, h: number) => this.attr(name, h);
    for (let h = 0; h < inv.size; h++) {
      if (!inv.isPresent(h)) {
        expect(inv.slotsOn(h)).toHaveLength(0);
        continue;
      }
      const used = { cpu: 0, ramMb: 0, diskMb: 0, gpus: 0 };
      const ports = new Set<number>();
      for (const slot of inv.slotsOn(h)) {
        used.cpu += slot.resources.cpu;
        used.ramMb += slot.resources.ramMb;
        used.diskMb += slot.resources.diskMb;
        used.gpus += slot.resources.gpus;
        for (const p of Object.values(slot.ports)) {
          expect(ports.has(p), `port ${p} reused on host ${h}`).toBe(false);
          ports.add(p);
          expect(p >= 20000 && p <= 20004).toBe(true);
        }
        const config = this.configOf.get(slot.taskId)!;
        const dedicated = attr('dedicated', h);
        const wantsDedicated = config.constraints.find((c) => c.attribute === 'dedicated');
        if (wantsDedicated?.kind === 'value') expect(wantsDedicated.values).toContain(dedicated);
        else expect(dedicated).toBeUndefined();
        for (const c of config.constraints) {
          if (c.kind === 'value' && c.attribute !== 'dedicated') {
            const v = attr(c.attribute, h);
            expect(v !== undefined && c.values.includes(v), `${c.attribute} on ${h}`).toBe(!c.negated);
          }
        }
      }
      const cap = inv.capacity(h);
      expect(used.cpu).toBeLessThanOrEqual(cap.cpu + RESOURCE_EPSILON);
      expect(used.ramMb).toBeLessThanOrEqual(cap.ramMb + RESOURCE_EPSILON);
      expect(used.diskMb).toBeLessThanOrEqual(cap.diskMb + RESOURCE_EPSILON);
      expect(used.gpus).toBeLessThanOrEqual(cap.gpus + RESOURCE_EPSILON);
      expect(inv.ports.free(h) + ports.size).toBe(this.portsOf.get(h));
    }
  }
}

function summary(r: PlacementResult | undefined): unknown {
  if (!r) return undefined;
  return r.ok ? { host: r.host, score: r.score, ports: r.ports } : { reasons: r.reasons };
}

const LIMIT_CONFIGS = [5, 6, 8, 0];

describe.each(POLICY_NAMES)('PlacementEngine with %s', (name) => {
  it.each([
    ['any task', opArb, 24],
    ['limit-constrained tasks', opsArb(LIMIT_CONFIGS, 1), 40],
  ] as const)(
    'chooses exactly what the reference full scan chooses for %s; placements are valid',
    (_, ops, maxHosts) => {
      fc.assert(
        fc.property(
          fc.array(hostArb, { minLength: 0, maxLength: maxHosts }),
          fc.array(ops, { maxLength: 80 }),
          fc.boolean(),
          fc.integer(),
          fc.integer({ min: 1, max: 4 }),
          (hosts, ops, offerMode, seed, maxClasses) => {
            const policy = () => createPolicy(name, { random: seeded(seed), sampleSize: 3 });
            const fast = new World(
              hosts,
              offerMode,
              (inv) => new PlacementEngine(inv, { policy: policy(), maxClasses }),
            );
            const slow = new World(hosts, offerMode, (inv) => new ReferencePlacer(inv, policy()));
            for (const op of ops) {
              expect(summary(fast.apply(op))).toEqual(summary(slow.apply(op)));
            }
            fast.checkInvariants();
          },
        ),
        { numRuns: 100 },
      );
    },
  );
});

describe('PlacementEngine job counts', () => {
  it('frees limit-blocked hosts when the job ends and is submitted again', () => {
    const inv = new HostInventory();
    for (let i = 0; i < 6; i++) inv.addHost(hostSpec(`h${i}`, { attributes: { rack: `r${i % 3}` } }));
    const engine = new PlacementEngine(inv, { policy: createPolicy('hybrid') });
    const config = taskConfig({ cpu: 1, constraints: { rack: 'limit:1' } });
    const place = (id: string) => engine.place({ taskId: id, job: 'a/prod/x', config });
    expect([place('t0'), place('t1'), place('t2')].every((r) => r.ok)).toBe(true);
    const full = place('t3');
    expect(!full.ok && full.reasons).toEqual({ 'limit:1 on rack': 6 });
    for (const id of ['t0', 't1', 't2']) inv.release(id);
    expect(inv.jobLedger('a/prod/x')).toBeUndefined();
    expect(engine.feasibleCount('a/prod/x', config)).toBe(6);
    expect(place('t4').ok).toBe(true);
    expect(engine.feasibleCount('a/prod/x', config)).toBe(4);
  });
});

describe('PlacementEngine determinism', () => {
  const run = (seed: number): string[] => {
    const inv = new HostInventory();
    for (let i = 0; i < 50; i++) inv.addHost(hostSpec(`h${i}`, { cpu: 8 + (i % 5) }));
    const engine = new PlacementEngine(inv, {
      policy: createPolicy('random-k', { random: seeded(seed), sampleSize: 4 }),
    });
    const out: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = engine.place({ taskId: `t${i}`, job: 'a/prod/x', config: CONFIGS[i % 3]! });
      out.push(r.ok ? `${r.hostId}:${Object.values(r.ports).join(',')}` : r.message);
    }
    return out;
  };

  it('gives the same placements for the same inputs and seed, and others for another seed', () => {
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });
});
