import { traceCommand } from '@borealis/traces';
import type { CommandModule } from './program.js';

/** Every package's commands, in the order `borealis --help` lists them. */
export const commandModules: readonly CommandModule[] = [traceCommand];
