import { POLICIES, type PolicyInfo } from '@borealis/core';
import type { Command } from 'commander';

/** `borealis policies`: the placement policies, what each does, and which is the default. */
export function policiesCommand(program: Command): void {
  program
    .command('policies')
    .description('list the placement policies and what they do (the default is marked)')
    .option('--json', 'print them as JSON: [{name, default, randomized, description}]')
    .action((opts: { json?: boolean }) => {
      process.stdout.write(opts.json ? `${policiesJson(POLICIES)}\n` : formatPolicies(POLICIES));
    });
}

export function policiesJson(policies: readonly PolicyInfo[]): string {
  return JSON.stringify(
    policies.map((p) => ({
      name: p.name,
      default: p.isDefault,
      randomized: p.randomized,
      description: p.description,
    })),
    null,
    2,
  );
}

/** Name (and "(default)") on one line, the description wrapped and indented under it. */
export function formatPolicies(policies: readonly PolicyInfo[], width = 88): string {
  const blocks = policies.map((p) => {
    const head = `${p.name}${p.isDefault ? ' (default)' : ''}${p.randomized ? ' [seeded]' : ''}`;
    return `${head}\n${wrap(p.description, width - 2)
      .map((l) => `  ${l}`)
      .join('\n')}\n`;
  });
  return `${blocks.join('\n')}\nUse one with --policy NAME (sim run, sim compare).\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
