import { describe, expect, it } from 'vitest';
import { HostInventory } from '../inventory/host-inventory.js';
import { createPolicy } from '../policies/registry.js';
import { PlacementEngine } from './placement-engine.js';
import { ReferencePlacer } from './reference-placer.js';
import { hostSpec, taskConfig } from './test-support.js';

/**
 * A hand-built cluster where every host fails for one known reason:
 * h0 down, h1 draining, h2 drained, h3 dedicated, h4 zone b, h5 little ram, h6 no ports,
 * h7 already runs the job (host limit:1), h8 SCHEDULED (feasible, ranked last), h9 feasible.
 */
function cluster(): { inv: HostInventory; engine: PlacementEngine } {
  const inv = new HostInventory();
  const zoneA = { zone: 'a' };
  inv.addHost(hostSpec('h0', { attributes: zoneA }));
  inv.addHost(hostSpec('h1', { attributes: zoneA }));
  inv.addHost(hostSpec('h2', { attributes: zoneA }));
  inv.addHost(hostSpec('h3', { attributes: { ...zoneA, dedicated: 'www/db' } }));
  inv.addHost(hostSpec('h4', { attributes: { zone: 'b' } }));
  inv.addHost(hostSpec('h5', { ramMb: 1024, attributes: zoneA }));
  inv.addHost(hostSpec('h6', { ports: [], attributes: zoneA }));
  inv.addHost(hostSpec('h7', { attributes: zoneA }));
  inv.addHost(hostSpec('h8', { cpu: 64, attributes: zoneA }));
  inv.addHost(hostSpec('h9', { attributes: zoneA }));
  inv.setUp(0, false);
  inv.setMaintenance(1, 'DRAINING');
  inv.setMaintenance(2, 'DRAINED');
  inv.setMaintenance(8, 'SCHEDULED');
  const engine = new PlacementEngine(inv, { policy: createPolicy('best-fit') });
  engine.place({ taskId: 'seed', job: 'www/prod/web', config: WEB, explain: false });
  return { inv, engine };
}

const WEB = taskConfig({ cpu: 1, ramMb: 4096, ports: ['http'], constraints: { zone: 'a', host: 'limit:1' } });

describe('rejection counts', () => {
  it('counts each host once, under the first filter that rejects it', () => {
    const { inv, engine } = cluster();
    // h7 and h9 fit equally tightly (ties go to the lower index); h8 is SCHEDULED, so it comes last.
    expect(inv.slot('seed')?.host).toBe(7);
    const r1 = engine.place({ taskId: 't1', job: 'www/prod/web', config: WEB });
    expect(r1.ok && r1.hostId).toBe('h9');
    const r2 = engine.place({ taskId: 't2', job: 'www/prod/web', config: WEB });
    // Only the SCHEDULED host is left: it takes the task, ranked last but still usable.
    expect(r2.ok && r2.hostId).toBe('h8');
    const r3 = engine.find({ taskId: 't3', job: 'www/prod/web', config: WEB });
    expect(r3.ok).toBe(false);
    if (r3.ok) return;
    expect(r3.reasons).toEqual({
      'host down': 1,
      'host draining': 1,
      'host drained': 1,
      'dedicated host': 1,
      'constraint zone=a': 1,
      'insufficient ramMb': 1,
      'insufficient ports': 1,
      'limit:1 on host': 3,
    });
    expect(r3.message).toBe(
      'limit:1 on host on 3 hosts, constraint zone=a on 1 host, dedicated host on 1 host, host down on 1 host, ' +
        'host drained on 1 host, host draining on 1 host, insufficient ports on 1 host, insufficient ramMb on 1 host',
    );
    expect(r3.rejections.find((r) => r.reason === 'insufficient ramMb')?.filter).toBe('resources');
    // The reference scan agrees.
    const ref = new ReferencePlacer(inv, createPolicy('best-fit')).find({
      taskId: 't3',
      job: 'www/prod/web',
      config: WEB,
    });
    expect(!ref.ok && ref.reasons).toEqual(r3.reasons);
  });

  it('counts stay right as hosts change, and a released task frees its limit', () => {
    const { inv, engine } = cluster();
    inv.setUp(0, true);
    inv.setMaintenance(1, 'NONE');
    const rej = engine.rejections('www/prod/web', WEB);
    expect(Object.fromEntries(rej.map((r) => [r.reason, r.hosts]))).toEqual({
      'host drained': 1,
      'dedicated host': 1,
      'constraint zone=a': 1,
      'insufficient ramMb': 1,
      'insufficient ports': 1,
      'limit:1 on host': 1,
    });
    inv.release('seed');
    expect(engine.rejections('www/prod/web', WEB).some((r) => r.filter === 'limit')).toBe(false);
    expect(engine.feasibleCount('www/prod/web', WEB)).toBe(5);
  });

  it('sends a dedicated job only to its hosts, and names them when none is free', () => {
    const { inv, engine } = cluster();
    const db = taskConfig({ cpu: 1, ramMb: 1024, constraints: { dedicated: 'www/db' } });
    const r = engine.place({ taskId: 'd1', job: 'www/prod/db', config: db });
    expect(r.ok && r.hostId).toBe('h3');
    const other = engine.find({ taskId: 'd2', job: 'batch/prod/db', config: db });
    // h0–h2 are rejected earlier in the chain (down, draining, drained); the other 7 by dedicated.
    expect(!other.ok && other.reasons['not dedicated to www/db']).toBe(inv.hostCount - 3);
  });

  it('explains a decision: policy, chosen host, score and the runners-up', () => {
    const { engine } = cluster();
    const r = engine.find({
      taskId: 'x',
      job: 'batch/prod/etl',
      config: taskConfig({ cpu: 1 }),
      explain: true,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = r.trace!;
    expect(t.policy).toBe('best-fit');
    expect(t.chosen?.host).toBe(r.hostId);
    expect(t.chosen?.score).toBe(r.score);
    expect(t.candidates[0]).toEqual(t.chosen);
    expect(t.candidates.length).toBeGreaterThan(1);
    for (let i = 1; i < t.candidates.length; i++) {
      const a = t.candidates[i - 1]!;
      const b = t.candidates[i]!;
      expect(a.scheduled === b.scheduled ? a.score >= b.score : b.scheduled).toBe(true);
    }
    expect(t.feasible).toBe(t.scored);
    expect(t.rejections.map((x) => x.reason)).toContain('host down');
  });
});
