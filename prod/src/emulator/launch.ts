import { type Amounts, emptyAmounts, refusedOf } from './agents.js';
import { refuseMs } from './allocator.js';
import type { Master } from './master.js';
import { type Executor, type Framework, type Offer, offerAmounts } from './model.js';
import { addAmounts, contains, describe, readResources, subtractAmounts } from './resources.js';
import type { CallShape, ExecutorShape, Id, TaskInfoShape } from './shapes.js';

const MIN_CPUS = 0.01;
const MIN_MEM = 32;

/**
 * ACCEPT as Mesos's master does it: the offers are checked first (all valid, one agent); with a bad
 * offer every task of the call is dropped (TASK_LOST, or TASK_DROPPED for partition-aware
 * frameworks, REASON_INVALID_OFFERS). Then operations apply in order against what the offers still
 * hold; a task that fails validation gets TASK_ERROR (REASON_TASK_INVALID, or
 * REASON_TASK_GROUP_INVALID for every task of a bad group) from the master, with no uuid. What no
 * operation used goes back to the pool behind the call's refuse filter.
 */
export function accept(master: Master, f: Framework, accept: NonNullable<CallShape['accept']>): void {
  const offerIds = (accept.offer_ids ?? []).map((o) => o.value);
  const tasksOf = (): TaskInfoShape[] =>
    (accept.operations ?? []).flatMap((op) =>
      op.type === 'LAUNCH'
        ? (op.launch?.task_infos ?? [])
        : op.type === 'LAUNCH_GROUP'
          ? (op.launch_group?.task_group?.tasks ?? [])
          : [],
    );
  const offers: Offer[] = [];
  let error: string | null = offerIds.length === 0 ? 'No offers specified' : null;
  const seen = new Set<string>();
  for (const id of offerIds) {
    if (error) break;
    if (seen.has(id)) error = `Duplicate offer ${id} in offer list`;
    seen.add(id);
    const offer = master.allocator.offers.get(id);
    if (!error && (!offer || offer.framework !== f)) error = `Offer ${id} is no longer valid`;
    else if (!error && offer) {
      const first = offers[0];
      if (first && first.agent !== offer.agent) {
        error =
          `Aggregated offers must belong to one single agent. Offer ${id} uses agent ` +
          `${master.agents.ids[offer.agent]} and offer ${first.id} uses agent ${master.agents.ids[first.agent]}`;
      }
      offers.push(offer);
    }
  }
  if (error) {
    for (const offer of offers) master.allocator.remove(offer);
    for (const task of tasksOf()) {
      master.masterUpdate(f, task, f.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST', {
        reason: 'REASON_INVALID_OFFERS',
        message: `Task launched with invalid offers: ${error}`,
      });
    }
    return;
  }
  const agent = offers[0]!.agent;
  let available = offers.reduce((sum, o) => addAmounts(sum, offerAmounts(o)), emptyAmounts());
  for (const offer of offers) master.allocator.remove(offer);
  const launched = new Set<string>();
  for (const op of accept.operations ?? []) {
    if (op.type === 'LAUNCH') {
      for (const info of op.launch?.task_infos ?? []) {
        const check = validateTask(master, f, agent, info, launched, available);
        if (!check.ok) {
          master.masterUpdate(f, info, 'TASK_ERROR', { reason: 'REASON_TASK_INVALID', message: check.error });
          continue;
        }
        available = subtractAmounts(available, check.total);
        launched.add(info.task_id.value);
        const executor = info.executor
          ? master.executorFor(
              f,
              agent,
              withFramework(info.executor, f),
              check.executorAmounts,
              check.executorResources,
            )
          : null;
        master.launchTask(f, agent, info, check.resources, check.taskAmounts, executor);
      }
    } else if (op.type === 'LAUNCH_GROUP' && op.launch_group) {
      const group = op.launch_group;
      const tasks = group.task_group?.tasks ?? [];
      const check = validateGroup(
        master,
        f,
        agent,
        withFramework(group.executor, f),
        tasks,
        launched,
        available,
      );
      if (!check.ok) {
        for (const info of tasks) {
          master.masterUpdate(f, info, 'TASK_ERROR', {
            reason: 'REASON_TASK_GROUP_INVALID',
            message: check.error,
          });
        }
        continue;
      }
      available = subtractAmounts(available, check.total);
      const executor = master.executorFor(
        f,
        agent,
        withFramework(group.executor, f),
        check.executorAmounts,
        check.executorResources,
      );
      tasks.forEach((info, k) => {
        launched.add(info.task_id.value);
        master.launchTask(f, agent, info, check.taskResources[k]!, check.taskAmounts[k]!, executor);
      });
    }
    // RESERVE, UNRESERVE, CREATE, DESTROY: the emulator's agents hold only unreserved resources;
    // these operations are accepted and have no effect (see README).
  }
  // The unused part of the offers is declined with the call's filter (5 s unless it says otherwise).
  if (available.cpus > 0 || available.mem > 0 || available.disk > 0 || available.ports.length > 0) {
    f.filters.set(agent, {
      until: master.timers.now() + refuseMs(accept.filters),
      refused: refusedOf(available),
    });
  }
  master.allocator.agentChanged(agent);
}

