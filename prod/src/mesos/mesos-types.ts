/**
 * The mesos.v1 messages of proto/mesos.proto as plain objects, in the form protobufjs's toObject gives
 * with keepCase: Mesos's snake_case names, enums as their string names, int64/uint64 as decimal
 * strings (numbers are accepted when encoding), bytes as base64 strings. Optional fields may be absent.
 */

/** A 64-bit integer: a decimal string when decoded; a number or string when encoding. */
export type Int64 = string | number;
/** A protobuf `bytes` field as base64 (use Buffer.from(x, 'base64') to get the bytes). */
export type Base64 = string;

export interface FrameworkID {
  value: string;
}
export interface OfferID {
  value: string;
}
export interface AgentID {
  value: string;
}
export interface TaskID {
  value: string;
}
export interface ExecutorID {
  value: string;
}
export interface ResourceProviderID {
  value: string;
}
export interface OperationID {
  value: string;
}
export interface ContainerID {
  value: string;
  parent?: ContainerID;
}

export interface TimeInfo {
  nanoseconds: Int64;
}
export interface DurationInfo {
  nanoseconds: Int64;
}
export interface Address {
  hostname?: string;
  ip?: string;
  port: number;
}
export interface Parameter {
  key: string;
  value: string;
}
export interface Parameters {
  parameter?: Parameter[];
}
export interface URL {
  scheme: string;
  address: Address;
  path?: string;
  query?: Parameter[];
  fragment?: string;
}
export interface Unavailability {
  start: TimeInfo;
  duration?: DurationInfo;
}
export interface MachineID {
  hostname?: string;
  ip?: string;
}
export interface MachineInfo {
  id: MachineID;
  mode?: 'UP' | 'DRAINING' | 'DOWN';
  unavailability?: Unavailability;
}
export interface Label {
  key: string;
  value?: string;
}
export interface Labels {
  labels?: Label[];
}

export type FrameworkCapabilityType =
  | 'UNKNOWN'
  | 'REVOCABLE_RESOURCES'
  | 'TASK_KILLING_STATE'
  | 'GPU_RESOURCES'
  | 'SHARED_RESOURCES'
  | 'PARTITION_AWARE'
  | 'MULTI_ROLE'
  | 'RESERVATION_REFINEMENT'
  | 'REGION_AWARE';

export interface FrameworkInfo {
  user: string;
  name: string;
  id?: FrameworkID;
  /** Seconds the master keeps the framework's tasks after it disconnects; Mesos's default 0 kills them at once. */
  failover_timeout?: number;
  checkpoint?: boolean;
  /** Deprecated by Mesos in favour of roles + MULTI_ROLE. */
  role?: string;
  roles?: string[];
  hostname?: string;
  principal?: string;
  webui_url?: string;
  capabilities?: { type?: FrameworkCapabilityType }[];
  labels?: Labels;
  offer_filters?: Record<string, OfferFilters>;
}

export interface OfferFilters {
  min_allocatable_resources?: { quantities?: { quantities?: Record<string, ValueScalar> }[] };
}

export interface DomainInfo {
  fault_domain?: { region: { name: string }; zone: { name: string } };
}

export interface MasterInfo {
  id: string;
  /** IPv4 address packed in network byte order, as Mesos writes it. */
  ip: number;
  port: number;
  pid?: string;
  hostname?: string;
  version?: string;
  address?: Address;
  domain?: DomainInfo;
  capabilities?: { type?: 'UNKNOWN' | 'AGENT_UPDATE' | 'AGENT_DRAINING' | 'QUOTA_V2' }[];
}

export interface AgentInfo {
  hostname: string;
  port?: number;
  resources?: Resource[];
  attributes?: Attribute[];
  id?: AgentID;
  domain?: DomainInfo;
}

export type ValueType = 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';
export interface ValueScalar {
  value: number;
}
export interface ValueRange {
  begin: Int64;
  end: Int64;
}
export interface ValueRanges {
  range?: ValueRange[];
}
export interface ValueSet {
  item?: string[];
}
export interface ValueText {
  value: string;
}
export interface Value {
  type: ValueType;
  scalar?: ValueScalar;
  ranges?: ValueRanges;
  set?: ValueSet;
  text?: ValueText;
}

