import { randomUUID } from 'node:crypto';
import type { AgentShape, AttributeRule } from './agent-shape.js';
import { AgentTable, type Amounts, toResources } from './agents.js';
import { Allocator } from './allocator.js';
import { DEFAULT_BEHAVIOUR, type TaskBehaviour } from './behaviour.js';
import { Chaos, type ChaosOptions, NO_CHAOS } from './chaos.js';
import { executorKey } from './launch.js';
import { Maintenance } from './maintenance.js';
import { type Executor, type Framework, isTerminal, type Stream, type Task } from './model.js';
import type { ProcessRunner } from './processes.js';
import { Scheduler } from './scheduler-calls.js';
import type {
  EventShape,
  ExecutorShape,
  MasterInfoShape,
  Resource,
  TaskInfoShape,
  TaskStatusShape,
} from './shapes.js';
import { TaskLifecycle, type UpdateFields } from './task-lifecycle.js';
import { Timers } from './timers.js';

export interface MasterOptions {
  agents: number;
  shape: AgentShape;
  attributes: readonly AttributeRule[];
  allocationIntervalMs: number;
  heartbeatIntervalMs: number;
  updateRetryMs: number;
  updateRetryMaxMs: number;
  behaviour: TaskBehaviour;
  chaos: ChaosOptions;
  /** Completed tasks kept per framework for GET_TASKS / state. */
  completedTasksLimit: number;
  realProcesses: boolean;
  /** Agent ids are `<prefix>-S<i>`; instances sharing a ZooKeeper path share it, so agents keep
   * their ids across a leader change as real agents do. Default: this master's id. */
  agentIdPrefix?: string;
}

export const DEFAULT_MASTER_OPTIONS: MasterOptions = {
  agents: 10,
  shape: { cpus: 8, mem: 32768, disk: 262144, gpus: 0, portsBegin: 31000, portsEnd: 32000 },
  attributes: [],
  allocationIntervalMs: 1000,
  heartbeatIntervalMs: 15_000,
  updateRetryMs: 10_000,
  updateRetryMaxMs: 600_000,
  behaviour: DEFAULT_BEHAVIOUR,
  chaos: NO_CHAOS,
  completedTasksLimit: 1000,
  realProcesses: false,
};

/** One accepted launch, for tests and benchmarks that check what the emulator was asked to run. */
export interface LaunchRecord {
  frameworkId: string;
  taskId: string;
  agentId: string;
  hostname: string;
  resources: Resource[];
  at: number;
}

/**
 * The master's state and the operations on it: frameworks and their streams, agents, offers, tasks,
 * executors. HTTP, ZooKeeper and processes live elsewhere; this class never touches a socket.
 */
export class Master {
  readonly id = randomUUID();
  readonly timers = new Timers();
  readonly agents: AgentTable;
  readonly allocator: Allocator;
  readonly lifecycle: TaskLifecycle;
  readonly maintenance: Maintenance;
  readonly scheduler: Scheduler;
  readonly chaos: Chaos;
  readonly frameworks = new Map<string, Framework>();
  /** Removed frameworks (teardown, failover timeout): they may not subscribe again. */
  readonly removedFrameworks = new Map<string, Framework>();
  readonly executors = new Map<string, Executor>();
  readonly agentTasks: (Set<Task> | undefined)[];
  readonly launches: LaunchRecord[] = [];
  readonly totalCpus: number;
  readonly totalMem: number;
  readonly startTime = Date.now() / 1000;
  processes: ProcessRunner | null = null;
  info: MasterInfoShape;
  private frameworkSeq = 0;
  readonly counters = { updates: 0, offers: 0, launched: 0, acknowledged: 0 };

  constructor(readonly options: MasterOptions) {
    this.agents = new AgentTable(
      options.agents,
      options.shape,
      options.attributes,
      options.agentIdPrefix ?? this.id,
      {
        localHostnames: options.realProcesses,
        splitPorts: options.realProcesses,
      },
    );
    this.agentTasks = new Array(options.agents);
    this.totalCpus = options.agents * options.shape.cpus;
    this.totalMem = options.agents * options.shape.mem;
    this.allocator = new Allocator(this);
    this.lifecycle = new TaskLifecycle(this);
    this.maintenance = new Maintenance(this);
    this.scheduler = new Scheduler(this);
    this.chaos = new Chaos(this, options.chaos);
    this.info = masterInfo(this.id, 0);
  }

  /** Called once the HTTP server has its port. */
  setPort(port: number): void {
    this.info = masterInfo(this.id, port);
  }

  start(): void {
    this.allocator.startTicking();
  }

  stop(): void {
    for (const f of this.frameworks.values()) {
      f.stream?.close();
      f.stream = null;
      for (const task of f.tasks.values()) this.lifecycle.forget(task);
    }
    this.allocator.stop();
    this.timers.stop();
    this.processes?.stopAll();
  }

