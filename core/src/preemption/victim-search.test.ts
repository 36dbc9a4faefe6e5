import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tier } from '../model/tier.js';
import { DIMS, demandVector, PreemptionIndex } from './preemption-index.js';
import { canPreempt, victimRank } from './rules.js';
import { type Preemptor, VictimSearch } from './victim-search.js';

interface Placed {
  id: string;
  host: number;
  role: string;
  tier: Tier;
  priority: number;
  cpu: number;
  ram: number;
}

function build(hosts: number, cpu: number, ram: number, tasks: readonly Placed[]): PreemptionIndex {
  const index = new PreemptionIndex();
  for (let h = 0; h < hosts; h++) index.setHost(h, { cpu, ramMb: ram, diskMb: 0, gpus: 0 }, 10, true);
  for (const t of tasks) {
    index.add({
      taskId: t.id,
      job: `${t.role}/prod/j`,
      role: t.role,
      tier: t.tier,
      priority: t.priority,
      demand: demandVector({ cpu: t.cpu, ramMb: t.ram, diskMb: 0, gpus: 0 }, 0),
      host: t.host,
    });
  }
  return index;
}

const preemptor = (role: string, tier: Tier, priority: number, cpu: number, ram: number): Preemptor => ({
  taskId: 'p',
  role,
  tier,
  priority,
  demand: demandVector({ cpu, ramMb: ram, diskMb: 0, gpus: 0 }, 0),
});

const all = () => true;

