import { readBehaviour, type TaskBehaviour } from './behaviour.js';
import type { Master } from './master.js';
import { isTerminal, type Task } from './model.js';
import type { Reply } from './scheduler-calls.js';

export type ControlReply = Reply & { json?: unknown };

/**
 * Scripting the emulated cluster (tests, `borealis mesos control`, fault drills): tasks finish, fail
 * or change health on command; agents are lost, restored, drained or reactivated; the default
 * behaviour of new tasks changes. The same operations back the HTTP endpoint POST /emulator/v1/...
 * and the methods of startEmulator().
 */
export class Control {
  constructor(private readonly master: Master) {}

  private live(taskId: string): Task[] | string {
    const tasks = this.master.tasksById(taskId).filter((t) => !isTerminal(t.state));
    return tasks.length > 0 ? tasks : `No live task '${taskId}'`;
  }

  /** The task's command exits: 0 finishes it, anything else fails it. */
  exitTask(taskId: string, code: number): string | null {
    const tasks = this.live(taskId);
    if (typeof tasks === 'string') return tasks;
    for (const t of tasks) {
      if (t.process) {
        t.process.stop();
      }
      t.timer?.cancel();
      t.timer = null;
      if (t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING') {
        // Let it report RUNNING first, as a real command that exits at once still does.
        if (t.state === 'TASK_STAGING') this.master.lifecycle.update(t, 'TASK_STARTING');
        this.master.lifecycle.update(t, 'TASK_RUNNING');
      }
      this.master.lifecycle.exited(t, code);
    }
    return null;
  }

  setHealth(taskId: string, healthy: boolean): string | null {
    const tasks = this.live(taskId);
    if (typeof tasks === 'string') return tasks;
    for (const t of tasks) {
      if (!t.info.health_check) return `Task '${taskId}' has no health check`;
      t.behaviour.health = healthy ? 'pass' : 'fail';
      if (t.state === 'TASK_RUNNING') {
        this.master.lifecycle.healthResult(t, healthy);
        if (!healthy) this.master.lifecycle.scheduleHealth(t, t.behaviour.healthAfterMs);
      }
    }
    return null;
  }

  private agent(ref: string): number | string {
    const m = this.master;
    const byId = m.agents.indexOf(ref);
    if (byId >= 0) return byId;
    const byHost = m.agents.byHostname(ref);
    if (byHost.length > 0) return byHost[0]!;
    return `No agent '${ref}' (give an agent id or hostname)`;
  }

  agentAction(ref: string, action: 'lose' | 'restore' | 'drain' | 'reactivate'): string | null {
    const i = this.agent(ref);
    if (typeof i === 'string') return i;
    const m = this.master;
    if (action === 'lose') m.loseAgent(i);
    else if (action === 'restore') m.restoreAgent(i);
    else if (action === 'drain') m.drainAgent(i);
    else m.reactivateAgent(i);
    return null;
  }

  setBehaviour(input: unknown, taskId?: string): string | null {
    const parsed = readBehaviour(input);
    if (!parsed.ok) return parsed.error;
    if (taskId !== undefined) {
      const tasks = this.live(taskId);
      if (typeof tasks === 'string') return tasks;
      for (const t of tasks) Object.assign(t.behaviour, parsed.value);
      return null;
    }
    Object.assign(this.master.options.behaviour as TaskBehaviour, parsed.value);
    return null;
  }

  summary(): unknown {
    const m = this.master;
    let live = 0;
    for (const f of m.frameworks.values()) live += f.tasks.size;
    return {
      masterId: m.id,
      agents: m.agents.count,
      frameworks: m.frameworks.size,
      tasks: live,
      outstandingOffers: m.allocator.offers.size,
      launches: m.launches.length,
      counters: m.counters,
      behaviour: m.options.behaviour,
    };
  }

  /** POST /emulator/v1/{tasks/exit, tasks/health, agents/ACTION, behaviour}; GET summary, launches. */
  http(method: string, path: string, body: unknown): ControlReply {
    const b = (body ?? {}) as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    const done = (error: string | null): ControlReply =>
      error ? { status: 400, body: error } : { status: 200, json: { ok: true } };
    if (method === 'GET' && path === '/emulator/v1/summary') return { status: 200, json: this.summary() };
    if (method === 'GET' && path === '/emulator/v1/launches')
      return { status: 200, json: this.master.launches };
    if (method !== 'POST') return { status: 405, body: 'Use POST (GET for summary and launches)' };
    switch (path) {
      case '/emulator/v1/tasks/finish':
      case '/emulator/v1/tasks/fail': {
        const id = str('task_id');
        if (!id) return { status: 400, body: "Expecting 'task_id'" };
        const code = path.endsWith('finish') ? 0 : typeof b.code === 'number' && b.code !== 0 ? b.code : 1;
        return done(this.exitTask(id, code));
      }
      case '/emulator/v1/tasks/unhealthy':
      case '/emulator/v1/tasks/healthy': {
        const id = str('task_id');
        if (!id) return { status: 400, body: "Expecting 'task_id'" };
        return done(this.setHealth(id, path.endsWith('/healthy')));
      }
      case '/emulator/v1/agents/lose':
      case '/emulator/v1/agents/restore':
      case '/emulator/v1/agents/drain':
      case '/emulator/v1/agents/reactivate': {
        const ref = str('agent');
        if (!ref) return { status: 400, body: "Expecting 'agent' (an agent id or hostname)" };
        return done(this.agentAction(ref, path.slice('/emulator/v1/agents/'.length) as 'lose'));
      }
      case '/emulator/v1/behaviour':
        return done(this.setBehaviour(b.behaviour ?? {}, str('task_id')));
      default:
        return { status: 404, body: `No control endpoint ${path}` };
    }
  }
}
