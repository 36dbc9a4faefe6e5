import { Command } from 'commander';
import { addExamples } from './help-examples.js';
import { version } from './version.js';

/**
 * A package that owns commands registers them here. Each module adds its own subcommand tree
 * (`sim`, `trace`, `config`, ...) to the root program.
 */
export type CommandModule = (program: Command) => void;

export function buildProgram(modules: readonly CommandModule[]): Command {
  const program = new Command('borealis')
    .description('Borealis: a simulation-first service scheduler in the line of Apache Aurora')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)');
  for (const register of modules) register(program);
  // Every subcommand inherits strictness: unknown options and excess arguments are errors.
  const harden = (cmd: Command): void => {
    cmd.allowUnknownOption(false).allowExcessArguments(false);
    cmd.commands.forEach(harden);
  };
  harden(program);
  addExamples(program);
  return program;
}
