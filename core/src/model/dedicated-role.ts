import { type Constraint, DEDICATED_ATTRIBUTE } from './constraint.js';
import type { Problem } from './result.js';

/**
 * Aurora's submit-time rule for dedicated hosts (ConfigurationManager): a `dedicated` constraint
 * has exactly one value, and its role (before the `/`) is the job's own role or `*` (hosts shared
 * by every role). A job naming another role's hosts is rejected outright, with Aurora's message,
 * rather than accepted and left pending for ever.
 */
export function dedicatedRoleProblems(
  role: string,
  constraints: readonly Constraint[],
  path: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const c of constraints) {
    if (c.attribute !== DEDICATED_ATTRIBUTE || c.kind !== 'value') continue;
    if (c.values.length !== 1) {
      problems.push({
        path,
        message: `a dedicated constraint must have exactly one value, got ${c.values.join(',')}`,
      });
      continue;
    }
    const value = c.values[0]!;
    const owner = value.slice(0, value.indexOf('/'));
    if (owner !== '*' && owner !== role) {
      problems.push({
        path,
        message: `only ${owner} may use hosts dedicated for that role ("${value}"); the job's role is ${role}`,
      });
    }
  }
  return problems;
}