export interface Attribute {
  name: string;
  type: ValueType;
  scalar?: ValueScalar;
  ranges?: ValueRanges;
  set?: ValueSet;
  text?: ValueText;
}

export interface AllocationInfo {
  role?: string;
}
export interface ReservationInfo {
  type?: 'UNKNOWN' | 'STATIC' | 'DYNAMIC';
  role?: string;
  principal?: string;
  labels?: Labels;
}
export type DiskSourceType = 'UNKNOWN' | 'PATH' | 'MOUNT' | 'BLOCK' | 'RAW';
export interface DiskInfo {
  persistence?: { id: string; principal?: string };
  volume?: Volume;
  source?: {
    type: DiskSourceType;
    path?: { root?: string };
    mount?: { root?: string };
    vendor?: string;
    id?: string;
    metadata?: Labels;
    profile?: string;
  };
}

export interface Resource {
  provider_id?: ResourceProviderID;
  name: string;
  type: ValueType;
  scalar?: ValueScalar;
  ranges?: ValueRanges;
  set?: ValueSet;
  /** Deprecated by Mesos (pre-MULTI_ROLE); offers still carry it. */
  role?: string;
  allocation_info?: AllocationInfo;
  reservation?: ReservationInfo;
  reservations?: ReservationInfo[];
  disk?: DiskInfo;
  revocable?: Record<string, never>;
  shared?: Record<string, never>;
}

export interface Request {
  agent_id?: AgentID;
  resources?: Resource[];
}

export type OperationType =
  | 'UNKNOWN'
  | 'LAUNCH'
  | 'LAUNCH_GROUP'
  | 'RESERVE'
  | 'UNRESERVE'
  | 'CREATE'
  | 'DESTROY'
  | 'GROW_VOLUME'
  | 'SHRINK_VOLUME'
  | 'CREATE_DISK'
  | 'DESTROY_DISK';

/** Offer.Operation: one step of an ACCEPT. */
export interface OfferOperation {
  type?: OperationType;
  /** Set it to get UPDATE_OPERATION_STATUS events (not for launches). */
  id?: OperationID;
  launch?: { task_infos?: TaskInfo[] };
  launch_group?: { executor: ExecutorInfo; task_group: TaskGroupInfo };
  reserve?: { source?: Resource[]; resources?: Resource[] };
  unreserve?: { resources?: Resource[] };
  create?: { volumes?: Resource[] };
  destroy?: { volumes?: Resource[] };
  grow_volume?: { volume: Resource; addition: Resource };
  shrink_volume?: { volume: Resource; subtract: ValueScalar };
  create_disk?: { source: Resource; target_type: DiskSourceType; target_profile?: string };
  destroy_disk?: { source: Resource };
}

export interface Offer {
  id: OfferID;
  framework_id: FrameworkID;
  agent_id: AgentID;
  hostname: string;
  url?: URL;
  domain?: DomainInfo;
  resources?: Resource[];
  attributes?: Attribute[];
  executor_ids?: ExecutorID[];
  unavailability?: Unavailability;
  allocation_info?: AllocationInfo;
}

export interface InverseOffer {
  id: OfferID;
  url?: URL;
  framework_id: FrameworkID;
  agent_id?: AgentID;
  unavailability: Unavailability;
  resources?: Resource[];
}

export interface Secret {
  type?: 'UNKNOWN' | 'REFERENCE' | 'VALUE';
  reference?: { name: string; key?: string };
  value?: { data: Base64 };
}

export interface EnvironmentVariable {
  name: string;
  type?: 'UNKNOWN' | 'VALUE' | 'SECRET';
  value?: string;
  secret?: Secret;
}
export interface Environment {
  variables?: EnvironmentVariable[];
}

