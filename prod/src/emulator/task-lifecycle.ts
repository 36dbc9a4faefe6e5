import { randomBytes } from 'node:crypto';
import type { Master } from './master.js';
import { isTerminal, type Task } from './model.js';
import type { TaskStatusShape } from './shapes.js';

export interface UpdateFields {
  reason?: string;
  message?: string;
  healthy?: boolean;
  source?: string;
}

/**
 * What an agent and its executors do with a task: the steps STAGING -> STARTING -> RUNNING, health
 * results, the end, kills with their grace period, and the status update manager (each update is
 * retried with doubling backoff until acknowledged; later updates for the task wait behind it).
 */
export class TaskLifecycle {
  constructor(private readonly master: Master) {}

  /** The task is on its agent (STAGING): start it, virtually or as a real process. */
  start(task: Task): void {
    const b = task.behaviour;
    task.timer = this.master.timers.after(b.startingAfterMs, () => {
      task.timer = null;
      this.update(task, 'TASK_STARTING');
      const runner = this.master.processes;
      if (runner && task.info.command) {
        runner.launch(task);
        return;
      }
      task.timer = this.master.timers.after(b.runningAfterMs, () => {
        task.timer = null;
        this.running(task);
      });
    });
  }

  /** The command is running (a real process reports it once spawned). */
  running(task: Task): void {
    if (isTerminal(task.state) || task.killRequested) return;
    this.update(task, 'TASK_RUNNING');
    if (task.info.health_check && !this.master.processes)
      this.scheduleHealth(task, task.behaviour.healthAfterMs);
    const runFor = task.behaviour.runForMs;
    if (runFor !== null && !this.master.processes) {
      task.timer = this.master.timers.after(runFor, () => {
        task.timer = null;
        this.exited(task, task.behaviour.outcome === 'finished' ? 0 : 1);
      });
    }
  }

  /** Virtual health checks report only changes; a failing check repeats until the task is killed. */
  scheduleHealth(task: Task, delayMs: number): void {
    this.master.timers.after(delayMs, () => {
      if (isTerminal(task.state) || task.killRequested || task.state !== 'TASK_RUNNING') return;
      const pass = task.behaviour.health === 'pass';
      this.healthResult(task, pass);
      if (!pass) this.scheduleHealth(task, task.behaviour.healthAfterMs);
    });
  }

