import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIMS } from './dims.js';
import { PAIR_STRIDE, RoleRoom } from './role-room.js';

/** The structure RoleRoom replaces: role → host → room, in Map insertion order. */
class NaiveRoleRoom {
  readonly byRole = new Map<string, Map<number, number[]>>();

  change(role: string, h: number, demand: Float64Array, preemptible: boolean, sign: 1 | -1): void {
    let hosts = this.byRole.get(role);
    if (!hosts) {
      hosts = new Map();
      this.byRole.set(role, hosts);
    }
    let room = hosts.get(h);
    if (!room) {
      room = new Array<number>(PAIR_STRIDE).fill(0);
      hosts.set(h, room);
    }
    const base = preemptible ? DIMS : 0;
    for (let d = 0; d < DIMS; d++) {
      const v = room[base + d]! + sign * demand[d]!;
      room[base + d] = Math.abs(v) < 1e-9 ? 0 : v;
    }
    if (sign < 0 && room.every((x) => x === 0)) {
      hosts.delete(h);
      if (hosts.size === 0) this.byRole.delete(role);
    }
  }
}

/** The role's hosts and rooms in RoleRoom's list order. */
function listed(rr: RoleRoom, role: string): [number, number[]][] {
  const out: [number, number[]][] = [];
  const id = rr.knownRole(role);
  for (let p = rr.first(id); p >= 0; p = rr.next(p)) {
    out.push([rr.hostOf(p), Array.from(rr.room.subarray(p * PAIR_STRIDE, (p + 1) * PAIR_STRIDE))]);
  }
  return out;
}

const ROLES = ['a', 'b', 'c', 'd'];

describe('RoleRoom', () => {
  it('keeps a pair while its room is not empty and drops it when it empties', () => {
    const rr = new RoleRoom();
    const www = rr.roleId('www');
    const demand = Float64Array.of(1.5, 100, 0, 0, 1);
    rr.change(www, 3, demand, false, 1);
    rr.change(www, 3, demand, true, 1);
    const pair = rr.pairOf(www, 3);
    expect(pair).toBeGreaterThanOrEqual(0);
    expect(Array.from(rr.room.subarray(pair * PAIR_STRIDE, (pair + 1) * PAIR_STRIDE))).toEqual([
      1.5, 100, 0, 0, 1, 1.5, 100, 0, 0, 1,
    ]);
    rr.change(www, 3, demand, false, -1);
    expect(rr.pairOf(www, 3)).toBe(pair);
    rr.change(www, 3, demand, true, -1);
    expect(rr.pairOf(www, 3)).toBe(-1);
    expect(rr.first(www)).toBe(-1);
    expect(rr.first(rr.knownRole('nobody'))).toBe(-1);
  });

  it('agrees with nested Maps, room and iteration order, after random changes', () => {
    // Each task is added once and removed at most once, as the preemption index does.
    const op = fc.record({
      role: fc.integer({ min: 0, max: ROLES.length - 1 }),
      host: fc.integer({ min: 0, max: 40 }),
      preemptible: fc.boolean(),
      cpu: fc.constantFrom(0, 0.1, 0.25, 1, 3),
      ram: fc.constantFrom(0, 128, 1024),
      removeAfter: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const rr = new RoleRoom();
        const naive = new NaiveRoleRoom();
        const removals = new Map<number, (typeof ops)[number][]>();
        const apply = (o: (typeof ops)[number], sign: 1 | -1) => {
          const demand = Float64Array.of(o.cpu, o.ram, 0, 0, o.cpu > 1 ? 1 : 0);
          const role = ROLES[o.role]!;
          rr.change(rr.roleId(role), o.host, demand, o.preemptible, sign);
          naive.change(role, o.host, demand, o.preemptible, sign);
        };
        ops.forEach((o, i) => {
          apply(o, 1);
          if (o.removeAfter !== undefined) {
            const at = i + o.removeAfter;
            removals.set(at, [...(removals.get(at) ?? []), o]);
          }
          for (const r of removals.get(i) ?? []) apply(r, -1);
          removals.delete(i);
        });
        for (const role of ROLES) {
          const expected = [...(naive.byRole.get(role) ?? new Map<number, number[]>())];
          expect(listed(rr, role)).toEqual(expected);
          const id = rr.knownRole(role);
          for (let h = 0; h <= 40; h++) {
            const pair = rr.pairOf(id, h);
            expect(pair >= 0 ? rr.hostOf(pair) : -1).toBe(naive.byRole.get(role)?.has(h) ? h : -1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
