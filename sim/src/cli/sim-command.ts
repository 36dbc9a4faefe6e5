import type { Command } from 'commander';
import { registerCompare } from './compare-command.js';
import { registerPlan } from './plan-command.js';
import { registerRun } from './run-command.js';

/** A CLI command module (same shape as cli/src/program.ts's CommandModule, declared here to avoid a cycle). */
export type CommandModule = (program: Command) => void;

/** `borealis sim run|compare|plan`. */
export const simCommands: CommandModule = (program) => {
  const sim = program.command('sim').description('simulate workload traces through the scheduling core');
  registerRun(sim);
  registerCompare(sim);
  registerPlan(sim);
};
