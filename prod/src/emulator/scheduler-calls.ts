import { randomUUID } from 'node:crypto';
import { refuseMs } from './allocator.js';
import { accept } from './launch.js';
import type { Master } from './master.js';
import { type Framework, isTerminal, offerAmounts, type Stream, type Task } from './model.js';
import type { CallShape, TaskStatusShape } from './shapes.js';

/** An HTTP answer without a stream: status and plain-text body (empty for success). */
export interface Reply {
  status: number;
  body?: string;
}

const ACCEPTED: Reply = { status: 202 };

/** Opens the chunked 200 response of a SUBSCRIBE with this stream id. */
export type OpenStream = (streamId: string) => Stream;

/**
 * The scheduler calls as Mesos's master answers them: validation first (400 with "Failed to
 * validate scheduler::Call: ..."), then the framework and its stream id (400, 403), then the call.
 */
export class Scheduler {
  constructor(private readonly master: Master) {}

  handle(call: CallShape, streamId: string | undefined, open: OpenStream): Reply | null {
    const invalid = validate(call);
    if (invalid) return { status: 400, body: `Failed to validate scheduler::Call: ${invalid}` };
    if (call.type === 'SUBSCRIBE') {
      if (streamId !== undefined) {
        return { status: 400, body: "Subscribe calls should not include the 'Mesos-Stream-Id' header" };
      }
      this.subscribe(call, open);
      return null;
    }
    const id = call.framework_id?.value ?? '';
    const f = this.master.frameworks.get(id);
    if (!f) return { status: 400, body: 'Framework cannot be found' };
    if (!f.stream) return { status: 403, body: 'Framework is not subscribed' };
    if (streamId === undefined) {
      return { status: 400, body: "All non-subscribe calls should include the 'Mesos-Stream-Id' header" };
    }
    if (streamId !== f.stream.id) {
      return {
        status: 400,
        body:
          `The stream ID '${streamId}' included in this request didn't match the stream ID currently ` +
          `associated with framework ID ${f.id}`,
      };
    }
    return this.dispatch(f, call);
  }

  private dispatch(f: Framework, call: CallShape): Reply {
    const m = this.master;
    switch (call.type) {
      case 'TEARDOWN':
        this.remove(f);
        return ACCEPTED;
      case 'ACCEPT':
        accept(m, f, call.accept!);
        return ACCEPTED;
      case 'DECLINE':
        for (const { value } of call.decline!.offer_ids ?? []) {
          const offer = m.allocator.offers.get(value);
          if (offer && offer.framework === f) {
            m.allocator.remove(offer, {
              refuse: { ms: refuseMs(call.decline!.filters), amounts: offerAmounts(offer) },
            });
          }
        }
        return ACCEPTED;
      case 'ACCEPT_INVERSE_OFFERS':
      case 'DECLINE_INVERSE_OFFERS': {
        const body =
          call.type === 'ACCEPT_INVERSE_OFFERS' ? call.accept_inverse_offers! : call.decline_inverse_offers!;
        m.maintenance.answer(
          f,
          (body.inverse_offer_ids ?? []).map((o) => o.value),
          body.filters,
        );
        return ACCEPTED;
      }
      case 'REVIVE':
        if (appliesTo(f, call.revive?.roles)) {
          f.suppressed = false;
          f.filters.clear();
          m.allocator.allocateSoon();
        }
        return ACCEPTED;
      case 'SUPPRESS':
        if (appliesTo(f, call.suppress?.roles)) f.suppressed = true;
        return ACCEPTED;
      case 'KILL':
        this.kill(f, call.kill!);
        return ACCEPTED;
      case 'SHUTDOWN': {
        const { executor_id, agent_id } = call.shutdown!;
        for (const e of f.executors.values()) {
          if (e.id === executor_id.value && m.agents.ids[e.agent] === agent_id.value) {
            for (const t of e.tasks) m.lifecycle.kill(t, m.lifecycle.graceMs(t));
          }
        }
        return ACCEPTED;
      }
      case 'ACKNOWLEDGE': {
        const ack = call.acknowledge!;
        const task = f.tasks.get(ack.task_id.value);
        if (task && m.agents.ids[task.agent] === ack.agent_id.value) {
          m.counters.acknowledged++;
          m.lifecycle.acknowledge(task, ack.uuid);
        }
        return ACCEPTED;
      }
      case 'RECONCILE':
        this.reconcile(f, call.reconcile?.tasks ?? []);
        return ACCEPTED;
      case 'MESSAGE':
      case 'REQUEST':
      case 'ACKNOWLEDGE_OPERATION_STATUS':
        return ACCEPTED;
      case 'UPDATE_FRAMEWORK':
        return this.updateFramework(f, call.update_framework!);
      case 'RECONCILE_OPERATIONS':
        return { status: 200 };
      default:
        return { status: 501, body: `Unsupported call type ${call.type ?? 'UNKNOWN'}` };
    }
  }

