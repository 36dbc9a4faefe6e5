import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileStorage } from './file-storage.js';
import { countingFsOps, nodeFsOps } from './fs-ops.js';

/** No fsyncs: this test is about what recovery returns, not about durability. */
const quickFs = countingFsOps({
  ...nodeFsOps,
  fsync: async () => undefined,
  fsyncDir: async () => undefined,
}).ops;

const configs = [{ image: 'a', cpu: 1 }, { image: 'b', cpu: 2, env: { X: '1' } }, { image: 'c' }];
const record = fc.oneof(
  fc.record({ type: fc.constant('task'), id: fc.nat(50), config: fc.constantFrom(...configs) }),
  fc.record({ type: fc.constant('other'), v: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }),
);
const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.array(record, { maxLength: 4 }).map((records) => ({ kind: 'commit' as const, records })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'batch' as const }) },
);

describe('FileStorage (property)', () => {
  it('recovers exactly the committed history: snapshot image plus the groups after it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const dir = join(mkdtempSync(join(tmpdir(), 'borealis-prop-')), 'store');
        try {
          // The model: every group ever committed, in order; a snapshot image is that list so far.
          const history: unknown[][] = [];
          let store = new FileStorage(dir, { fs: quickFs });
          await store.recover();
          const check = async () => {
            await store.close();
            store = new FileStorage(dir, { fs: quickFs });
            const r = await store.recover();
            const fromSnapshot = (r.snapshot as { groups: unknown[][] } | undefined)?.groups ?? [];
            expect([...fromSnapshot, ...r.groups.map((g) => g.records)]).toEqual(history);
            expect(r.groups.map((g) => g.seq)).toEqual(r.groups.map((_, i) => fromSnapshot.length + i));
            expect(r.nextSeq).toBe(history.length);
          };
          for (const o of ops) {
            if (o.kind === 'commit') {
              await store.commit(o.records);
              history.push(o.records);
            } else if (o.kind === 'batch') {
              const groups = [[{ type: 'other', v: 1 }], [{ type: 'task', id: 1, config: configs[0] }]];
              await Promise.all(groups.map((g) => store.commit(g)));
              history.push(...groups);
            } else if (o.kind === 'snapshot') {
              await store.writeSnapshot({ groups: history.map((g) => [...g]) });
            } else await check();
          }
          await check();
          await store.close();
        } finally {
          rmSync(join(dir, '..'), { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