function withFramework(executor: ExecutorShape, f: Framework): ExecutorShape {
  return executor.framework_id ? executor : { ...executor, framework_id: { value: f.id } };
}

type TaskCheck =
  | {
      ok: true;
      total: Amounts;
      taskAmounts: Amounts;
      resources: import('./shapes.js').Resource[];
      executorAmounts: Amounts;
      executorResources: import('./shapes.js').Resource[];
    }
  | { ok: false; error: string };

function commonTaskChecks(
  master: Master,
  f: Framework,
  agent: number,
  info: TaskInfoShape,
  launched: Set<string>,
): string | null {
  const id = info.task_id?.value ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Mesos rejects control characters in ids.
  if (/[\u0000-\u001f\u007f/\\]/.test(id)) return `TaskID '${id}' contains invalid characters`;
  if (f.tasks.has(id) || launched.has(id)) return `Task has duplicate ID: ${id}`;
  const agentId = master.agents.ids[agent]!;
  if (info.agent_id?.value !== agentId) {
    return `Task uses invalid agent ${info.agent_id?.value ?? ''} while agent ${agentId} is expected`;
  }
  const grace = info.kill_policy?.grace_period?.nanoseconds;
  if (grace !== undefined && Number(grace) < 0)
    return "Task's 'kill_policy.grace_period' must be non-negative";
  if (!info.resources || info.resources.length === 0) return 'Task uses no resources';
  return null;
}

function validateTask(
  master: Master,
  f: Framework,
  agent: number,
  info: TaskInfoShape,
  launched: Set<string>,
  available: Amounts,
): TaskCheck {
  const common = commonTaskChecks(master, f, agent, info, launched);
  if (common) return { ok: false, error: common };
  const ask = readResources(info.resources ?? [], f.role);
  if (!ask.ok) return { ok: false, error: `Task uses invalid resources: ${ask.error}` };
  if (!info.executor === !info.command) {
    return {
      ok: false,
      error: 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present',
    };
  }
  let executorAmounts = emptyAmounts();
  let executorResources: import('./shapes.js').Resource[] = [];
  let foreign = ask.foreign === true;
  if (info.executor) {
    if (info.executor.type !== undefined && info.executor.type !== 'CUSTOM') {
      return { ok: false, error: "'ExecutorInfo.type' must be 'CUSTOM'" };
    }
    if (!info.executor.command) return { ok: false, error: "'ExecutorInfo.command' must be set" };
    const ex = readResources(info.executor.resources ?? [], f.role);
    if (!ex.ok) return { ok: false, error: `Executor uses invalid resources: ${ex.error}` };
    foreign ||= ex.foreign === true;
    if (!master.executors.has(executorKey(f, agent, info.executor.executor_id))) {
      executorAmounts = ex.amounts;
      executorResources = ex.resources;
    }
  }
  const total = addAmounts(ask.amounts, executorAmounts);
  if (foreign || !contains(available, total)) {
    return {
      ok: false,
      error:
        `Total resources ${describe(total, f.role)} required by task and its executor is more than ` +
        `available ${describe(available, f.role)}`,
    };
  }
  return {
    ok: true,
    total,
    taskAmounts: ask.amounts,
    resources: ask.resources,
    executorAmounts,
    executorResources,
  };
}

