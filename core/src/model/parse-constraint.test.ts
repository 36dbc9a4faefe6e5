import { describe, expect, it } from 'vitest';
import { formatConstraint, parseConstraint, parseConstraints } from './parse-constraint.js';

describe('parseConstraint', () => {
  it('parses values, lists, negation and limits', () => {
    expect(parseConstraint('zone', 'a', 'c')).toEqual({
      ok: true,
      value: { attribute: 'zone', kind: 'value', values: ['a'], negated: false },
    });
    expect(parseConstraint('zone', '!a,b', 'c')).toEqual({
      ok: true,
      value: { attribute: 'zone', kind: 'value', values: ['a', 'b'], negated: true },
    });
    expect(parseConstraint('host', 'limit:2', 'c')).toEqual({
      ok: true,
      value: { attribute: 'host', kind: 'limit', limit: 2 },
    });
  });

  it('accepts dedicated role/name and */name', () => {
    expect(parseConstraint('dedicated', 'www/web', 'c').ok).toBe(true);
    expect(parseConstraint('dedicated', '*/gpu', 'c').ok).toBe(true);
  });

  it('rejects bad expressions with the path', () => {
    for (const [attr, expr] of [
      ['host', 'limit:0'],
      ['host', 'limit:x'],
      ['zone', 'a,,b'],
      ['dedicated', 'web'],
      ['dedicated', '!www/web'],
      ['bad attr', 'a'],
    ] as const) {
      const r = parseConstraint(attr, expr, 'job.constraints');
      expect(r.ok, `${attr}=${expr}`).toBe(false);
      if (!r.ok) expect(r.problems[0]?.path).toBe('job.constraints');
    }
  });

  it('round-trips through formatConstraint', () => {
    for (const expr of ['a', 'a,b', '!a', '!a,b', 'limit:3']) {
      const r = parseConstraint('x', expr, 'c');
      expect(r.ok && formatConstraint(r.value)).toBe(expr);
    }
  });

  it('collects problems from every attribute of a map', () => {
    const r = parseConstraints({ host: 'limit:0', zone: '' }, 'task.constraints');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.path)).toEqual(['task.constraints.host', 'task.constraints.zone']);
  });
});
