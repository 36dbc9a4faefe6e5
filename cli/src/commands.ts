import {
  devClusterCommand,
  emulatorCommands,
  schedulerCommands,
  storeCommands,
  userCommands,
} from '@borealis/prod';
import { simCommands } from '@borealis/sim';
import { traceCommand } from '@borealis/traces';
import { vizCommand } from '@borealis/visualizer/node';
import { completionCommand } from './completion-command.js';
import { parseBindings } from './config/bindings.js';
import { configCommands } from './config/command.js';
import { formatFileProblem, loadJobFile } from './config/load.js';
import { policiesCommand } from './policies-command.js';
import type { CommandModule } from './program.js';

/** Every package's commands, in the order `borealis --help` lists them. */
export const commandModules: readonly CommandModule[] = [
  configCommands,
  traceCommand,
  simCommands,
  policiesCommand,
  vizCommand,
  completionCommand,
  schedulerCommands,
  devClusterCommand,
  emulatorCommands,
  userCommands({ files: { loadJobFile, formatFileProblem, parseBindings } }),
  storeCommands,
];