  private subscribe(call: CallShape, open: OpenStream): void {
    const m = this.master;
    const info = call.subscribe!.framework_info;
    const id = call.framework_id?.value;
    const stream = open(randomUUID());
    if (id !== undefined && m.removedFrameworks.has(id)) {
      stream.send({ type: 'ERROR', error: { message: 'Framework has been removed' } });
      stream.close();
      return;
    }
    let f = id === undefined ? undefined : m.frameworks.get(id);
    if (f) {
      // Failover: the old stream learns it was replaced, and its offers are gone.
      const old = f.stream;
      f.stream = null;
      if (old) {
        old.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
        old.close();
      }
      f.failoverTimer?.cancel();
      f.failoverTimer = null;
      f.heartbeat?.cancel();
      m.allocator.dropFrameworkOffers(f, false);
      m.maintenance.dropInverseOffers(f);
      m.applyInfo(f, info);
      f.reregisteredTime = Date.now() / 1000;
    } else {
      f = m.newFramework(info, id);
    }
    const suppressed = call.subscribe!.suppressed_roles ?? [];
    f.suppressed = suppressed.includes(f.role);
    f.stream = stream;
    stream.send({
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: f.id },
        heartbeat_interval_seconds: m.options.heartbeatIntervalMs / 1000,
        master_info: m.info,
      },
    });
    stream.send({ type: 'HEARTBEAT' });
    this.heartbeat(f, stream, m.timers.now());
    const drop = m.chaos.options.dropStreamsAfterMs;
    if (drop !== null) {
      m.timers.after(drop, () => {
        // Abandon the stream: no more writes, but the socket stays open.
        if (f.stream === stream) this.disconnected(f, stream);
      });
    }
    m.allocator.allocateSoon();
  }

  private heartbeat(f: Framework, stream: Stream, since: number): void {
    const m = this.master;
    f.heartbeat = m.timers.after(m.options.heartbeatIntervalMs, () => {
      if (f.stream !== stream) return;
      if (!m.chaos.heartbeatsStopped(since)) stream.send({ type: 'HEARTBEAT' });
      this.heartbeat(f, stream, since);
    });
  }

  /** The stream closed (or was abandoned): with failover_timeout 0 the framework goes at once. */
  disconnected(f: Framework, stream: Stream): void {
    const m = this.master;
    if (f.stream !== stream) return;
    f.stream = null;
    f.heartbeat?.cancel();
    f.heartbeat = null;
    m.allocator.dropFrameworkOffers(f, false);
    m.maintenance.dropInverseOffers(f);
    const timeoutMs = Math.max(0, Number(f.info.failover_timeout ?? 0) * 1000);
    if (timeoutMs <= 0) {
      this.remove(f);
      return;
    }
    f.failoverTimer = m.timers.after(Math.min(timeoutMs, 2 ** 31 - 1), () => {
      f.failoverTimer = null;
      if (!f.stream) this.remove(f);
    });
  }

  /** TEARDOWN or failover timeout: the framework's tasks are killed, it can never come back. */
  remove(f: Framework): void {
    const m = this.master;
    if (m.frameworks.get(f.id) !== f) return;
    f.failoverTimer?.cancel();
    f.heartbeat?.cancel();
    const stream = f.stream;
    f.stream = null;
    stream?.close();
    m.allocator.dropFrameworkOffers(f, false);
    m.maintenance.dropInverseOffers(f);
    for (const task of [...f.tasks.values()]) {
      m.lifecycle.forget(task);
      if (!isTerminal(task.state)) task.state = 'TASK_KILLED';
      m.removeTask(task);
    }
    for (const e of [...f.executors.values()]) {
      m.executors.delete(e.key);
      m.agents.give(e.agent, e.amounts);
      m.allocator.agentChanged(e.agent);
    }
    f.executors.clear();
    m.frameworks.delete(f.id);
    m.removedFrameworks.set(f.id, f);
  }

  private kill(f: Framework, kill: NonNullable<CallShape['kill']>): void {
    const m = this.master;
    const task = f.tasks.get(kill.task_id.value);
    if (!task) {
      // Mesos answers a kill of an unknown task with a reconciliation of that task.
      this.reconcile(f, [{ task_id: kill.task_id, ...(kill.agent_id ? { agent_id: kill.agent_id } : {}) }]);
      return;
    }
    const grace = m.lifecycle.graceMs(task, kill.kill_policy);
    const group = task.executor && task.info.executor === undefined ? [...task.executor.tasks] : [task];
    for (const t of group) m.lifecycle.kill(t, grace);
  }

  /** RECONCILE: known tasks with their latest state; unknown ones as Mesos's table says; no uuid. */
  reconcile(f: Framework, asked: { task_id: { value: string }; agent_id?: { value: string } }[]): void {
    const m = this.master;
    const reply = (status: TaskStatusShape): void => m.sendUpdate(f, status);
    if (asked.length === 0) {
      for (const task of f.tasks.values()) reply(latest(m, task));
      return;
    }
    for (const { task_id, agent_id } of asked) {
      const task = f.tasks.get(task_id.value);
      if (task) {
        reply(latest(m, task));
        continue;
      }
      const i = m.agents.indexOf(agent_id?.value);
      const st = i >= 0 ? m.agents.states[i] : undefined;
      let state = 'TASK_LOST';
      if (f.partitionAware) {
        if (f.unreachable.has(task_id.value) || st === 'unreachable') state = 'TASK_UNREACHABLE';
        else if (st === 'down') state = 'TASK_GONE_BY_OPERATOR';
        else if (st === 'active' || st === 'draining') state = 'TASK_GONE';
        else state = 'TASK_UNKNOWN';
      }
      const status: TaskStatusShape = {
        task_id,
        state,
        source: 'SOURCE_MASTER',
        reason: 'REASON_RECONCILIATION',
        message: 'Reconciliation: Task is unknown',
        timestamp: Date.now() / 1000,
      };
      if (agent_id) status.agent_id = agent_id;
      reply(status);
    }
  }

  private updateFramework(f: Framework, update: NonNullable<CallShape['update_framework']>): Reply {
    const info = update.framework_info;
    if ((info.id?.value ?? f.id) !== f.id) {
      return {
        status: 400,
        body: "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'",
      };
    }
    for (const field of ['user', 'principal', 'checkpoint'] as const) {
      if (info[field] !== f.info[field]) {
        return { status: 400, body: `Updating 'FrameworkInfo.${field}' is unsupported` };
      }
    }
    this.master.applyInfo(f, info);
    f.suppressed = (update.suppressed_roles ?? []).includes(f.role);
    if (!f.suppressed) this.master.allocator.allocateSoon();
    return { status: 200 };
  }
}

