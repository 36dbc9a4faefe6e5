import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type AgentShape, type AttributeRule, parseAgentShape, parseAttributes } from './agent-shape.js';
import { DEFAULT_BEHAVIOUR, readBehaviour, type TaskBehaviour } from './behaviour.js';
import { type ChaosOptions, parseChaos } from './chaos.js';
import { Control } from './control.js';
import { createHttpServer, type Leadership } from './http-server.js';
import { DEFAULT_MASTER_OPTIONS, type LaunchRecord, Master } from './master.js';
import { ProcessRunner } from './processes.js';
import { ALWAYS_LEADER, parseZkUrl, ZooKeeperContender } from './zookeeper.js';

export interface EmulatorOptions {
  /** Virtual agents (default 10). */
  agents?: number;
  /** `cpus=8,mem=32768,disk=262144,gpus=0,ports=31000-32000` or the parsed shape. */
  agentShape?: string | AgentShape;
  /** `rack=r%02d:20,zone=z%d:20:3` or parsed rules (default: rack per 20 agents, 3 zones). */
  attributes?: string | AttributeRule[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** `zk://127.0.0.1:2181/mesos`: register in ZooKeeper and lead only with the lowest sequence. */
  zk?: string;
  zkSessionTimeoutMs?: number;
  chaos?: string | ChaosOptions;
  /** Run each command task as a real local process in a sandbox under workDir. */
  realProcesses?: boolean;
  workDir?: string;
  heartbeatIntervalMs?: number;
  allocationIntervalMs?: number;
  updateRetryMs?: number;
  updateRetryMaxMs?: number;
  behaviour?: Partial<TaskBehaviour>;
  completedTasksLimit?: number;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly masterId: string;
  /** Every launch the master accepted, in order. */
  readonly launches: readonly LaunchRecord[];
  readonly workDir: string | null;
  isLeader(): boolean;
  /** The command of a live task exits with this code (0 = FINISHED). */
  finishTask(taskId: string): void;
  failTask(taskId: string, code?: number): void;
  setTaskHealth(taskId: string, healthy: boolean): void;
  loseAgent(agent: string): void;
  restoreAgent(agent: string): void;
  drainAgent(agent: string): void;
  reactivateAgent(agent: string): void;
  /** Default behaviour of tasks launched from now on, or of one live task. */
  setBehaviour(behaviour: Partial<TaskBehaviour>, taskId?: string): void;
  /** Agent ids in index order. */
  agentIds(): readonly string[];
  summary(): unknown;
  stop(): Promise<void>;
  /** The model behind it, for white-box tests and benchmarks. */
  readonly master: Master;
}

function orThrow<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** Starts a Mesos master look-alike on 127.0.0.1 and resolves once it serves (and, with zk, has registered). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const agents = options.agents ?? 10;
  if (!Number.isInteger(agents) || agents < 1)
    throw new Error(`--agents must be a positive whole number, not ${agents}`);
  const shape =
    typeof options.agentShape === 'object'
      ? options.agentShape
      : orThrow(parseAgentShape(options.agentShape));
  const attributes =
    typeof options.attributes === 'object'
      ? options.attributes
      : orThrow(parseAttributes(options.attributes));
  const chaos = typeof options.chaos === 'object' ? options.chaos : orThrow(parseChaos(options.chaos));
  const behaviour = {
    ...DEFAULT_BEHAVIOUR,
    ...(options.behaviour ? orThrow(readBehaviour(options.behaviour)) : {}),
  };
  const zk = options.zk ? parseZkUrl(options.zk) : null;
  if (typeof zk === 'string') throw new Error(zk);
  const realProcesses = options.realProcesses ?? false;
  const ownWorkDir = realProcesses && !options.workDir;
  const workDir = realProcesses
    ? resolve(options.workDir ?? mkdtempSync(join(tmpdir(), 'borealis-emulator-')))
    : null;
  if (workDir) mkdirSync(workDir, { recursive: true });

  const master = new Master({
    ...DEFAULT_MASTER_OPTIONS,
    agents,
    shape,
    attributes,
    chaos,
    behaviour,
    realProcesses,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_MASTER_OPTIONS.heartbeatIntervalMs,
    allocationIntervalMs: options.allocationIntervalMs ?? DEFAULT_MASTER_OPTIONS.allocationIntervalMs,
    updateRetryMs: options.updateRetryMs ?? DEFAULT_MASTER_OPTIONS.updateRetryMs,
    updateRetryMaxMs: options.updateRetryMaxMs ?? DEFAULT_MASTER_OPTIONS.updateRetryMaxMs,
    completedTasksLimit: options.completedTasksLimit ?? DEFAULT_MASTER_OPTIONS.completedTasksLimit,
    ...(zk ? { agentIdPrefix: clusterId(zk.connect, zk.path) } : {}),
  });
  if (workDir) master.processes = new ProcessRunner(master, workDir);
  const control = new Control(master);
  let leadership: Leadership = ALWAYS_LEADER;
  let contender: ZooKeeperContender | null = null;
  if (zk) {
    contender = new ZooKeeperContender(zk.connect, zk.path, () => master.info, options.zkSessionTimeoutMs);
    leadership = contender;
  }
  const server = createHttpServer(master, control, leadership, workDir);
  const port = await listen(server, options.port ?? 0);
  master.setPort(port);
  master.start();
  if (contender) {
    try {
      await contender.start();
    } catch (e) {
      master.stop();
      await closeServer(server);
      throw e;
    }
  }
  const check = (error: string | null): void => {
    if (error) throw new Error(error);
  };
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    masterId: master.id,
    launches: master.launches,
    workDir,
    master,
    isLeader: () => leadership.isLeader(),
    finishTask: (id) => check(control.exitTask(id, 0)),
    failTask: (id, code = 1) => check(control.exitTask(id, code === 0 ? 1 : code)),
    setTaskHealth: (id, healthy) => check(control.setHealth(id, healthy)),
    loseAgent: (a) => check(control.agentAction(a, 'lose')),
    restoreAgent: (a) => check(control.agentAction(a, 'restore')),
    drainAgent: (a) => check(control.agentAction(a, 'drain')),
    reactivateAgent: (a) => check(control.agentAction(a, 'reactivate')),
    setBehaviour: (b, taskId) => check(control.setBehaviour(b, taskId)),
    agentIds: () => master.agents.ids,
    summary: () => control.summary(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await contender?.stop();
      master.stop();
      await closeServer(server);
      if (ownWorkDir && workDir) rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A uuid-shaped id from the ZooKeeper address: the same for every instance of one cluster. */
function clusterId(connect: string, path: string): string {
  const h = createHash('sha1').update(`${connect}${path}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
