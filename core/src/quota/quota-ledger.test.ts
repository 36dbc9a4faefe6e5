import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Resources } from '../model/resources.js';
import { QuotaLedger } from './quota-ledger.js';

const res = (cpu: number, ramMb: number, diskMb = 0, gpus = 0): Resources => ({ cpu, ramMb, diskMb, gpus });

describe('QuotaLedger', () => {
  it('is unlimited for a role without quota unless quotas are mandatory', () => {
    expect(new QuotaLedger().check('www', res(1000, 1e9), 'job www/prod/web').ok).toBe(true);
    const strict = new QuotaLedger(true).check('www', res(1, 1), 'job www/prod/web');
    expect(strict.ok).toBe(false);
    if (!strict.ok) expect(strict.problems[0]?.message).toMatch(/role www has no quota/);
  });

  it('rejects a request past the quota, stating the request and what remains', () => {
    const ledger = new QuotaLedger();
    ledger.setQuota('www', res(100, 409600, 1048576));
    ledger.consume('www', res(12, 50000), 8); // cpu 96, ramMb 400000
    const r = ledger.check('www', res(8, 16384), 'job www/prod/web');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]?.message).toBe(
        'quota exceeded for role www: job www/prod/web needs cpu 8, ramMb 16384; ' +
          'role has cpu 4, ramMb 9600 of cpu 100, ramMb 409600 left',
      );
    }
    expect(ledger.check('www', res(4, 9600), 'job www/prod/web').ok).toBe(true);
  });

  it('gives room back on release, without float drift below zero', () => {
    const ledger = new QuotaLedger();
    ledger.setQuota('a', res(1, 10));
    for (let i = 0; i < 10; i++) ledger.consume('a', res(0.1, 1));
    expect(ledger.check('a', res(0.1, 1), 'x').ok).toBe(false);
    for (let i = 0; i < 10; i++) ledger.release('a', res(0.1, 1));
    expect(ledger.usage('a').consumed).toEqual(res(0, 0));
    expect(ledger.check('a', res(1, 10), 'x').ok).toBe(true);
  });

  it('never lets consumption pass the quota when every consume is checked first', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            add: fc.boolean(),
            cpu: fc.integer({ min: 0, max: 40 }).map((c) => c / 4),
            ram: fc.integer({ min: 0, max: 5000 }),
            count: fc.integer({ min: 1, max: 5 }),
          }),
          { maxLength: 60 },
        ),
        (ops) => {
          const quota = res(20, 20000);
          const ledger = new QuotaLedger();
          ledger.setQuota('r', quota);
          const live: { r: Resources; count: number }[] = [];
          for (const op of ops) {
            if (op.add) {
              const r = res(op.cpu, op.ram);
              const total = res(op.cpu * op.count, op.ram * op.count);
              if (ledger.check('r', total, 'job').ok) {
                ledger.consume('r', r, op.count);
                live.push({ r, count: op.count });
              }
            } else if (live.length > 0) {
              const gone = live.shift()!;
              ledger.release('r', gone.r, gone.count);
            }
            const used = ledger.usage('r').consumed;
            expect(used.cpu).toBeLessThanOrEqual(quota.cpu + 1e-9);
            expect(used.ramMb).toBeLessThanOrEqual(quota.ramMb + 1e-9);
          }
        },
      ),
    );
  });
});