function appliesTo(f: Framework, roles: string[] | undefined): boolean {
  return !roles || roles.length === 0 || roles.includes(f.role);
}

function latest(m: Master, task: Task): TaskStatusShape {
  const status: TaskStatusShape = {
    task_id: { value: task.id },
    state: task.state,
    source: 'SOURCE_MASTER',
    reason: 'REASON_RECONCILIATION',
    message: 'Reconciliation: Latest task state',
    agent_id: { value: m.agents.ids[task.agent]! },
    timestamp: Date.now() / 1000,
  };
  if (task.latest?.executor_id) status.executor_id = task.latest.executor_id;
  if (task.healthy !== undefined) status.healthy = task.healthy;
  return status;
}

/** Mesos's scheduler::Call validation, in its order and words. */
export function validate(call: CallShape): string | null {
  if (!call.type || call.type === 'UNKNOWN') return call.type ? null : "Expecting 'type' to be present";
  if (call.type === 'SUBSCRIBE') {
    if (!call.subscribe) return "Expecting 'subscribe' to be present";
    if (call.subscribe.framework_info?.id?.value !== call.framework_id?.value) {
      return "'framework_id' differs from 'subscribe.framework_info.id'";
    }
    return null;
  }
  if (!call.framework_id) return "Expecting 'framework_id' to be present";
  const payload: Record<string, string> = {
    ACCEPT: 'accept',
    DECLINE: 'decline',
    ACCEPT_INVERSE_OFFERS: 'accept_inverse_offers',
    DECLINE_INVERSE_OFFERS: 'decline_inverse_offers',
    KILL: 'kill',
    SHUTDOWN: 'shutdown',
    ACKNOWLEDGE: 'acknowledge',
    RECONCILE: 'reconcile',
    MESSAGE: 'message',
    REQUEST: 'request',
    UPDATE_FRAMEWORK: 'update_framework',
  };
  const field = payload[call.type];
  if (field && call[field] === undefined) return `Expecting '${field}' to be present`;
  if (call.type === 'ACKNOWLEDGE') {
    const uuid = call.acknowledge!.uuid;
    if (typeof uuid !== 'string' || Buffer.from(uuid, 'base64').length !== 16) return 'Not a valid UUID';
  }
  return null;
}