type GroupCheck =
  | {
      ok: true;
      total: Amounts;
      taskAmounts: Amounts[];
      taskResources: import('./shapes.js').Resource[][];
      executorAmounts: Amounts;
      executorResources: import('./shapes.js').Resource[];
    }
  | { ok: false; error: string };

function validateGroup(
  master: Master,
  f: Framework,
  agent: number,
  executor: ExecutorShape,
  tasks: TaskInfoShape[],
  launched: Set<string>,
  available: Amounts,
): GroupCheck {
  if (tasks.length === 0) return { ok: false, error: 'Task group is empty' };
  const ids = new Set<string>();
  const taskAmounts: Amounts[] = [];
  const taskResources: import('./shapes.js').Resource[][] = [];
  let foreign = false;
  for (const info of tasks) {
    const common = commonTaskChecks(master, f, agent, info, launched);
    if (common) return { ok: false, error: common };
    if (ids.has(info.task_id.value))
      return { ok: false, error: `Task has duplicate ID: ${info.task_id.value}` };
    ids.add(info.task_id.value);
    if (info.container?.type === 'DOCKER')
      return { ok: false, error: 'Docker ContainerInfo is not supported on the task' };
    const ask = readResources(info.resources ?? [], f.role);
    if (!ask.ok) return { ok: false, error: `Task uses invalid resources: ${ask.error}` };
    foreign ||= ask.foreign === true;
    taskAmounts.push(ask.amounts);
    taskResources.push(ask.resources);
  }
  if (executor.type === undefined) return { ok: false, error: "'ExecutorInfo.type' must be set" };
  if (executor.type !== 'DEFAULT') {
    return {
      ok: false,
      error: executor.type === 'UNKNOWN' ? 'Unknown executor type' : "'ExecutorInfo.type' must be 'DEFAULT'",
    };
  }
  if (executor.command)
    return { ok: false, error: "'ExecutorInfo.command' must not be set for 'DEFAULT' executor" };
  const ex = readResources(executor.resources ?? [], f.role);
  if (!ex.ok) return { ok: false, error: `Executor uses invalid resources: ${ex.error}` };
  const name = executor.executor_id.value;
  const has = (n: string): boolean => (executor.resources ?? []).some((r) => r.name === n);
  if (!has('cpus') || ex.amounts.cpus < MIN_CPUS) {
    const got = has('cpus') ? String(ex.amounts.cpus) : 'None';
    return {
      ok: false,
      error: `Executor '${name}' uses less CPUs (${got}) than the minimum required (${MIN_CPUS})`,
    };
  }
  if (!has('mem') || ex.amounts.mem < MIN_MEM) {
    const got = has('mem') ? String(ex.amounts.mem) : 'None';
    return {
      ok: false,
      error: `Executor '${name}' uses less memory (${got}) than the minimum required (32MB)`,
    };
  }
  if (!has('disk')) return { ok: false, error: `Executor '${name}' uses no disk` };
  foreign ||= ex.foreign === true;
  const running = master.executors.has(executorKey(f, agent, executor.executor_id));
  const executorAmounts = running ? emptyAmounts() : ex.amounts;
  const total = taskAmounts.reduce((sum, a) => addAmounts(sum, a), executorAmounts);
  if (foreign || !contains(available, total)) {
    return {
      ok: false,
      error:
        `Total resources ${describe(total, f.role)} required by task group and its executor are more than ` +
        `available ${describe(available, f.role)}`,
    };
  }
  return {
    ok: true,
    total,
    taskAmounts,
    taskResources,
    executorAmounts,
    executorResources: running ? [] : ex.resources,
  };
}

export function executorKey(f: Framework, agent: number, id: Id): string {
  return `${f.id}\u0000${agent}\u0000${id.value}`;
}

export type { Executor };
