import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '@borealis/core';
import type { Command } from 'commander';
import { serveFolder } from './serve.js';

/** Same shape as the CLI's CommandModule (declared here to avoid a dependency cycle). */
type CommandModule = (program: Command) => void;

export const DEFAULT_VIZ_PORT = 4173;

/** `borealis viz DIR [--port N]`: serve a run or compare folder until interrupted. */
export const vizCommand: CommandModule = (program) => {
  program
    .command('viz')
    .description('Serve a run or `sim compare` output folder in the browser (for runs too large to inline)')
    .argument('<dir>', 'a run folder (summary.json, ...) or a compare folder (comparison.json)')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', String(DEFAULT_VIZ_PORT))
    .action(async (dirArg: string, opts: { port: string }) => {
      const dir = resolve(dirArg);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UserError(`--port must be an integer from 0 to 65535, got "${opts.port}"`, 2);
      }
      if (!(await isFile(join(dir, 'summary.json'))) && !(await isFile(join(dir, 'comparison.json')))) {
        throw new UserError(
          `${dirArg} is not a run folder (no summary.json) or a compare folder (no comparison.json)`,
        );
      }
      const server = await serveFolder(dir, { port }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE')
          throw new UserError(`port ${port} is in use; pass --port N (or 0 for any free port)`);
        throw err;
      });
      process.stdout.write(`borealis viz: serving ${dirArg} at ${server.url}\n(press Ctrl-C to stop)\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
