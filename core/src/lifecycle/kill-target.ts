import type { KillReason } from '../model/kill-reason.js';
import type { TaskState } from '../model/task-state.js';

/**
 * The state a scheduler-initiated kill moves a task to. The state carries the intent, and the intent
 * decides whether the task comes back:
 * - KILLING (user, update, cron collision): gone for good; an update creates its new tasks itself;
 * - PREEMPTING / RESTARTING / DRAINING: stopped by the scheduler, rescheduled when it ends;
 * - LOST (host removed): the agent is gone, there is nothing to wait for; rescheduled.
 * A failed health check restarts the task in place of the old one, as Aurora's executor does.
 */
export function killTarget(reason: KillReason): TaskState {
  switch (reason) {
    case 'user':
    case 'unknown-task':
    case 'update':
    case 'cron-collision':
      return 'KILLING';
    case 'preempted':
      return 'PREEMPTING';
    case 'drain':
      return 'DRAINING';
    case 'restart':
    case 'unhealthy':
      return 'RESTARTING';
    case 'host-removed':
      return 'LOST';
  }
}
