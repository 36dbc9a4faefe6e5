import { UserError } from '@borealis/core';
import type { Command } from 'commander';
import { type Emulator, startEmulator } from './emulator.js';

interface EmulateOptions {
  agents: string;
  agentShape?: string;
  attributes?: string;
  port: string;
  zk?: string;
  chaos?: string;
  realProcesses?: boolean;
  workDir?: string;
  heartbeatInterval: string;
  allocationInterval: string;
}

function number(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min)
    throw new UserError(`${flag} must be a number of at least ${min}, not '${text}'`);
  return n;
}

/** The `mesos` command group, shared with other packages' mesos subcommands. */
function mesosGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'mesos') ??
    program.command('mesos').description('Apache Mesos: the scheduler client and the master emulator')
  );
}

/**
 * `borealis mesos emulate`: a Mesos master look-alike in front of N virtual agents on 127.0.0.1;
 * prints its URL on one line when it serves, runs until SIGINT/SIGTERM.
 * `borealis mesos control ...`: scripts a running emulator through its control endpoint.
 */
export function emulatorCommands(program: Command): void {
  const mesos = mesosGroup(program);
  mesos
    .command('emulate')
    .description('run a Mesos master emulator with N virtual agents on 127.0.0.1 (prints its URL when ready)')
    .option('--agents <n>', 'number of virtual agents', '10')
    .option(
      '--agent-shape <spec>',
      'resources per agent: cpus=8,mem=32768,disk=262144,gpus=0,ports=31000-32000',
    )
    .option(
      '--attributes <spec>',
      'agent attributes: name=pattern[:per[:mod]], e.g. rack=r%02d:20,zone=z%d:20:3',
    )
    .option('--port <port>', 'HTTP port (0 picks a free one)', '5050')
    .option('--zk <url>', 'register in ZooKeeper as Mesos masters do: zk://127.0.0.1:2181/mesos')
    .option('--chaos <spec>', 'faults: duplicates=P,late=P,drop-streams=MS,stop-heartbeats=MS,seed=N')
    .option('--real-processes', 'run command tasks as local processes in sandboxes under --work-dir')
    .option('--work-dir <dir>', 'sandboxes for --real-processes (default: a temporary directory)')
    .option('--heartbeat-interval <seconds>', 'seconds between HEARTBEAT events', '15')
    .option('--allocation-interval <seconds>', 'seconds between allocation rounds', '1')
    .action(async (opts: EmulateOptions) => {
      let emulator: Emulator;
      try {
        emulator = await startEmulator({
          agents: number(opts.agents, '--agents', 1),
          ...(opts.agentShape ? { agentShape: opts.agentShape } : {}),
          ...(opts.attributes ? { attributes: opts.attributes } : {}),
          port: number(opts.port, '--port', 0),
          ...(opts.zk ? { zk: opts.zk } : {}),
          ...(opts.chaos ? { chaos: opts.chaos } : {}),
          realProcesses: opts.realProcesses ?? false,
          ...(opts.workDir ? { workDir: opts.workDir } : {}),
          heartbeatIntervalMs: number(opts.heartbeatInterval, '--heartbeat-interval', 0.001) * 1000,
          allocationIntervalMs: number(opts.allocationInterval, '--allocation-interval', 0.001) * 1000,
        });
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`mesos emulate: ${e instanceof Error ? e.message : String(e)}`);
      }
      process.stdout.write(`${emulator.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void emulator.stop().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });

  const control = mesos
    .command('control')
    .description('script a running emulator: tasks finish/fail/turn unhealthy, agents lose/restore/drain')
    .option('--master <url>', 'the emulator', 'http://127.0.0.1:5050');
  const masterOf = (cmd: Command): string => (cmd.optsWithGlobals() as { master: string }).master;
  control
    .command('task')
    .description('make a live task finish, fail (exit code, default 1), or turn unhealthy / healthy')
    .argument('<action>', 'finish | fail | unhealthy | healthy')
    .argument('<task-id>')
    .option('--code <n>', 'exit code for fail', '1')
    .action(async (action: string, taskId: string, opts: { code: string }, cmd: Command) => {
      if (!['finish', 'fail', 'unhealthy', 'healthy'].includes(action)) {
        throw new UserError(
          `mesos control task: unknown action '${action}' (finish, fail, unhealthy, healthy)`,
        );
      }
      await send(masterOf(cmd), `/emulator/v1/tasks/${action}`, { task_id: taskId, code: Number(opts.code) });
    });
  control
    .command('agent')
    .description('lose, restore, drain or reactivate an agent (by id or hostname)')
    .argument('<action>', 'lose | restore | drain | reactivate')
    .argument('<agent>')
    .action(async (action: string, agent: string, _opts: unknown, cmd: Command) => {
      if (!['lose', 'restore', 'drain', 'reactivate'].includes(action)) {
        throw new UserError(
          `mesos control agent: unknown action '${action}' (lose, restore, drain, reactivate)`,
        );
      }
      await send(masterOf(cmd), `/emulator/v1/agents/${action}`, { agent });
    });
  control
    .command('behaviour')
    .description(
      'set how new tasks behave (or one task with --task): JSON such as {"runForMs":5000,"outcome":"failed"}',
    )
    .argument('<json>')
    .option('--task <id>', 'change one live task instead of the default')
    .action(async (json: string, opts: { task?: string }, cmd: Command) => {
      let behaviour: unknown;
      try {
        behaviour = JSON.parse(json);
      } catch {
        throw new UserError(`mesos control behaviour: '${json}' is not JSON`);
      }
      await send(masterOf(cmd), '/emulator/v1/behaviour', {
        behaviour,
        ...(opts.task ? { task_id: opts.task } : {}),
      });
    });
  control
    .command('summary')
    .description('print the emulator summary (frameworks, tasks, offers, counters) as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const r = await fetchOrExplain(`${masterOf(cmd)}/emulator/v1/summary`, { method: 'GET' });
      process.stdout.write(`${await r.text()}\n`);
    });
}

async function fetchOrExplain(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    throw new UserError(`mesos control: cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function send(master: string, path: string, body: unknown): Promise<void> {
  const r = await fetchOrExplain(`${master}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 200) throw new UserError(`mesos control: ${await r.text()}`);
}
