import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Crontab, parseCrontab } from './crontab.js';
import { firesAt, nextFire } from './next-fire.js';

const MINUTE = 60_000;
const utc = (text: string): number => Date.parse(`${text}Z`);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16);

function tab(text: string): Crontab {
  const r = parseCrontab(text);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.value;
}

describe('nextFire', () => {
  it('finds the next matching minute, strictly after the given time', () => {
    expect(iso(nextFire(tab('*/15 * * * *'), utc('2024-03-10T10:00:00')))).toBe('2024-03-10T10:15');
    expect(iso(nextFire(tab('*/15 * * * *'), utc('2024-03-10T10:14:59')))).toBe('2024-03-10T10:15');
    expect(iso(nextFire(tab('0 3 * * *'), utc('2024-03-10T03:00:00')))).toBe('2024-03-11T03:00');
  });

  it('rolls over hours, days, months and years', () => {
    expect(iso(nextFire(tab('0 0 1 1 *'), utc('2024-06-01T00:00')))).toBe('2025-01-01T00:00');
    expect(iso(nextFire(tab('59 23 31 12 *'), utc('2024-12-31T23:58')))).toBe('2024-12-31T23:59');
    expect(iso(nextFire(tab('0 0 31 * *'), utc('2024-04-01T00:00')))).toBe('2024-05-31T00:00');
  });

  it('finds February 29th across a non-leap century year', () => {
    expect(iso(nextFire(tab('0 12 29 2 *'), utc('2024-03-01T00:00')))).toBe('2028-02-29T12:00');
    expect(iso(nextFire(tab('0 12 29 2 *'), utc('2097-01-01T00:00')))).toBe('2104-02-29T12:00');
  });

  it('applies the Vixie OR rule when both day fields are restricted', () => {
    // 2024-05-01 is a Wednesday: "the 13th or any Friday" → Friday May 3rd comes first.
    expect(iso(nextFire(tab('0 0 13 * 5'), utc('2024-05-01T00:00')))).toBe('2024-05-03T00:00');
    // With day-of-month starred (even as a step) both must match: Fridays on odd days only.
    expect(iso(nextFire(tab('0 0 */2 * 5'), utc('2024-05-01T00:00')))).toBe('2024-05-03T00:00');
    expect(iso(nextFire(tab('0 0 */2 * 5'), utc('2024-05-04T00:00')))).toBe('2024-05-17T00:00');
  });

  it('treats weekday 7 as Sunday', () => {
    // 2024-05-05 is a Sunday
    expect(iso(nextFire(tab('30 6 * * 7'), utc('2024-05-01T00:00')))).toBe('2024-05-05T06:30');
  });
});

/** Random valid crontab expressions, biased towards sparse fields so matches are interesting. */
const field = (min: number, max: number, names: readonly string[] = []): fc.Arbitrary<string> => {
  const value = fc.oneof(
    fc.integer({ min, max }).map(String),
    ...(names.length ? [fc.constantFrom(...names)] : []),
  );
  const range = fc
    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
    .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
  const element = fc.oneof(
    value,
    range,
    fc.tuple(range, fc.integer({ min: 1, max: 10 })).map(([r, s]) => `${r}/${s}`),
    fc.integer({ min: 1, max: 20 }).map((s) => `*/${s}`),
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('*') },
    { weight: 4, arbitrary: fc.array(element, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(',')) },
  );
};

const crontabs = fc
  .tuple(
    field(0, 59),
    field(0, 23),
    field(1, 31),
    field(1, 12, ['jan', 'feb', 'mar', 'jun', 'dec']),
    field(0, 7, ['sun', 'mon', 'fri', 'sat']),
  )
  .map((fields) => fields.join(' '))
  .filter((text) => parseCrontab(text).ok);

/**
 * An independent matcher for the properties: calendar fields from Date's own UTC getters (not
 * next-fire.ts's arithmetic) and the Vixie day rule read straight off the expression text.
 */
function oracle(text: string, t: Crontab, ms: number): boolean {
  const d = new Date(ms);
  const [, , domText, , dowText] = text.split(' ') as [string, string, string, string, string];
  const dom = t.daysOfMonth.has(d.getUTCDate());
  const dow = t.daysOfWeek.has(d.getUTCDay());
  const day = domText.startsWith('*') || dowText.startsWith('*') ? dom && dow : dom || dow;
  return (
    t.minutes.has(d.getUTCMinutes()) &&
    t.hours.has(d.getUTCHours()) &&
    t.months.has(d.getUTCMonth() + 1) &&
    day
  );
}

// 2000-01-01 .. 2100-01-01
const instants = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 });

describe('nextFire properties', () => {
  it('is strictly later, matches every field, and skips no matching minute', () => {
    fc.assert(
      fc.property(crontabs, instants, (text, after) => {
        const t = tab(text);
        const next = nextFire(t, after);
        expect(next).toBeGreaterThan(after);
        expect(next % MINUTE).toBe(0);
        expect(oracle(text, t, next)).toBe(true);
        expect(firesAt(t, next)).toBe(true);
        // Brute force over a small window: no minute between after and next may match.
        const firstCandidate = (Math.floor(after / MINUTE) + 1) * MINUTE;
        const window = Math.min(next, firstCandidate + 3 * 24 * 60 * MINUTE);
        for (let m = firstCandidate; m < window; m += MINUTE) {
          if (oracle(text, t, m))
            throw new Error(`${text}: ${iso(m)} matches but nextFire gave ${iso(next)}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with a minute-by-minute scan for dense schedules', () => {
    const dense = fc
      .tuple(field(0, 59), field(0, 23))
      .map(([m, h]) => `${m} ${h} * * *`)
      .filter((text) => parseCrontab(text).ok);
    fc.assert(
      fc.property(dense, instants, (text, after) => {
        const t = tab(text);
        let m = (Math.floor(after / MINUTE) + 1) * MINUTE;
        while (!oracle(text, t, m)) m += MINUTE;
        expect(nextFire(t, after)).toBe(m);
      }),
      { numRuns: 100 },
    );
  });

  it('firesAt agrees with the calendar fields of Date for random instants', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        const d = new Date(ms);
        const text = `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
        expect(firesAt(tab(text), ms)).toBe(true);
        const weekday = `${d.getUTCMinutes()} ${d.getUTCHours()} * * ${d.getUTCDay()}`;
        expect(firesAt(tab(weekday), ms)).toBe(true);
        expect(
          firesAt(tab(`${d.getUTCMinutes()} ${d.getUTCHours()} * * ${(d.getUTCDay() + 1) % 7}`), ms),
        ).toBe(false);
      }),
    );
  });
});
