import type { TaskConfig } from '../model/task-config.js';

const canonical = new WeakMap<TaskConfig, string>();

/**
 * Whether two task configs describe the same task. Configs are shared by reference between the
 * tasks of one job, so the common case is one comparison; otherwise a canonical JSON form (keys
 * sorted) is compared, computed once per config object.
 */
export function sameTaskConfig(a: TaskConfig, b: TaskConfig): boolean {
  return a === b || canonicalForm(a) === canonicalForm(b);
}

function canonicalForm(c: TaskConfig): string {
  let s = canonical.get(c);
  if (s === undefined) {
    s = JSON.stringify(c, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
        : value,
    );
    canonical.set(c, s);
  }
  return s;
}
