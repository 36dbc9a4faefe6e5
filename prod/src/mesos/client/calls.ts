import type {
  AgentID,
  ExecutorInfo,
  Filters,
  FrameworkInfo,
  KillPolicy,
  OfferID,
  OfferOperation,
  TaskGroupInfo,
  TaskID,
  TaskInfo,
  TaskStatus,
} from '../mesos-types.js';
import type { Call, OfferConstraints } from '../scheduler-types.js';

/**
 * The calls a scheduler makes, as pure builders of Call objects. The sender adds `framework_id`
 * (every call but the first SUBSCRIBE needs it); these only build the payload.
 */

/**
 * SUBSCRIBE. When resubscribing (failover, reconnect) the framework id goes both at the top level and
 * in framework_info.id: Mesos rejects the call if they differ, and a missing top-level id is a new framework.
 */
export function subscribeCall(
  frameworkInfo: FrameworkInfo,
  frameworkId?: string,
  suppressedRoles?: readonly string[],
  offerConstraints?: OfferConstraints,
): Call {
  const info: FrameworkInfo = frameworkId
    ? { ...frameworkInfo, id: { value: frameworkId } }
    : { ...frameworkInfo };
  if (!frameworkId) delete info.id;
  const call: Call = { type: 'SUBSCRIBE', subscribe: { framework_info: info } };
  if (frameworkId) call.framework_id = { value: frameworkId };
  if (suppressedRoles && suppressedRoles.length > 0) call.subscribe!.suppressed_roles = [...suppressedRoles];
  if (offerConstraints) call.subscribe!.offer_constraints = offerConstraints;
  return call;
}

export const launch = (taskInfos: readonly TaskInfo[]): OfferOperation => ({
  type: 'LAUNCH',
  launch: { task_infos: [...taskInfos] },
});

export const launchGroup = (executor: ExecutorInfo, taskGroup: TaskGroupInfo): OfferOperation => ({
  type: 'LAUNCH_GROUP',
  launch_group: { executor, task_group: taskGroup },
});

const offerIds = (ids: readonly string[]): OfferID[] => ids.map((value) => ({ value }));

/** ACCEPT: operations apply in order; resources left unused count as declined (with the filters). */
export function acceptCall(
  ids: readonly string[],
  operations: readonly OfferOperation[],
  filters?: Filters,
): Call {
  const call: Call = { type: 'ACCEPT', accept: { offer_ids: offerIds(ids), operations: [...operations] } };
  if (filters) call.accept!.filters = filters;
  return call;
}

/** DECLINE: without filters Mesos still refuses the resources for 5 s. */
export function declineCall(ids: readonly string[], filters?: Filters): Call {
  const call: Call = { type: 'DECLINE', decline: { offer_ids: offerIds(ids) } };
  if (filters) call.decline!.filters = filters;
  return call;
}

export function acceptInverseOffersCall(ids: readonly string[], filters?: Filters): Call {
  const call: Call = {
    type: 'ACCEPT_INVERSE_OFFERS',
    accept_inverse_offers: { inverse_offer_ids: offerIds(ids) },
  };
  if (filters) call.accept_inverse_offers!.filters = filters;
  return call;
}

export function declineInverseOffersCall(ids: readonly string[], filters?: Filters): Call {
  const call: Call = {
    type: 'DECLINE_INVERSE_OFFERS',
    decline_inverse_offers: { inverse_offer_ids: offerIds(ids) },
  };
  if (filters) call.decline_inverse_offers!.filters = filters;
  return call;
}

/** KILL; the kill policy overrides the task's own grace period. */
export function killCall(taskId: string, agentId?: string, killPolicy?: KillPolicy): Call {
  const call: Call = { type: 'KILL', kill: { task_id: { value: taskId } } };
  if (agentId) call.kill!.agent_id = { value: agentId };
  if (killPolicy) call.kill!.kill_policy = killPolicy;
  return call;
}

/**
 * ACKNOWLEDGE of a status update, or undefined when the update must not be acknowledged: updates the
 * master makes itself (reconciliation answers, invalid offers or groups, agent removal) carry no uuid.
 * The uuid goes back exactly as received (base64 of the 16 bytes).
 */
export function acknowledgeCall(status: TaskStatus): Call | undefined {
  if (!status.uuid) return undefined;
  if (!status.agent_id) {
    throw new Error(
      `status update of task ${status.task_id.value} has a uuid but no agent_id to acknowledge`,
    );
  }
  return {
    type: 'ACKNOWLEDGE',
    acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
  };
}

/** RECONCILE: explicit with tasks (send every non-terminal task), implicit with none. */
export function reconcileCall(tasks: readonly { task_id: TaskID; agent_id?: AgentID }[] = []): Call {
  return { type: 'RECONCILE', reconcile: tasks.length > 0 ? { tasks: tasks.map((t) => ({ ...t })) } : {} };
}

/** SUPPRESS: no more offers (for these roles, or all); status updates keep coming. */
export const suppressCall = (roles: readonly string[] = []): Call => ({
  type: 'SUPPRESS',
  suppress: roles.length > 0 ? { roles: [...roles] } : {},
});

/** REVIVE: offers again and clears refuse filters (for these roles, or all). */
export const reviveCall = (roles: readonly string[] = []): Call => ({
  type: 'REVIVE',
  revive: roles.length > 0 ? { roles: [...roles] } : {},
});

/** TEARDOWN: the framework ends and Mesos kills all its tasks. */
export const teardownCall = (): Call => ({ type: 'TEARDOWN' });

export const shutdownCall = (executorId: string, agentId: string): Call => ({
  type: 'SHUTDOWN',
  shutdown: { executor_id: { value: executorId }, agent_id: { value: agentId } },
});

export const messageCall = (agentId: string, executorId: string, data: Uint8Array): Call => ({
  type: 'MESSAGE',
  message: {
    agent_id: { value: agentId },
    executor_id: { value: executorId },
    data: Buffer.from(data).toString('base64'),
  },
});

/** UPDATE_FRAMEWORK (answered 200, not 202); user, principal and checkpoint cannot change. */
export function updateFrameworkCall(
  frameworkInfo: FrameworkInfo,
  frameworkId: string,
  suppressedRoles?: readonly string[],
): Call {
  const call: Call = {
    type: 'UPDATE_FRAMEWORK',
    update_framework: { framework_info: { ...frameworkInfo, id: { value: frameworkId } } },
  };
  if (suppressedRoles && suppressedRoles.length > 0)
    call.update_framework!.suppressed_roles = [...suppressedRoles];
  return call;
}