export interface CommandURI {
  value: string;
  executable?: boolean;
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

export interface CommandInfo {
  uris?: CommandURI[];
  environment?: Environment;
  /** true (Mesos's default): `sh -c value`; false: execute value with arguments. */
  shell?: boolean;
  value?: string;
  arguments?: string[];
  user?: string;
}

export type NetworkProtocol = 'IPv4' | 'IPv6';
export interface NetworkInfo {
  ip_addresses?: { protocol?: NetworkProtocol; ip_address?: string }[];
  name?: string;
  groups?: string[];
  labels?: Labels;
  port_mappings?: { host_port: number; container_port: number; protocol?: string }[];
}

export interface HealthCheck {
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
  consecutive_failures?: number;
  grace_period_seconds?: number;
  type?: 'UNKNOWN' | 'COMMAND' | 'HTTP' | 'TCP';
  command?: CommandInfo;
  http?: { protocol?: NetworkProtocol; scheme?: string; port: number; path?: string; statuses?: number[] };
  tcp?: { protocol?: NetworkProtocol; port: number };
}

export type CheckType = 'UNKNOWN' | 'COMMAND' | 'HTTP' | 'TCP';
export interface CheckInfo {
  type?: CheckType;
  command?: { command: CommandInfo };
  http?: { port: number; path?: string };
  tcp?: { port: number };
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
}

export interface KillPolicy {
  grace_period?: DurationInfo;
}

export interface Credential {
  principal: string;
  secret?: string;
}

export interface Image {
  type: 'APPC' | 'DOCKER';
  appc?: { name: string; id?: string; labels?: Labels };
  docker?: { name: string; credential?: Credential; config?: Secret };
  cached?: boolean;
}

export interface Volume {
  mode: 'RW' | 'RO';
  container_path: string;
  host_path?: string;
  image?: Image;
}

export interface ContainerInfo {
  type: 'DOCKER' | 'MESOS';
  volumes?: Volume[];
  hostname?: string;
  docker?: {
    image: string;
    network?: 'HOST' | 'BRIDGE' | 'NONE' | 'USER';
    port_mappings?: { host_port: number; container_port: number; protocol?: string }[];
    privileged?: boolean;
    parameters?: Parameter[];
    force_pull_image?: boolean;
  };
  mesos?: { image?: Image };
  network_infos?: NetworkInfo[];
}

export interface ContainerStatus {
  container_id?: ContainerID;
  network_infos?: NetworkInfo[];
  executor_pid?: number;
}

export type DiscoveryVisibility = 'FRAMEWORK' | 'CLUSTER' | 'EXTERNAL';
export interface Port {
  number: number;
  name?: string;
  protocol?: string;
  visibility?: DiscoveryVisibility;
  labels?: Labels;
}
export interface DiscoveryInfo {
  visibility: DiscoveryVisibility;
  name?: string;
  environment?: string;
  location?: string;
  version?: string;
  ports?: { ports?: Port[] };
  labels?: Labels;
}

export interface ExecutorInfo {
  type?: 'UNKNOWN' | 'DEFAULT' | 'CUSTOM';
  executor_id: ExecutorID;
  framework_id?: FrameworkID;
  command?: CommandInfo;
  container?: ContainerInfo;
  resources?: Resource[];
  name?: string;
  data?: Base64;
  discovery?: DiscoveryInfo;
  shutdown_grace_period?: DurationInfo;
  labels?: Labels;
}

export interface TaskInfo {
  name: string;
  task_id: TaskID;
  agent_id: AgentID;
  resources?: Resource[];
  executor?: ExecutorInfo;
  command?: CommandInfo;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  check?: CheckInfo;
  kill_policy?: KillPolicy;
  data?: Base64;
  labels?: Labels;
  discovery?: DiscoveryInfo;
  max_completion_time?: DurationInfo;
  limits?: Record<string, ValueScalar>;
}

export interface TaskGroupInfo {
  tasks?: TaskInfo[];
}

export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_DROPPED'
  | 'TASK_UNREACHABLE'
  | 'TASK_GONE'
  | 'TASK_GONE_BY_OPERATOR'
  | 'TASK_UNKNOWN';

export type TaskStatusSource = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

export type TaskStatusReason =
  | 'REASON_COMMAND_EXECUTOR_FAILED'
  | 'REASON_CONTAINER_LAUNCH_FAILED'
  | 'REASON_CONTAINER_LIMITATION'
  | 'REASON_CONTAINER_LIMITATION_DISK'
  | 'REASON_CONTAINER_LIMITATION_MEMORY'
  | 'REASON_CONTAINER_PREEMPTED'
  | 'REASON_CONTAINER_UPDATE_FAILED'
  | 'REASON_MAX_COMPLETION_TIME_REACHED'
  | 'REASON_EXECUTOR_REGISTRATION_TIMEOUT'
  | 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT'
  | 'REASON_EXECUTOR_TERMINATED'
  | 'REASON_EXECUTOR_UNREGISTERED'
  | 'REASON_FRAMEWORK_REMOVED'
  | 'REASON_GC_ERROR'
  | 'REASON_INVALID_FRAMEWORKID'
  | 'REASON_INVALID_OFFERS'
  | 'REASON_IO_SWITCHBOARD_EXITED'
  | 'REASON_MASTER_DISCONNECTED'
  | 'REASON_RECONCILIATION'
  | 'REASON_RESOURCES_UNKNOWN'
  | 'REASON_AGENT_DISCONNECTED'
  | 'REASON_AGENT_DRAINING'
  | 'REASON_AGENT_REMOVED'
  | 'REASON_AGENT_REMOVED_BY_OPERATOR'
  | 'REASON_AGENT_REREGISTERED'
  | 'REASON_AGENT_RESTARTED'
  | 'REASON_AGENT_UNKNOWN'
  | 'REASON_TASK_KILLED_DURING_LAUNCH'
  | 'REASON_TASK_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_GROUP_INVALID'
  | 'REASON_TASK_GROUP_UNAUTHORIZED'
  | 'REASON_TASK_INVALID'
  | 'REASON_TASK_UNAUTHORIZED'
  | 'REASON_TASK_UNKNOWN';

export interface CheckStatusInfo {
  type?: CheckType;
  command?: { exit_code?: number };
  http?: { status_code?: number };
  tcp?: { succeeded?: boolean };
}

export interface TaskStatus {
  task_id: TaskID;
  state: TaskState;
  message?: string;
  source?: TaskStatusSource;
  reason?: TaskStatusReason;
  data?: Base64;
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  /** Seconds since the epoch. */
  timestamp?: number;
  /** Present on updates that must be acknowledged; send it back unchanged. Master-made updates have none. */
  uuid?: Base64;
  healthy?: boolean;
  check_status?: CheckStatusInfo;
  labels?: Labels;
  container_status?: ContainerStatus;
  unreachable_time?: TimeInfo;
  limitation?: { resources?: Resource[] };
}

/** A task as the master reports it (operator API). */
export interface Task {
  name: string;
  task_id: TaskID;
  framework_id: FrameworkID;
  executor_id?: ExecutorID;
  agent_id: AgentID;
  state: TaskState;
  resources?: Resource[];
  statuses?: TaskStatus[];
  status_update_state?: TaskState;
  status_update_uuid?: Base64;
  labels?: Labels;
  discovery?: DiscoveryInfo;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  kill_policy?: KillPolicy;
  user?: string;
  limits?: Record<string, ValueScalar>;
}

export type OperationState =
  | 'OPERATION_UNSUPPORTED'
  | 'OPERATION_PENDING'
  | 'OPERATION_FINISHED'
  | 'OPERATION_FAILED'
  | 'OPERATION_ERROR'
  | 'OPERATION_DROPPED'
  | 'OPERATION_UNREACHABLE'
  | 'OPERATION_GONE_BY_OPERATOR'
  | 'OPERATION_RECOVERING'
  | 'OPERATION_UNKNOWN';

export interface UUID {
  value: Base64;
}

export interface OperationStatus {
  operation_id?: OperationID;
  state: OperationState;
  message?: string;
  converted_resources?: Resource[];
  /** A UUID message: acknowledge with its `.value`. */
  uuid?: UUID;
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
}

export interface Operation {
  framework_id?: FrameworkID;
  agent_id?: AgentID;
  info: OfferOperation;
  latest_status: OperationStatus;
  statuses?: OperationStatus[];
  uuid: UUID;
}

/** refuse_seconds defaults to 5 in Mesos, also when no Filters are sent. */
export interface Filters {
  refuse_seconds?: number;
}
