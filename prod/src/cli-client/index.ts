import type { Command } from 'commander';
import { type CliIo, processIo, type UserCommandDeps } from './context.js';
import { cronCommands } from './cron-commands.js';
import { jobCommands } from './job-commands.js';
import { adminCommands, quotaCommands } from './operator-commands.js';
import { taskCommands } from './task-commands.js';
import { updateCommands } from './update-commands.js';

export type { CliIo, JobFiles, UserCommandDeps } from './context.js';
export { EXIT } from './exit-codes.js';

/**
 * The user commands in Aurora's noun-verb form (`borealis job create west/www/prod/web web.ts`),
 * talking to a scheduler's /api/v1. The cli package hands in its job file loader.
 */
export function userCommands(deps: UserCommandDeps): (program: Command) => void {
  return (program) => {
    const io: CliIo = deps.io ?? processIo();
    jobCommands(program, deps.files, io);
    updateCommands(program, deps.files, io);
    cronCommands(program, deps.files, io);
    taskCommands(program, io);
    quotaCommands(program, io);
    adminCommands(program, io);
  };
}