  /** One health check result, virtual or probed: report changes; kill after consecutive failures. */
  healthResult(task: Task, healthy: boolean): void {
    if (isTerminal(task.state) || task.killRequested) return;
    if (healthy) task.healthFailures = 0;
    else task.healthFailures++;
    if (task.healthy !== healthy) {
      task.healthy = healthy;
      this.update(task, 'TASK_RUNNING', { reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', healthy });
    }
    const limit = task.info.health_check?.consecutive_failures ?? 3;
    if (!healthy && task.healthFailures >= limit) {
      // The executor kills a task whose health check failed too often.
      this.kill(task, this.graceMs(task), { healthKill: true });
    }
  }

  /** The command exited by itself with this status code. */
  exited(task: Task, code: number): void {
    if (isTerminal(task.state)) return;
    if (code === 0) this.update(task, 'TASK_FINISHED', { message: 'Command exited with status 0' });
    else this.update(task, 'TASK_FAILED', { message: `Command exited with status ${code}` });
  }

  /** The process ended from a signal after a kill. */
  killed(task: Task, signal: 'Terminated' | 'Killed'): void {
    if (isTerminal(task.state)) return;
    this.update(task, 'TASK_KILLED', {
      message: `Command terminated with signal ${signal}`,
      ...(task.healthy === false ? { healthy: false } : {}),
    });
  }

  graceMs(task: Task, override?: { grace_period?: { nanoseconds: string | number } }): number {
    const ns = override?.grace_period?.nanoseconds ?? task.info.kill_policy?.grace_period?.nanoseconds;
    return ns === undefined ? 3000 : Math.max(0, Number(ns) / 1e6);
  }

  /** KILL: TASK_KILLING first if the framework understands it, then SIGTERM, SIGKILL after the grace period. */
  kill(task: Task, graceMs: number, opts: { reason?: string; healthKill?: boolean } = {}): void {
    if (isTerminal(task.state) || task.killRequested) return;
    task.killRequested = true;
    task.timer?.cancel();
    task.timer = null;
    if (task.state === 'TASK_STAGING') {
      this.update(task, 'TASK_KILLED', {
        source: 'SOURCE_AGENT',
        reason: opts.reason ?? 'REASON_TASK_KILLED_DURING_LAUNCH',
        message: 'Killed before the task started',
      });
      return;
    }
    if (task.framework.killingState) {
      this.update(task, 'TASK_KILLING', opts.reason ? { reason: opts.reason } : {});
    }
    if (task.process) {
      task.process.terminate(graceMs);
      return;
    }
    const b = task.behaviour;
    const exitsOnTerm = b.sigterm === 'exit' && b.exitAfterSigtermMs <= graceMs;
    task.timer = this.master.timers.after(exitsOnTerm ? b.exitAfterSigtermMs : graceMs, () => {
      task.timer = null;
      if (isTerminal(task.state)) return;
      this.update(task, 'TASK_KILLED', {
        message: `Command terminated with signal ${exitsOnTerm ? 'Terminated' : 'Killed'}`,
        ...(opts.reason ? { reason: opts.reason } : {}),
        ...(task.healthy === false ? { healthy: false } : {}),
      });
    });
  }

  /** An update from the agent or executor: it carries a uuid and waits for its acknowledgement. */
  update(task: Task, state: string, fields: UpdateFields = {}): void {
    const status: TaskStatusShape = {
      task_id: { value: task.id },
      state,
      source: fields.source ?? 'SOURCE_EXECUTOR',
      agent_id: { value: this.master.agents.ids[task.agent]! },
      executor_id: { value: task.executorId },
      timestamp: Date.now() / 1000,
      uuid: randomBytes(16).toString('base64'),
    };
    if (fields.reason) status.reason = fields.reason;
    if (fields.message) status.message = fields.message;
    const healthy = fields.healthy ?? (task.info.health_check ? task.healthy : undefined);
    if (healthy !== undefined) status.healthy = healthy;
    task.state = state;
    task.latest = status;
    task.pending.push(status);
    if (isTerminal(state)) this.ended(task);
    if (task.pending.length === 1) this.deliver(task);
  }

  private deliver(task: Task): void {
    const head = task.pending[0];
    if (!head) return;
    this.master.sendUpdate(task.framework, head);
    this.master.chaos.maybeDuplicate(task.framework, head);
    task.retry?.cancel();
    task.retry = this.master.timers.after(task.retryDelayMs, () => {
      task.retry = null;
      if (task.pending[0] !== head) return;
      task.retryDelayMs = Math.min(task.retryDelayMs * 2, this.master.options.updateRetryMaxMs);
      this.deliver(task);
    });
  }

  /** ACKNOWLEDGE of the update in flight: the next one (if any) goes out; a terminal one removes the task. */
  acknowledge(task: Task, uuid: string): void {
    const head = task.pending[0];
    if (!head || !sameUuid(head.uuid, uuid)) return;
    task.pending.shift();
    task.retry?.cancel();
    task.retry = null;
    task.retryDelayMs = this.master.options.updateRetryMs;
    this.master.chaos.maybeLate(task.framework, head);
    if (task.pending.length > 0) this.deliver(task);
    else if (isTerminal(head.state)) this.master.removeTask(task);
  }

  /** The task reached a terminal state: its resources go back, its executor may exit. */
  private ended(task: Task): void {
    task.timer?.cancel();
    task.timer = null;
    task.process?.stop();
    this.master.releaseTask(task);
    const executor = task.executor;
    if (!executor) return;
    if (task.state !== 'TASK_FINISHED') executor.failed = true;
    // The default executor kills a group's other tasks when one fails or is killed.
    if (task.state === 'TASK_FAILED' || task.state === 'TASK_KILLED') {
      for (const sibling of executor.tasks) {
        if (sibling !== task && !isTerminal(sibling.state)) this.kill(sibling, this.graceMs(sibling));
      }
    }
    for (const t of executor.tasks) if (!isTerminal(t.state)) return;
    this.master.executorExited(executor);
  }

  /** Drops a task's pending updates and timers (its framework or agent is gone). */
  forget(task: Task): void {
    task.timer?.cancel();
    task.timer = null;
    task.retry?.cancel();
    task.retry = null;
    task.pending.length = 0;
    task.process?.stop();
  }
}

export function sameUuid(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  return Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'));
}