  newFramework(info: import('./shapes.js').FrameworkInfo, id?: string): Framework {
    const fid = id ?? `${this.id}-${String(this.frameworkSeq++).padStart(4, '0')}`;
    const f: Framework = {
      id: fid,
      info,
      role: '*',
      partitionAware: false,
      killingState: false,
      stream: null,
      failoverTimer: null,
      heartbeat: null,
      suppressed: false,
      filters: new Map(),
      inverseFilters: new Map(),
      offers: new Map(),
      inverseOffers: new Map(),
      tasks: new Map(),
      unreachable: new Map(),
      completed: [],
      executors: new Map(),
      allocatedCpus: 0,
      allocatedMem: 0,
      registeredTime: Date.now() / 1000,
      reregisteredTime: null,
    };
    this.applyInfo(f, info);
    this.frameworks.set(fid, f);
    return f;
  }

  applyInfo(f: Framework, info: import('./shapes.js').FrameworkInfo): void {
    const caps = new Set((info.capabilities ?? []).map((c) => c.type));
    f.info = { ...info, id: { value: f.id } };
    f.partitionAware = caps.has('PARTITION_AWARE');
    f.killingState = caps.has('TASK_KILLING_STATE');
    f.role = caps.has('MULTI_ROLE') ? (info.roles?.[0] ?? '*') : (info.role ?? '*');
  }

  send(f: Framework, event: EventShape): void {
    f.stream?.send(event);
  }

  sendUpdate(f: Framework, status: TaskStatusShape): void {
    if (!f.stream) return;
    this.counters.updates++;
    f.stream.send({ type: 'UPDATE', update: { status } });
  }

  /** A master-generated update: no uuid, never retried, not to be acknowledged. */
  masterUpdate(f: Framework, info: TaskInfoShape, state: string, fields: UpdateFields): void {
    const status: TaskStatusShape = {
      task_id: { value: info.task_id?.value ?? '' },
      state,
      source: fields.source ?? 'SOURCE_MASTER',
      timestamp: Date.now() / 1000,
    };
    if (info.agent_id) status.agent_id = info.agent_id;
    if (fields.reason) status.reason = fields.reason;
    if (fields.message) status.message = fields.message;
    if (fields.healthy !== undefined) status.healthy = fields.healthy;
    this.sendUpdate(f, status);
  }

  executorFor(
    f: Framework,
    agent: number,
    shape: ExecutorShape,
    amounts: Amounts,
    resources: Resource[],
  ): Executor {
    const key = executorKey(f, agent, shape.executor_id);
    const existing = this.executors.get(key);
    if (existing) return existing;
    const executor: Executor = {
      key,
      id: shape.executor_id.value,
      agent,
      framework: f,
      amounts,
      resources,
      tasks: new Set(),
      failed: false,
    };
    this.executors.set(key, executor);
    f.executors.set(key, executor);
    this.agents.take(agent, amounts);
    f.allocatedCpus += amounts.cpus;
    f.allocatedMem += amounts.mem;
    return executor;
  }

  executorExited(executor: Executor): void {
    if (this.executors.get(executor.key) !== executor) return;
    this.executors.delete(executor.key);
    executor.framework.executors.delete(executor.key);
    this.agents.give(executor.agent, executor.amounts);
    executor.framework.allocatedCpus -= executor.amounts.cpus;
    executor.framework.allocatedMem -= executor.amounts.mem;
    this.allocator.agentChanged(executor.agent);
    this.send(executor.framework, {
      type: 'FAILURE',
      failure: {
        agent_id: { value: this.agents.ids[executor.agent]! },
        executor_id: { value: executor.id },
        status: executor.failed ? 1 : 0,
      },
    });
  }

  launchTask(
    f: Framework,
    agent: number,
    info: TaskInfoShape,
    resources: Resource[],
    amounts: Amounts,
    executor: Executor | null,
  ): Task {
    const task: Task = {
      id: info.task_id.value,
      framework: f,
      agent,
      info,
      resources,
      amounts,
      executorId: executor ? executor.id : info.task_id.value,
      executor,
      state: 'TASK_STAGING',
      latest: null,
      healthy: undefined,
      pending: [],
      retry: null,
      retryDelayMs: this.options.updateRetryMs,
      timer: null,
      behaviour: { ...this.options.behaviour },
      killRequested: false,
      resourcesReleased: false,
      healthFailures: 0,
      process: null,
      launchedAt: Date.now() / 1000,
    };
    this.agents.take(agent, amounts);
    f.allocatedCpus += amounts.cpus;
    f.allocatedMem += amounts.mem;
    f.tasks.set(task.id, task);
    executor?.tasks.add(task);
    let set = this.agentTasks[agent];
    if (!set) this.agentTasks[agent] = set = new Set();
    set.add(task);
    this.counters.launched++;
    this.launches.push({
      frameworkId: f.id,
      taskId: task.id,
      agentId: this.agents.ids[agent]!,
      hostname: this.agents.hostnames[agent]!,
      resources,
      at: Date.now(),
    });
    this.lifecycle.start(task);
    return task;
  }

