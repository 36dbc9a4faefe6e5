import type { Command } from 'commander';

/** `borealis trace import FORMAT …`: one subcommand per source format. */
export function registerImportCommands(trace: Command): void {
  trace.command('import').description('Convert a public trace into trace format v1');
}
