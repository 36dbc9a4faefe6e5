import { UserError } from '@borealis/core';
import { CommanderError } from 'commander';
import { commandModules } from './commands.js';
import { buildProgram } from './program.js';
import { describeSystemError, isSystemError } from './system-error.js';

/**
 * A closed pipe on stdout (`borealis … | head`) surfaces as an 'error' event, outside any await:
 * say so in one line and stop, rather than crash with a stack trace.
 */
let pipeWatched = false;
function exitQuietlyOnClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.stderr.write(
      `borealis: ${describeSystemError(err as Parameters<typeof describeSystemError>[0])}\n`,
    );
    process.exit(1);
  });
}

/** Runs the CLI and returns the process exit code. User mistakes print a message, never a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const program = buildProgram(commandModules);
  // Every subcommand too: commander's own usage errors (a missing required option, an unknown
  // one) then come back here as CommanderErrors and exit 2, instead of process.exit(1) inside.
  const override = (cmd: typeof program): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeErr: (s) => process.stderr.write(s) });
    cmd.commands.forEach(override);
  };
  override(program);
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
    if (isSystemError(err)) {
      process.stderr.write(`borealis: ${describeSystemError(err)}\n`);
      return 1;
    }
    throw err;
  }
}
