/**
 * The Mesos master emulator: `startEmulator()` runs it in-process; `borealis mesos emulate` runs it
 * from the command line (cli.ts). See README.md for what it models.
 */
export { type AgentShape, type AttributeRule, parseAgentShape, parseAttributes } from './agent-shape.js';
export { DEFAULT_BEHAVIOUR, type TaskBehaviour } from './behaviour.js';
export { emulatorRoundTripRows } from './bench-round-trips.js';
export { type ChaosOptions, parseChaos } from './chaos.js';
export { type Emulator, type EmulatorOptions, startEmulator } from './emulator.js';
export type { LaunchRecord } from './master.js';
