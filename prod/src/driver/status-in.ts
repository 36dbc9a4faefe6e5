import { MESOS_TASK_STATES, type MesosStatus, type MesosTaskState } from '@borealis/core';
import type { TaskStatus } from '../mesos/mesos-types.js';

const KNOWN: ReadonlySet<string> = new Set(MESOS_TASK_STATES);

/**
 * A Mesos TaskStatus as the core's MesosStatus: `TASK_RUNNING` → `RUNNING`; a state this version
 * does not know (a newer Mesos) is read as UNKNOWN, which the core treats as LOST. The reason and
 * the message travel together as the message, so events say why.
 */
export function statusInput(status: TaskStatus): MesosStatus {
  const bare = String(status.state ?? 'TASK_UNKNOWN').replace(/^TASK_/, '');
  const state = (KNOWN.has(bare) ? bare : 'UNKNOWN') as MesosTaskState;
  const reason = status.reason && status.reason !== 'REASON_RECONCILIATION' ? status.reason : undefined;
  const text = [reason, status.message].filter((s) => s !== undefined && s !== '').join(': ');
  return {
    taskId: status.task_id.value,
    state,
    ...(status.agent_id ? { agentId: status.agent_id.value } : {}),
    ...(text ? { message: text } : {}),
    ...(status.healthy === undefined ? {} : { healthy: status.healthy }),
  };
}

/** Whether the update must be acknowledged: only those that carry a uuid (executor and agent updates). */
export function needsAck(status: TaskStatus): boolean {
  return typeof status.uuid === 'string' && status.uuid.length > 0;
}
