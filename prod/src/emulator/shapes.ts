/**
 * The wire objects the emulator reads and writes, in protobufjs `toObject` form with keepCase
 * (snake_case keys, enums as strings, int64 as strings or numbers, bytes as base64 strings): the
 * same shapes as `../mesos/messages.ts`. Only the fields the emulator looks at are typed; anything
 * else a client sends is carried along untouched.
 */

export interface Id {
  value: string;
}

export type Int64 = string | number;

export interface Range {
  begin: Int64;
  end: Int64;
}

export interface Resource {
  name: string;
  type?: string;
  scalar?: { value: number };
  ranges?: { range?: Range[] };
  set?: { item?: string[] };
  role?: string;
  allocation_info?: { role?: string };
  reservations?: unknown[];
  [key: string]: unknown;
}

export interface Attribute {
  name: string;
  type: string;
  text?: { value: string };
  scalar?: { value: number };
  ranges?: { range?: Range[] };
}

export interface DurationInfo {
  nanoseconds: Int64;
}

export interface Unavailability {
  start: { nanoseconds: Int64 };
  duration?: DurationInfo;
}

export interface HealthCheckShape {
  type?: string;
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
  consecutive_failures?: number;
  grace_period_seconds?: number;
  http?: { scheme?: string; port: number; path?: string; statuses?: number[] };
  tcp?: { port: number };
  command?: CommandShape;
}

export interface CommandShape {
  value?: string;
  shell?: boolean;
  arguments?: string[];
  environment?: { variables?: { name: string; type?: string; value?: string }[] };
  uris?: unknown[];
}

export interface ExecutorShape {
  type?: string;
  executor_id: Id;
  framework_id?: Id;
  resources?: Resource[];
  command?: CommandShape;
  [key: string]: unknown;
}

export interface TaskInfoShape {
  name: string;
  task_id: Id;
  agent_id: Id;
  resources?: Resource[];
  executor?: ExecutorShape;
  command?: CommandShape;
  container?: { type?: string; [key: string]: unknown };
  health_check?: HealthCheckShape;
  kill_policy?: { grace_period?: DurationInfo };
  labels?: unknown;
  [key: string]: unknown;
}

export interface Filters {
  refuse_seconds?: number;
}

export interface Operation {
  type?: string;
  id?: Id;
  launch?: { task_infos?: TaskInfoShape[] };
  launch_group?: { executor: ExecutorShape; task_group: { tasks?: TaskInfoShape[] } };
  [key: string]: unknown;
}

export interface FrameworkInfo {
  user?: string;
  name?: string;
  id?: Id;
  failover_timeout?: number;
  checkpoint?: boolean;
  role?: string;
  roles?: string[];
  hostname?: string;
  principal?: string;
  capabilities?: { type?: string }[];
  [key: string]: unknown;
}

/** `mesos.v1.scheduler.Call`, the fields the master reads. */
export interface CallShape {
  framework_id?: Id;
  type?: string;
  subscribe?: { framework_info: FrameworkInfo; suppressed_roles?: string[] };
  accept?: { offer_ids?: Id[]; operations?: Operation[]; filters?: Filters };
  decline?: { offer_ids?: Id[]; filters?: Filters };
  accept_inverse_offers?: { inverse_offer_ids?: Id[]; filters?: Filters };
  decline_inverse_offers?: { inverse_offer_ids?: Id[]; filters?: Filters };
  revive?: { roles?: string[] };
  suppress?: { roles?: string[] };
  kill?: { task_id: Id; agent_id?: Id; kill_policy?: { grace_period?: DurationInfo } };
  shutdown?: { executor_id: Id; agent_id: Id };
  acknowledge?: { agent_id: Id; task_id: Id; uuid: string };
  reconcile?: { tasks?: { task_id: Id; agent_id?: Id }[] };
  message?: unknown;
  request?: unknown;
  update_framework?: { framework_info: FrameworkInfo; suppressed_roles?: string[] };
  [key: string]: unknown;
}

export interface TaskStatusShape {
  task_id: Id;
  state: string;
  message?: string;
  source?: string;
  reason?: string;
  data?: string;
  agent_id?: Id;
  executor_id?: Id;
  timestamp?: number;
  uuid?: string;
  healthy?: boolean;
}

export interface OfferShape {
  id: Id;
  framework_id: Id;
  agent_id: Id;
  hostname: string;
  url?: unknown;
  resources: Resource[];
  attributes: Attribute[];
  executor_ids?: Id[];
  unavailability?: Unavailability;
  allocation_info: { role: string };
}

export interface InverseOfferShape {
  id: Id;
  url: unknown;
  framework_id: Id;
  agent_id: Id;
  unavailability: Unavailability;
}

/** `mesos.v1.scheduler.Event` as the emulator builds it. */
export interface EventShape {
  type: string;
  subscribed?: { framework_id: Id; heartbeat_interval_seconds: number; master_info: MasterInfoShape };
  offers?: { offers: OfferShape[] };
  inverse_offers?: { inverse_offers: InverseOfferShape[] };
  rescind?: { offer_id: Id };
  rescind_inverse_offer?: { inverse_offer_id: Id };
  update?: { status: TaskStatusShape };
  failure?: { agent_id?: Id; executor_id?: Id; status?: number };
  error?: { message: string };
}

export interface MasterInfoShape {
  id: string;
  ip: number;
  port: number;
  pid: string;
  hostname: string;
  version: string;
  address: { hostname: string; ip: string; port: number };
  capabilities?: { type: string }[];
}