describe('VictimSearch', () => {
  it('prefers one large victim over several small ones, and the lowest rank among equals', () => {
    const index = build(3, 8, 8000, [
      { id: 'a1', host: 0, role: 'batch', tier: 'preemptible', priority: 6, cpu: 2, ram: 2000 },
      { id: 'a2', host: 0, role: 'batch', tier: 'preemptible', priority: 6, cpu: 2, ram: 2000 },
      { id: 'a3', host: 0, role: 'batch', tier: 'preemptible', priority: 6, cpu: 4, ram: 4000 },
      { id: 'b1', host: 1, role: 'batch', tier: 'preemptible', priority: 5, cpu: 8, ram: 8000 },
      { id: 'c1', host: 2, role: 'batch', tier: 'revocable', priority: 5, cpu: 8, ram: 8000 },
    ]);
    const choice = new VictimSearch(index, { maxHostsExamined: 100 }).find(
      preemptor('www', 'preferred', 0, 4, 4000),
      all,
    );
    // Hosts 0 (a3), 1 (b1) and 2 (c1) each need one victim; c1 ranks lowest (revocable, same priority as b1).
    expect(choice?.host).toBe(2);
    expect(choice?.victims.map((v) => v.taskId)).toEqual(['c1']);
  });

  it('uses free room and prunes victims the room does not need', () => {
    const index = build(1, 8, 8000, [
      { id: 'low', host: 0, role: 'batch', tier: 'preemptible', priority: 0, cpu: 2, ram: 2000 },
      { id: 'mid', host: 0, role: 'batch', tier: 'preemptible', priority: 3, cpu: 2, ram: 2000 },
      { id: 'prod', host: 0, role: 'www', tier: 'preferred', priority: 0, cpu: 2, ram: 2000 },
    ]);
    const choice = new VictimSearch(index, { maxHostsExamined: 100 }).find(
      preemptor('www', 'preferred', 0, 4, 4000),
      all,
    );
    expect(choice?.victims.map((v) => v.taskId)).toEqual(['low']);
  });

  it('finds nothing when only equal-rank or other-role work is in the way', () => {
    const index = build(1, 4, 4000, [
      { id: 'x', host: 0, role: 'ads', tier: 'preferred', priority: 0, cpu: 4, ram: 4000 },
    ]);
    const search = new VictimSearch(index, { maxHostsExamined: 100 });
    expect(search.find(preemptor('www', 'preferred', 9, 1, 100), all)).toBeUndefined();
    expect(search.find(preemptor('ads', 'preferred', 0, 1, 100), all)).toBeUndefined();
    expect(search.find(preemptor('ads', 'preferred', 1, 1, 100), all)?.victims.map((v) => v.taskId)).toEqual([
      'x',
    ]);
  });

  it('skips hosts the preemptor may not use and victims already chosen', () => {
    const index = build(2, 4, 4000, [
      { id: 'v0', host: 0, role: 'b', tier: 'preemptible', priority: 0, cpu: 4, ram: 4000 },
      { id: 'v1', host: 1, role: 'b', tier: 'preemptible', priority: 0, cpu: 4, ram: 4000 },
    ]);
    const search = new VictimSearch(index, { maxHostsExamined: 100 });
    expect(search.find(preemptor('w', 'preferred', 0, 4, 4000), (h) => h === 1)?.host).toBe(1);
    index.markPreempting('v1');
    index.reserve(1, demandVector({ cpu: 4, ramMb: 4000, diskMb: 0, gpus: 0 }, 0));
    expect(search.find(preemptor('w', 'preferred', 0, 4, 4000), (h) => h === 1)).toBeUndefined();
    expect(search.find(preemptor('w', 'preferred', 0, 4, 4000), all)?.host).toBe(0);
  });

  it('property: victims obey the rules, make room, and a one-victim set is found when one exists', () => {
    const tier = fc.constantFrom<Tier>('preferred', 'preemptible', 'revocable');
    const role = fc.constantFrom('a', 'b');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(
          fc.record({
            host: fc.nat(4),
            role,
            tier,
            priority: fc.integer({ min: 0, max: 3 }),
            cpu: fc.integer({ min: 1, max: 4 }),
            ram: fc.integer({ min: 1, max: 4 }),
          }),
          { maxLength: 30 },
        ),
        fc.record({
          role,
          tier,
          priority: fc.integer({ min: 0, max: 3 }),
          cpu: fc.integer({ min: 1, max: 8 }),
          ram: fc.integer({ min: 1, max: 8 }),
        }),
        (hosts, raw, pr) => {
          const cap = 8;
          const load = new Array(hosts).fill(0).map(() => [0, 0]);
          const tasks: Placed[] = [];
          raw.forEach((t, i) => {
            const h = t.host % hosts;
            const l = load[h]!;
            if (l[0]! + t.cpu > cap || l[1]! + t.ram > cap) return;
            l[0]! += t.cpu;
            l[1]! += t.ram;
            tasks.push({ ...t, id: `t${i}`, host: h });
          });
          const index = build(hosts, cap, cap, tasks);
          const p = preemptor(pr.role, pr.tier, pr.priority, pr.cpu, pr.ram);
          const choice = new VictimSearch(index, { maxHostsExamined: 100 }).find(p, all);

          // Brute force per host: is preemption needed, possible at all, possible with one victim?
          let possible = false;
          let single = false;
          for (let h = 0; h < hosts; h++) {
            const free = [cap - load[h]![0]!, cap - load[h]![1]!];
            if (free[0]! >= pr.cpu && free[1]! >= pr.ram) continue;
            const eligible = tasks.filter((t) => t.host === h && canPreempt(p, t));
            const sum = eligible.reduce((s, t) => [s[0]! + t.cpu, s[1]! + t.ram], free);
            if (sum[0]! >= pr.cpu && sum[1]! >= pr.ram) possible = true;
            if (eligible.some((t) => free[0]! + t.cpu >= pr.cpu && free[1]! + t.ram >= pr.ram)) single = true;
          }
          expect(choice !== undefined).toBe(possible);
          if (!choice) return;
          if (single) expect(choice.victims).toHaveLength(1);
          const room = [cap - load[choice.host]![0]!, cap - load[choice.host]![1]!];
          for (const v of choice.victims) {
            expect(v.host).toBe(choice.host);
            expect(canPreempt(p, v)).toBe(true);
            expect(v.rank).toBeLessThan(victimRank(p));
            room[0]! += v.demand[0]!;
            room[1]! += v.demand[1]!;
          }
          expect(room[0]).toBeGreaterThanOrEqual(pr.cpu);
          expect(room[1]).toBeGreaterThanOrEqual(pr.ram);
          expect(DIMS).toBe(5);
        },
      ),
      { numRuns: 300 },
    );
  });
});
