import { describe, expect, it } from 'vitest';
import { parseCrontab } from './crontab.js';

function parse(text: string) {
  const r = parseCrontab(text);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.value;
}

function problems(text: string): string[] {
  const r = parseCrontab(text);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('parseCrontab', () => {
  it('parses numbers, stars, ranges, lists and steps', () => {
    const tab = parse('*/15 9-17 1,15 * 1-5');
    expect(tab.minutes.values()).toEqual([0, 15, 30, 45]);
    expect(tab.hours.values()).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(tab.daysOfMonth.values()).toEqual([1, 15]);
    expect(tab.months.values()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(tab.daysOfWeek.values()).toEqual([1, 2, 3, 4, 5]);
    expect(tab.dayOr).toBe(true);
  });

  it('accepts stepped ranges and value/step', () => {
    expect(parse('10-30/10 * * * *').minutes.values()).toEqual([10, 20, 30]);
    expect(parse('50/5 * * * *').minutes.values()).toEqual([50, 55]);
    expect(parse('0 */7 * * *').hours.values()).toEqual([0, 7, 14, 21]);
  });

  it('accepts month and weekday names in any case, also in ranges', () => {
    const tab = parse('0 0 * JAN,mar-May Mon-fri');
    expect(tab.months.values()).toEqual([1, 3, 4, 5]);
    expect(tab.daysOfWeek.values()).toEqual([1, 2, 3, 4, 5]);
  });

  it('folds 7 onto Sunday', () => {
    expect(parse('0 0 * * 7').daysOfWeek.values()).toEqual([0]);
    expect(parse('0 0 * * 5-7').daysOfWeek.values()).toEqual([0, 5, 6]);
    expect(parse('0 0 * * sun').daysOfWeek.values()).toEqual([0]);
  });

  it('uses the Vixie OR rule only when both day fields are restricted', () => {
    expect(parse('0 0 1 * 1').dayOr).toBe(true);
    expect(parse('0 0 * * 1').dayOr).toBe(false);
    expect(parse('0 0 */2 * 1').dayOr).toBe(false);
    expect(parse('0 0 1 * *').dayOr).toBe(false);
  });

  it('expands @-shorthands', () => {
    const tab = parse('@daily');
    expect(tab.minutes.values()).toEqual([0]);
    expect(tab.hours.values()).toEqual([0]);
    expect(tab.source).toBe('@daily');
  });

  it('names the field, the offending text and the range', () => {
    expect(problems('61 * * * *')).toEqual(['cron.schedule: minute field "61" out of range 0-59']);
    expect(problems('0 24 * * *')).toEqual(['cron.schedule: hour field "24" out of range 0-23']);
    expect(problems('0 0 0 * *')).toEqual(['cron.schedule: day-of-month field "0" out of range 1-31']);
    expect(problems('0 0 * 13 *')).toEqual(['cron.schedule: month field "13" out of range 1-12']);
    expect(problems('0 0 * * 8')).toEqual(['cron.schedule: day-of-week field "8" out of range 0-7']);
  });

  it('reports every bad field, not just the first', () => {
    expect(problems('61 25 * * *')).toHaveLength(2);
  });

  it('rejects malformed expressions with a reason', () => {
    expect(problems('* * * *')[0]).toContain('has 4 fields; expected 5');
    expect(problems('* * * * * *')[0]).toContain('has 6 fields');
    expect(problems('*/0 * * * *')[0]).toContain('step "0" must be a whole number ≥ 1');
    expect(problems('30-10 * * * *')[0]).toContain('range 30-10 runs backwards');
    expect(problems('1,,2 * * * *')[0]).toContain('empty list element');
    expect(problems('0 0 * foo *')[0]).toContain('month field "foo" is not a number 1-12 or a name');
    expect(problems('x * * * *')[0]).toContain('minute field "x" is not a number 0-59');
    expect(problems('@often')[0]).toContain('unknown shorthand "@often"');
    expect(problems('')[0]).toContain('has 0 fields');
  });

  it('rejects schedules that can never fire', () => {
    expect(problems('0 0 30 2 *')[0]).toContain('never fires');
    expect(problems('0 0 31 4,6 *')[0]).toContain('never fires');
    // February 29th exists, and with a weekday restriction the OR rule makes it fire anyway.
    expect(problems('0 0 29 2 *')).toEqual([]);
    expect(problems('0 0 30 2 1')).toEqual([]);
  });

  it('uses the given path', () => {
    const r = parseCrontab('99 * * * *', 'jobs[1].cron.schedule');
    expect(r.ok || r.problems[0]?.path).toBe('jobs[1].cron.schedule');
  });
});
