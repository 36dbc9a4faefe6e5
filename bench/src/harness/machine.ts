import os from 'node:os';

/** The machine a result was measured on. Figures are only comparable on the same machine. */
export type MachineInfo = {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryMb: number;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  /** 1-minute load average when the suite started: a busy machine gives noisy figures. */
  readonly loadAverage1m: number;
  /** Node's command-line flags for the run (e.g. the young-generation size the CLI also uses). */
  readonly nodeFlags: string;
};

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    nodeFlags: process.execArgv.join(' '),
  };
}
