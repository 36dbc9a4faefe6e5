import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandModules } from './commands.js';
import { commandPath, EXAMPLES } from './help-examples.js';
import { buildProgram } from './program.js';

function leaves(cmd: Command): Command[] {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  return subs.length === 0 ? [cmd] : subs.flatMap(leaves);
}

describe('--help examples', () => {
  const program = buildProgram(commandModules);

  it('every command that runs something shows examples in its --help', () => {
    const missing = leaves(program)
      .map(commandPath)
      .filter((p) => EXAMPLES[p] === undefined);
    expect(missing).toEqual([]);
  });

  it('the examples name real flags of their command', () => {
    for (const leaf of leaves(program)) {
      const flags = new Set(leaf.options.flatMap((o) => [o.long, o.short]));
      for (const line of EXAMPLES[commandPath(leaf)] ?? []) {
        for (const flag of line.match(/(?<=\s)--?[a-z][\w-]*/g) ?? []) {
          expect(flags.has(flag), `${commandPath(leaf)}: ${flag} in "${line}"`).toBe(true);
        }
      }
    }
  });
});
