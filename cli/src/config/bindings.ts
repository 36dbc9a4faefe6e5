import { checkBindings, formatProblems, UserError } from '@borealis/core';

/** Parses repeated `--bind key=value` flags into a bindings map; bad ones are a UserError. */
export function parseBindings(flags: readonly string[]): Record<string, string> {
  const bindings: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UserError(`--bind "${flag}": expected key=value`);
    const key = flag.slice(0, eq);
    if (Object.hasOwn(bindings, key)) throw new UserError(`--bind: "${key}" is bound twice`);
    bindings[key] = flag.slice(eq + 1);
  }
  const problems = checkBindings(bindings, '--bind');
  if (problems.length > 0) throw new UserError(formatProblems(problems));
  return bindings;
}

/** commander accumulator for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
