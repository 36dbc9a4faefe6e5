import { type Constraint, DEDICATED_ATTRIBUTE } from './constraint.js';
import { IDENTIFIER } from './job-key.js';
import { failMany, ok, type Problem, type Result } from './result.js';

const LIMIT = /^limit:(\d+)$/;

/**
 * Parses one constraint written in Aurora's grammar: `a`, `a,b`, `!a`, `!a,b`, `limit:N`.
 * A `dedicated` constraint must name `role/name` or `*` + `/name`.
 */
export function parseConstraint(attribute: string, expression: string, path: string): Result<Constraint> {
  const problems: Problem[] = [];
  if (!IDENTIFIER.test(attribute)) {
    problems.push({ path, message: `attribute name "${attribute}" is not a valid identifier` });
  }
  const text = expression.trim();
  const limit = LIMIT.exec(text);
  if (limit) {
    const n = Number(limit[1]);
    if (n < 1) problems.push({ path, message: `"${text}": limit must be at least 1` });
    if (attribute === DEDICATED_ATTRIBUTE)
      problems.push({ path, message: 'dedicated cannot be a limit constraint' });
    return problems.length ? failMany(problems) : ok({ attribute, kind: 'limit', limit: n });
  }
  if (text.startsWith('limit')) {
    return failMany([{ path, message: `"${text}" is not a valid limit (expected limit:N with N ≥ 1)` }]);
  }
  const negated = text.startsWith('!');
  const values = (negated ? text.slice(1) : text).split(',').map((v) => v.trim());
  if (values.some((v) => v.length === 0)) {
    problems.push({ path, message: `"${expression}" has an empty value (expected a, a,b, !a or limit:N)` });
  }
  if (attribute === DEDICATED_ATTRIBUTE) {
    if (negated) problems.push({ path, message: 'dedicated cannot be negated' });
    for (const v of values) {
      if (!/^([\w\-.]+|\*)\/[\w\-.]+$/.test(v)) {
        problems.push({ path, message: `dedicated value "${v}" must be role/name or */name` });
      }
    }
  }
  return problems.length ? failMany(problems) : ok({ attribute, kind: 'value', values, negated });
}

/** Parses a `{ attribute: expression }` map; problems are reported at `path.attribute`. */
export function parseConstraints(
  map: Readonly<Record<string, string>>,
  path = 'constraints',
): Result<Constraint[]> {
  const out: Constraint[] = [];
  const problems: Problem[] = [];
  for (const [attribute, expression] of Object.entries(map)) {
    const r = parseConstraint(attribute, expression, `${path}.${attribute}`);
    if (r.ok) out.push(r.value);
    else problems.push(...r.problems);
  }
  return problems.length ? failMany(problems) : ok(out);
}

/** The inverse of parseConstraint, for display and round-trips. */
export function formatConstraint(c: Constraint): string {
  if (c.kind === 'limit') return `limit:${c.limit}`;
  return `${c.negated ? '!' : ''}${c.values.join(',')}`;
}
