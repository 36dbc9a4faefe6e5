import { UserError } from '@borealis/core';
import { CommanderError } from 'commander';
import { commandModules } from './commands.js';
import { buildProgram } from './program.js';

/** Runs the CLI and returns the process exit code. User mistakes print a message, never a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(commandModules);
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command that finished with a verdict (plan without an answer, audit violations) set it.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; commander already printed the message for usage errors
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`borealis: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
