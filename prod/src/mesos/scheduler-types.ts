import type {
  AgentID,
  Base64,
  ExecutorID,
  Filters,
  FrameworkID,
  FrameworkInfo,
  InverseOffer,
  KillPolicy,
  MasterInfo,
  Offer,
  OfferID,
  OfferOperation,
  OperationID,
  OperationStatus,
  Request,
  ResourceProviderID,
  TaskID,
  TaskStatus,
} from './mesos-types.js';

/**
 * mesos.v1.scheduler Call and Event (proto/scheduler.proto) as plain objects, in the same form as
 * mesos-types.ts. Each is a union by convention: `type` names the payload field that is set.
 */

export type CallType =
  | 'UNKNOWN'
  | 'SUBSCRIBE'
  | 'TEARDOWN'
  | 'ACCEPT'
  | 'DECLINE'
  | 'ACCEPT_INVERSE_OFFERS'
  | 'DECLINE_INVERSE_OFFERS'
  | 'REVIVE'
  | 'KILL'
  | 'SHUTDOWN'
  | 'ACKNOWLEDGE'
  | 'ACKNOWLEDGE_OPERATION_STATUS'
  | 'RECONCILE'
  | 'RECONCILE_OPERATIONS'
  | 'MESSAGE'
  | 'REQUEST'
  | 'SUPPRESS'
  | 'UPDATE_FRAMEWORK';

export interface AttributeConstraint {
  selector: { pseudoattribute_type?: 'UNKNOWN' | 'HOSTNAME' | 'REGION' | 'ZONE'; attribute_name?: string };
  predicate: {
    exists?: Record<string, never>;
    not_exists?: Record<string, never>;
    text_equals?: { value: string };
    text_not_equals?: { value: string };
    text_matches?: { regex: string };
    text_not_matches?: { regex: string };
  };
}

export interface OfferConstraints {
  role_constraints?: Record<string, { groups?: { attribute_constraints?: AttributeConstraint[] }[] }>;
}

export interface Subscribe {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
  offer_constraints?: OfferConstraints;
}
export interface Accept {
  offer_ids?: OfferID[];
  operations?: OfferOperation[];
  filters?: Filters;
}
export interface Decline {
  offer_ids?: OfferID[];
  filters?: Filters;
}
export interface AcceptInverseOffers {
  inverse_offer_ids?: OfferID[];
  filters?: Filters;
}
export interface DeclineInverseOffers {
  inverse_offer_ids?: OfferID[];
  filters?: Filters;
}
/** Empty roles mean every role of the framework. */
export interface Revive {
  roles?: string[];
}
export interface Suppress {
  roles?: string[];
}
export interface Kill {
  task_id: TaskID;
  agent_id?: AgentID;
  kill_policy?: KillPolicy;
}
export interface Shutdown {
  executor_id: ExecutorID;
  agent_id: AgentID;
}
export interface Acknowledge {
  agent_id: AgentID;
  task_id: TaskID;
  uuid: Base64;
}
export interface AcknowledgeOperationStatus {
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
  uuid: Base64;
  operation_id: OperationID;
}
/** No tasks means implicit reconciliation (every task the master knows). */
export interface Reconcile {
  tasks?: { task_id: TaskID; agent_id?: AgentID }[];
}
export interface ReconcileOperations {
  operations?: { operation_id: OperationID; agent_id?: AgentID; resource_provider_id?: ResourceProviderID }[];
}
export interface CallMessage {
  agent_id: AgentID;
  executor_id: ExecutorID;
  data: Base64;
}
export interface CallRequest {
  requests?: Request[];
}
export interface UpdateFramework {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
  offer_constraints?: OfferConstraints;
}

export interface Call {
  /** Every call but the first SUBSCRIBE carries it (resubscribing too, and then also in framework_info.id). */
  framework_id?: FrameworkID;
  type?: CallType;
  subscribe?: Subscribe;
  accept?: Accept;
  decline?: Decline;
  accept_inverse_offers?: AcceptInverseOffers;
  decline_inverse_offers?: DeclineInverseOffers;
  revive?: Revive;
  kill?: Kill;
  shutdown?: Shutdown;
  acknowledge?: Acknowledge;
  acknowledge_operation_status?: AcknowledgeOperationStatus;
  reconcile?: Reconcile;
  reconcile_operations?: ReconcileOperations;
  message?: CallMessage;
  request?: CallRequest;
  suppress?: Suppress;
  update_framework?: UpdateFramework;
}

export type EventType =
  | 'UNKNOWN'
  | 'SUBSCRIBED'
  | 'OFFERS'
  | 'INVERSE_OFFERS'
  | 'RESCIND'
  | 'RESCIND_INVERSE_OFFER'
  | 'UPDATE'
  | 'UPDATE_OPERATION_STATUS'
  | 'MESSAGE'
  | 'FAILURE'
  | 'ERROR'
  | 'HEARTBEAT';

export interface Subscribed {
  framework_id: FrameworkID;
  heartbeat_interval_seconds?: number;
  master_info?: MasterInfo;
}
export interface Offers {
  offers?: Offer[];
}
export interface InverseOffers {
  inverse_offers?: InverseOffer[];
}
export interface Rescind {
  offer_id: OfferID;
}
export interface RescindInverseOffer {
  inverse_offer_id: OfferID;
}
export interface Update {
  status: TaskStatus;
}
export interface UpdateOperationStatus {
  status: OperationStatus;
}
export interface EventMessage {
  agent_id: AgentID;
  executor_id: ExecutorID;
  data: Base64;
}
/** An agent was lost (no executor_id) or an executor exited (with executor_id and its status). */
export interface Failure {
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  status?: number;
}
export interface EventError {
  message: string;
}

export interface Event {
  /** Absent when the master sent a type this subset does not know (a newer Mesos). */
  type?: EventType;
  subscribed?: Subscribed;
  offers?: Offers;
  inverse_offers?: InverseOffers;
  rescind?: Rescind;
  rescind_inverse_offer?: RescindInverseOffer;
  update?: Update;
  update_operation_status?: UpdateOperationStatus;
  message?: EventMessage;
  failure?: Failure;
  error?: EventError;
}
