import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tier } from '../model/tier.js';
import { readWork, resetWork } from '../placement/engine/work-counters.js';
import { demandVector, PreemptionIndex, ROOM_LOG } from './preemption-index.js';
import { type Preemptor, VictimSearch } from './victim-search.js';

const CAP = 8;
const HOSTS = 4;

function emptyIndex(): PreemptionIndex {
  const index = new PreemptionIndex();
  for (let h = 0; h < HOSTS; h++) index.setHost(h, { cpu: CAP, ramMb: CAP, diskMb: 0, gpus: 0 }, 10, true);
  return index;
}

const vec = (cpu: number, ram: number) => demandVector({ cpu, ramMb: ram, diskMb: 0, gpus: 0 }, 0);

/** Preemptor kinds: the key stands for (role, tier, priority, demand, admits) as the scheduler's group key does. */
const KINDS: readonly {
  key: string;
  p: Omit<Preemptor, 'taskId' | 'key'>;
  admits: (h: number) => boolean;
}[] = [
  {
    key: 'prod-big',
    p: { role: 'w', tier: 'preferred', priority: 0, demand: vec(6, 6) },
    admits: () => true,
  },
  {
    key: 'prod-odd',
    p: { role: 'w', tier: 'preferred', priority: 2, demand: vec(4, 3) },
    admits: (h) => h % 2 === 1,
  },
  {
    key: 'same-role',
    p: { role: 'b', tier: 'preemptible', priority: 3, demand: vec(5, 5) },
    admits: () => true,
  },
];

type Op =
  | { kind: 'add'; host: number; role: string; tier: Tier; priority: number; cpu: number; ram: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'usable'; host: number; usable: boolean }
  | { kind: 'reserve'; host: number; cpu: number; sign: 1 | -1 }
  | { kind: 'mark'; pick: number }
  | { kind: 'search'; which: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    host: fc.nat(HOSTS - 1),
    role: fc.constantFrom('w', 'b'),
    tier: fc.constantFrom<Tier>('preferred', 'preemptible', 'revocable'),
    priority: fc.integer({ min: 0, max: 4 }),
    cpu: fc.integer({ min: 1, max: 4 }),
    ram: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('usable' as const), host: fc.nat(HOSTS - 1), usable: fc.boolean() }),
  fc.record({
    kind: fc.constant('reserve' as const),
    host: fc.nat(HOSTS - 1),
    cpu: fc.integer({ min: 1, max: 3 }),
    sign: fc.constantFrom<1 | -1>(1, -1),
  }),
  fc.record({ kind: fc.constant('mark' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('search' as const), which: fc.nat(KINDS.length - 1) }),
  fc.record({ kind: fc.constant('search' as const), which: fc.nat(KINDS.length - 1) }),
);