  /** Gives a task's resources back (it reached a terminal state, or its agent or framework is gone). */
  releaseTask(task: Task): void {
    if (task.resourcesReleased) return;
    task.resourcesReleased = true;
    this.agents.give(task.agent, task.amounts);
    task.framework.allocatedCpus -= task.amounts.cpus;
    task.framework.allocatedMem -= task.amounts.mem;
    this.allocator.agentChanged(task.agent);
  }

  /** The task's terminal update was acknowledged (or it is dropped): it becomes a completed task. */
  removeTask(task: Task): void {
    const f = task.framework;
    this.releaseTask(task);
    if (f.tasks.get(task.id) === task) f.tasks.delete(task.id);
    this.agentTasks[task.agent]?.delete(task);
    f.completed.push(task);
    if (f.completed.length > this.options.completedTasksLimit) f.completed.shift();
    if (task.executor) {
      task.executor.tasks.delete(task);
    }
  }

  /** Ends every task on agent i from the master's side (agent lost, gone, or down for maintenance). */
  endAgentTasks(i: number, state: (f: Framework) => string, reason: string, message: string): void {
    const tasks = [...(this.agentTasks[i] ?? [])];
    for (const task of tasks) {
      const f = task.framework;
      this.lifecycle.forget(task);
      const wasTerminal = isTerminal(task.state);
      const next = state(f);
      task.state = next;
      this.removeTask(task);
      if (next === 'TASK_UNREACHABLE') f.unreachable.set(task.id, task);
      if (!wasTerminal) this.masterUpdate(f, task.info, next, { reason, message });
    }
    for (const executor of [...this.executors.values()]) {
      if (executor.agent === i) {
        this.executors.delete(executor.key);
        executor.framework.executors.delete(executor.key);
        this.agents.give(i, executor.amounts);
        executor.framework.allocatedCpus -= executor.amounts.cpus;
        executor.framework.allocatedMem -= executor.amounts.mem;
      }
    }
  }

  loseAgent(i: number): void {
    if (this.agents.states[i] === 'unreachable' || this.agents.states[i] === 'down') return;
    this.agents.states[i] = 'unreachable';
    this.allocator.rescindAgent(i);
    this.allocator.agentChanged(i);
    const host = this.agents.hostnames[i];
    this.endAgentTasks(
      i,
      (f) => (f.partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST'),
      'REASON_AGENT_REMOVED',
      `Agent ${host} is unreachable`,
    );
  }

  /** The agent registers again, empty: its old tasks died with it (see README). */
  restoreAgent(i: number): void {
    if (this.agents.states[i] !== 'unreachable') return;
    this.agents.states[i] = 'active';
    for (const f of this.frameworks.values()) {
      for (const [id, task] of f.unreachable) if (task.agent === i) f.unreachable.delete(id);
    }
    this.allocator.agentChanged(i);
  }

  /** DRAIN_AGENT: no more offers; its tasks are killed with REASON_AGENT_DRAINING. */
  drainAgent(i: number, graceMs?: number): void {
    if (this.agents.states[i] !== 'active') return;
    this.agents.states[i] = 'draining';
    this.allocator.rescindAgent(i);
    this.allocator.agentChanged(i);
    for (const task of [...(this.agentTasks[i] ?? [])]) {
      this.lifecycle.kill(task, graceMs ?? this.lifecycle.graceMs(task), { reason: 'REASON_AGENT_DRAINING' });
    }
  }

  reactivateAgent(i: number): void {
    if (this.agents.states[i] !== 'draining') return;
    this.agents.states[i] = 'active';
    this.allocator.agentChanged(i);
  }

  /** Agent i's state and resources for the operator API. */
  agentResources(i: number): { total: Resource[]; used: Resource[] } {
    return { total: this.agents.totalResources(i), used: this.agents.usedResources(i) };
  }

  offeredResources(i: number): Resource[] {
    const offer = this.allocator.offerOf[i];
    return offer ? toResources(offer.amounts, offer.framework.role, offer.portRanges) : [];
  }

  /** Looks a task up by framework and id, live or just ended. */
  findTask(f: Framework, taskId: string): Task | undefined {
    return f.tasks.get(taskId);
  }

  /** Every task with this id, in any framework (the control endpoint addresses tasks by id). */
  tasksById(taskId: string): Task[] {
    const out: Task[] = [];
    for (const f of this.frameworks.values()) {
      const t = f.tasks.get(taskId);
      if (t) out.push(t);
    }
    return out;
  }

  /** The stream of f is gone (client closed, dropped, or replaced): start the failover clock. */
  disconnected(f: Framework, stream: Stream): void {
    this.scheduler.disconnected(f, stream);
  }
}

function masterInfo(id: string, port: number): MasterInfoShape {
  return {
    id,
    ip: 16777343, // 127.0.0.1 in network byte order read as a little-endian uint32, as Mesos prints it
    port,
    pid: `master@127.0.0.1:${port}`,
    hostname: '127.0.0.1',
    version: '1.12.0',
    address: { hostname: '127.0.0.1', ip: '127.0.0.1', port },
    capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
  };
}
