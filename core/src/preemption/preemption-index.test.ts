import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIERS } from '../model/tier.js';
import { DIMS, demandVector, type HostedTask, PreemptionIndex } from './preemption-index.js';
import { PAIR_STRIDE } from './role-room.js';
import { victimRank } from './rules.js';

const HOSTS = 6;
const ROLES = ['a', 'b', 'c'];

const close = (x: number, y: number) => Math.abs(x - y) < 1e-6;

/** Checks every derived figure of the index against a recount of its live tasks. */
function expectConsistent(index: PreemptionIndex, live: readonly HostedTask[]): void {
  for (let h = 0; h < HOSTS; h++) {
    for (let d = 0; d < DIMS; d++) {
      const on = live.filter((t) => t.host === h);
      const sum = (ts: readonly HostedTask[]) => ts.reduce((s, t) => s + t.demand[d]!, 0);
      expect(close(index.used[h * DIMS + d]!, sum(on))).toBe(true);
      expect(close(index.releasing[h * DIMS + d]!, sum(on.filter((t) => t.preempting)))).toBe(true);
      const free = on.filter((t) => !t.preempting && t.tier !== 'preferred');
      expect(close(index.preemptible[h * DIMS + d]!, sum(free))).toBe(true);
    }
    for (const role of ROLES) {
      const mine = live.filter((t) => t.host === h && t.role === role && !t.preempting);
      const pair = index.roleRoom.pairOf(index.roleRoom.knownRole(role), h);
      const room = new Array<number>(PAIR_STRIDE).fill(0);
      for (const t of mine) {
        const base = t.tier === 'preferred' ? 0 : DIMS;
        for (let d = 0; d < DIMS; d++) room[base + d]! += t.demand[d]!;
      }
      if (room.every((x) => Math.abs(x) < 1e-9)) {
        // An all-zero pair may linger only while a task of zero demand keeps it (none here).
        expect(pair).toBe(-1);
      } else {
        expect(pair).toBeGreaterThanOrEqual(0);
        for (let k = 0; k < PAIR_STRIDE; k++) {
          expect(close(index.roleRoom.room[pair * PAIR_STRIDE + k]!, room[k]!)).toBe(true);
        }
      }
    }
  }
  const ranks = live.filter((t) => !t.preempting && t.tier !== 'preferred').map((t) => t.rank);
  expect(index.lowestPreemptibleRank()).toBe(ranks.length > 0 ? Math.min(...ranks) : undefined);
  for (const t of live) expect(index.task(t.taskId)).toBe(t);
}

describe('PreemptionIndex', () => {
  it('keeps room, role room and the lowest preemptible rank equal to a recount', () => {
    const op = fc.record({
      kind: fc.constantFrom('add', 'add', 'remove', 'mark', 'lookup'),
      pick: fc.nat(),
      host: fc.integer({ min: 0, max: HOSTS - 1 }),
      role: fc.integer({ min: 0, max: ROLES.length - 1 }),
      tier: fc.constantFrom(...TIERS),
      priority: fc.integer({ min: -2, max: 3 }),
      cpu: fc.constantFrom(0.1, 0.5, 1, 2),
      ram: fc.constantFrom(1, 256, 1024),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const index = new PreemptionIndex();
        for (let h = 0; h < HOSTS; h++)
          index.setHost(h, { cpu: 64, ramMb: 1 << 20, diskMb: 0, gpus: 0 }, 100, true);
        const live: HostedTask[] = [];
        let next = 0;
        for (const o of ops) {
          const victim = live.length > 0 ? live[o.pick % live.length]! : undefined;
          if (o.kind === 'add' || !victim) {
            const role = ROLES[o.role]!;
            const t = index.add({
              taskId: `t${next++}`,
              job: `${role}/prod/j`,
              role,
              tier: o.tier,
              priority: o.priority,
              demand: demandVector({ cpu: o.cpu, ramMb: o.ram, diskMb: 0, gpus: 0 }, o.cpu > 1 ? 1 : 0),
              host: o.host,
            });
            expect(t.rank).toBe(victimRank(t));
            live.push(t);
          } else if (o.kind === 'remove') {
            expect(index.remove(victim.taskId)).toBe(victim);
            live.splice(live.indexOf(victim), 1);
          } else if (o.kind === 'mark') {
            index.markPreempting(victim.taskId);
          } else {
            // task() then remove() of another id must not hand back the looked-up entry.
            index.task(victim.taskId);
            const other = live.find((t) => t !== victim);
            if (other) {
              expect(index.remove(other.taskId)).toBe(other);
              live.splice(live.indexOf(other), 1);
            }
          }
          expectConsistent(index, live);
        }
        expect(index.remove('never-added')).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