describe('VictimSearch failure memo', () => {
  it('answers as a fresh search would (no memory) after random adds, removes, victims, reservations and usable flips', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const index = emptyIndex();
        const keyed = new VictimSearch(index, { maxHostsExamined: 100 });
        const live: string[] = [];
        const reserved: { host: number; cpu: number }[] = [];
        let next = 0;
        ops.forEach((o) => {
          switch (o.kind) {
            case 'add': {
              const list = index.tasksOn[o.host]!;
              const used = list.reduce((s, t) => [s[0]! + t.demand[0]!, s[1]! + t.demand[1]!], [0, 0]);
              if (used[0]! + o.cpu > CAP || used[1]! + o.ram > CAP) return;
              const id = `t${next++}`;
              index.add({
                taskId: id,
                job: `${o.role}/prod/j`,
                role: o.role,
                tier: o.tier,
                priority: o.priority,
                demand: vec(o.cpu, o.ram),
                host: o.host,
              });
              live.push(id);
              return;
            }
            case 'remove': {
              if (live.length === 0) return;
              const [id] = live.splice(o.pick % live.length, 1);
              index.remove(id!);
              return;
            }
            case 'mark':
              if (live.length > 0) index.markPreempting(live[o.pick % live.length]!);
              return;
            case 'usable':
              index.setUsable(o.host, o.usable);
              return;
            case 'reserve': {
              if (o.sign > 0) {
                index.reserve(o.host, vec(o.cpu, 0), 1);
                reserved.push({ host: o.host, cpu: o.cpu });
              } else {
                const i = reserved.findIndex((r) => r.host === o.host);
                if (i < 0) return;
                const [r] = reserved.splice(i, 1);
                index.reserve(r!.host, vec(r!.cpu, 0), -1);
              }
              return;
            }
            case 'search': {
              const kind = KINDS[o.which]!;
              // The reference: a fresh search (no memory, same rotating cursor start) on the same index.
              const fresh = new VictimSearch(index, { maxHostsExamined: 100 });
              (fresh as unknown as { cursor: number }).cursor = (
                keyed as unknown as { cursor: number }
              ).cursor;
              const want = fresh.find({ ...kind.p, taskId: 'p' }, kind.admits);
              const got = keyed.find({ ...kind.p, taskId: 'p', key: kind.key }, kind.admits);
              expect(got?.host).toBe(want?.host);
              expect(got?.victims.map((v) => v.taskId)).toEqual(want?.victims.map((v) => v.taskId));
              return;
            }
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('counts the skipped search, and runs it again once a task leaves', () => {
    const index = emptyIndex();
    for (let h = 0; h < HOSTS; h++) {
      index.add({
        taskId: `p${h}`,
        job: 'w/prod/a',
        role: 'w',
        tier: 'preferred',
        priority: 0,
        demand: vec(8, 8),
        host: h,
      });
    }
    const search = new VictimSearch(index, { maxHostsExamined: 100 });
    const p: Preemptor = {
      taskId: 'x',
      key: 'k',
      role: 'w',
      tier: 'preferred',
      priority: 0,
      demand: vec(2, 2),
    };
    resetWork();
    expect(search.find(p, () => true)).toBeUndefined();
    expect(search.find(p, () => true)).toBeUndefined();
    expect(readWork().victimSearches).toBe(1);
    expect(readWork().victimSearchesSkipped).toBe(1);
    // Another key is not skipped.
    expect(search.find({ ...p, key: 'other' }, () => true)).toBeUndefined();
    expect(readWork().victimSearches).toBe(2);
    index.remove('p2');
    index.add({
      taskId: 'low',
      job: 'b/prod/b',
      role: 'b',
      tier: 'preemptible',
      priority: 0,
      demand: vec(8, 8),
      host: 2,
    });
    expect(search.find(p, () => true)?.victims.map((v) => v.taskId)).toEqual(['low']);
    expect(readWork().victimSearches).toBe(3);
  });

  it('runs a failed search again once reserved room is given back or a host becomes usable', () => {
    const index = emptyIndex();
    for (let h = 0; h < HOSTS; h++) {
      index.add({
        taskId: `v${h}`,
        job: 'b/prod/b',
        role: 'b',
        tier: 'preemptible',
        priority: 0,
        demand: vec(4, 4),
        host: h,
      });
      index.reserve(h, vec(8, 8), 1);
    }
    const search = new VictimSearch(index, { maxHostsExamined: 100 });
    const p: Preemptor = {
      taskId: 'x',
      key: 'k',
      role: 'w',
      tier: 'preferred',
      priority: 0,
      demand: vec(6, 6),
    };
    expect(search.find(p, () => true)).toBeUndefined();
    index.reserve(1, vec(8, 8), -1);
    expect(search.find(p, () => true)?.host).toBe(1);
    index.setUsable(1, false);
    index.reserve(1, vec(8, 8), 1);
    expect(search.find(p, () => true)).toBeUndefined();
    index.reserve(1, vec(8, 8), -1);
    expect(search.find(p, () => true)).toBeUndefined(); // host 1 is not usable
    index.setUsable(1, true);
    expect(search.find(p, () => true)?.host).toBe(1);
  });

  it('skips while room grows only where it cannot help, and searches again once the log overflows', () => {
    const index = emptyIndex();
    for (let h = 0; h < HOSTS; h++) {
      index.add({
        taskId: `p${h}`,
        job: 'w/prod/a',
        role: 'w',
        tier: 'preferred',
        priority: 0,
        demand: vec(7, 7),
        host: h,
      });
    }
    const search = new VictimSearch(index, { maxHostsExamined: 100 });
    const p: Preemptor = {
      taskId: 'x',
      key: 'k',
      role: 'w',
      tier: 'preferred',
      priority: 0,
      demand: vec(4, 4),
    };
    resetWork();
    expect(search.find(p, () => true)).toBeUndefined();
    // A small production task comes and goes on host 0: room grew there, but not enough.
    index.add({
      taskId: 's',
      job: 'w/prod/s',
      role: 'w',
      tier: 'preferred',
      priority: 0,
      demand: vec(1, 1),
      host: 0,
    });
    index.remove('s');
    expect(search.find(p, () => true)).toBeUndefined();
    expect(readWork().victimSearches).toBe(1);
    expect(readWork().victimSearchesSkipped).toBe(1);
    // More room-growing changes than the log holds: a full search again (still failing).
    for (let i = 0; i < ROOM_LOG; i++) {
      index.add({
        taskId: `s${i}`,
        job: 'w/prod/s',
        role: 'w',
        tier: 'preferred',
        priority: 0,
        demand: vec(1, 1),
        host: 1,
      });
      index.remove(`s${i}`);
    }
    expect(search.find(p, () => true)).toBeUndefined();
    expect(readWork().victimSearches).toBe(2);
  });
});
