import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { messageToJson, objectFromJson } from '../mesos/json.js';
import type { Master } from './master.js';
import type { Framework, Task } from './model.js';
import type { Reply } from './scheduler-calls.js';

/**
 * The operator API subset (POST /api/v1): GET_STATE, GET_TASKS, GET_AGENTS, GET_FRAMEWORKS,
 * GET_EXECUTORS, GET_MASTER, GET_HEALTH in protobuf or JSON, plus DRAIN_AGENT / REACTIVATE_AGENT /
 * MARK_AGENT_GONE in JSON. Also the objects behind the legacy GET /master/state.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const mesosDir = fileURLToPath(new URL('../mesos/proto/', import.meta.url));

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target === 'operator.proto' ? here : mesosDir) + target;
  root.loadSync('operator.proto', { keepCase: true });
  root.resolveAll();
  return root;
}

const root = loadRoot();
const CallType = root.lookupType('mesos.v1.master.Call');
const ResponseType = root.lookupType('mesos.v1.master.Response');

/** The operator Call and Response types (for tests and tools that speak protobuf). */
export function operatorTypes(): { Call: protobuf.Type; Response: protobuf.Type } {
  return { Call: CallType, Response: ResponseType };
}

export type OperatorReply = Reply & { contentType?: string; bytes?: Uint8Array };

const JSON_ONLY = new Set(['DRAIN_AGENT', 'REACTIVATE_AGENT', 'MARK_AGENT_GONE', 'TEARDOWN']);

export function operatorCall(
  master: Master,
  body: Buffer,
  contentType: string,
  accept: 'json' | 'protobuf',
): OperatorReply {
  let call: Record<string, unknown>;
  if (contentType === 'application/json') {
    const text = body.toString('utf8');
    try {
      const raw = JSON.parse(text) as Record<string, unknown>;
      if (typeof raw?.type === 'string' && JSON_ONLY.has(raw.type)) return extendedCall(master, raw);
      call = objectFromJson(CallType, text);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const responseText = (e as { responseText?: (name: string) => string }).responseText;
      return {
        status: 400,
        body: responseText ? responseText.call(e, 'Call') : `Failed to parse body into JSON: ${message}`,
      };
    }
  } else {
    try {
      call = CallType.toObject(CallType.decode(body), { enums: String, longs: String, bytes: String });
    } catch {
      return { status: 400, body: 'Failed to parse body into Call protobuf' };
    }
  }
  const type = call.type as string | undefined;
  if (!type) return { status: 400, body: "Failed to validate master::Call: Expecting 'type' to be present" };
  const response = respond(master, type);
  if (!response) return { status: 501, body: `Unsupported call type ${type}` };
  if (accept === 'json') {
    return { status: 200, contentType: 'application/json', body: messageToJson(ResponseType, response) };
  }
  return {
    status: 200,
    contentType: 'application/x-protobuf',
    bytes: ResponseType.encode(ResponseType.fromObject(response)).finish(),
  };
}

function extendedCall(master: Master, raw: Record<string, unknown>): OperatorReply {
  const type = raw.type as string;
  const payload = raw[type.toLowerCase()] as
    | { agent_id?: { value?: string }; framework_id?: { value?: string } }
    | undefined;
  if (type === 'TEARDOWN') {
    const f = master.frameworks.get(payload?.framework_id?.value ?? '');
    if (!f) return { status: 400, body: 'Framework cannot be found' };
    master.scheduler.remove(f);
    return { status: 200 };
  }
  const i = master.agents.indexOf(payload?.agent_id?.value);
  if (i < 0) return { status: 400, body: `Unknown agent ${payload?.agent_id?.value ?? ''}` };
  if (type === 'DRAIN_AGENT') {
    const grace = (raw.drain_agent as { max_grace_period?: { nanoseconds?: number | string } } | undefined)
      ?.max_grace_period?.nanoseconds;
    master.drainAgent(i, grace === undefined ? undefined : Number(grace) / 1e6);
  } else if (type === 'REACTIVATE_AGENT') master.reactivateAgent(i);
  else if (type === 'MARK_AGENT_GONE') {
    master.agents.states[i] = 'down';
    master.allocator.rescindAgent(i);
    master.allocator.agentChanged(i);
    master.endAgentTasks(
      i,
      (f) => (f.partitionAware ? 'TASK_GONE_BY_OPERATOR' : 'TASK_LOST'),
      'REASON_AGENT_REMOVED_BY_OPERATOR',
      'Agent marked gone by the operator',
    );
  }
  return { status: 200 };
}

function respond(master: Master, type: string): Record<string, unknown> | null {
  switch (type) {
    case 'GET_HEALTH':
      return { type, get_health: { healthy: true } };
    case 'GET_STATE':
      return {
        type,
        get_state: {
          get_tasks: getTasks(master),
          get_executors: getExecutors(master),
          get_frameworks: getFrameworks(master),
          get_agents: getAgents(master),
        },
      };
    case 'GET_TASKS':
      return { type, get_tasks: getTasks(master) };
    case 'GET_AGENTS':
      return { type, get_agents: getAgents(master) };
    case 'GET_FRAMEWORKS':
      return { type, get_frameworks: getFrameworks(master) };
    case 'GET_EXECUTORS':
      return { type, get_executors: getExecutors(master) };
    case 'GET_MASTER':
      return { type, get_master: { master_info: master.info, start_time: master.startTime } };
    default:
      return null;
  }
}

function time(seconds: number): { nanoseconds: string } {
  return { nanoseconds: String(Math.round(seconds * 1e6)) + '000' };
}

export function taskObject(master: Master, task: Task): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: task.info.name,
    task_id: { value: task.id },
    framework_id: { value: task.framework.id },
    executor_id: task.executor ? { value: task.executor.id } : undefined,
    agent_id: { value: master.agents.ids[task.agent]! },
    state: task.state,
    resources: task.resources,
    statuses: task.latest ? [task.latest] : [],
  };
  const head = task.pending[0];
  if (head) {
    out.status_update_state = head.state;
    out.status_update_uuid = head.uuid;
  }
  for (const k of ['labels', 'discovery', 'container', 'health_check', 'kill_policy'] as const) {
    if (task.info[k] !== undefined) out[k] = task.info[k];
  }
  if (out.executor_id === undefined) delete out.executor_id;
  return out;
}

function allFrameworks(master: Master): Framework[] {
  return [...master.frameworks.values()];
}

function getTasks(master: Master): Record<string, unknown> {
  const tasks: unknown[] = [];
  const completed: unknown[] = [];
  const unreachable: unknown[] = [];
  for (const f of [...allFrameworks(master), ...master.removedFrameworks.values()]) {
    for (const t of f.tasks.values()) tasks.push(taskObject(master, t));
    for (const t of f.completed) completed.push(taskObject(master, t));
    for (const t of f.unreachable.values()) unreachable.push(taskObject(master, t));
  }
  return { tasks, completed_tasks: completed, unreachable_tasks: unreachable };
}

function getExecutors(master: Master): Record<string, unknown> {
  return {
    executors: [...master.executors.values()].map((e) => ({
      executor_info: {
        type: 'DEFAULT',
        executor_id: { value: e.id },
        framework_id: { value: e.framework.id },
        resources: e.resources,
      },
      agent_id: { value: master.agents.ids[e.agent]! },
    })),
  };
}

function frameworkObject(master: Master, f: Framework, live: boolean): Record<string, unknown> {
  return {
    framework_info: f.info,
    active: live && f.stream !== null,
    connected: live && f.stream !== null,
    recovered: false,
    registered_time: time(f.registeredTime),
    ...(f.reregisteredTime ? { reregistered_time: time(f.reregisteredTime) } : {}),
    offers: [...f.offers.values()].map((o) => ({
      id: { value: o.id },
      framework_id: { value: f.id },
      agent_id: { value: master.agents.ids[o.agent]! },
      hostname: master.agents.hostnames[o.agent]!,
      resources: master.offeredResources(o.agent),
    })),
    inverse_offers: [...f.inverseOffers.values()].map((o) => o.shape),
  };
}

function getFrameworks(master: Master): Record<string, unknown> {
  return {
    frameworks: allFrameworks(master).map((f) => frameworkObject(master, f, true)),
    completed_frameworks: [...master.removedFrameworks.values()].map((f) =>
      frameworkObject(master, f, false),
    ),
  };
}

function getAgents(master: Master): Record<string, unknown> {
  const a = master.agents;
  const agents: unknown[] = [];
  for (let i = 0; i < a.count; i++) {
    if (a.states[i] === 'unreachable' || a.states[i] === 'down') continue;
    const { total, used } = master.agentResources(i);
    agents.push({
      agent_info: {
        hostname: a.hostnames[i]!,
        port: 5051,
        resources: total,
        attributes: a.attributes[i]!,
        id: { value: a.ids[i]! },
      },
      active: a.states[i] === 'active',
      version: '1.12.0',
      pid: `slave(1)@127.0.0.1:5051`,
      registered_time: time(a.registeredAt[i]!),
      total_resources: total,
      allocated_resources: used,
      offered_resources: master.offeredResources(i),
    });
  }
  return { agents };
}

/** GET /master/state: the legacy JSON (frameworks[].tasks, slaves, leader, ...). */
export function legacyState(master: Master, leader: string | null): unknown {
  const a = master.agents;
  const scalarsOf = (i: number, used: boolean): Record<string, unknown> => {
    const s = a.shape;
    const free = a.free(i);
    const portsText = used ? '' : `[${a.portBase[i]}-${a.portBase[i]! + a.portCount - 1}]`;
    return used
      ? {
          cpus: s.cpus - free.cpus,
          mem: s.mem - free.mem,
          disk: s.disk - free.disk,
          gpus: s.gpus - free.gpus,
        }
      : { cpus: s.cpus, mem: s.mem, disk: s.disk, gpus: s.gpus, ports: portsText };
  };
  const legacyTask = (t: Task): unknown => ({
    id: t.id,
    name: t.info.name,
    framework_id: t.framework.id,
    executor_id: t.executor?.id ?? '',
    slave_id: a.ids[t.agent],
    state: t.state,
    resources: { cpus: t.amounts.cpus, mem: t.amounts.mem, disk: t.amounts.disk, gpus: t.amounts.gpus },
    statuses: t.latest ? [{ state: t.latest.state, timestamp: t.latest.timestamp }] : [],
  });
  const frameworks = allFrameworks(master).map((f) => ({
    id: f.id,
    name: f.info.name ?? '',
    user: f.info.user ?? '',
    role: f.role,
    active: f.stream !== null,
    connected: f.stream !== null,
    failover_timeout: f.info.failover_timeout ?? 0,
    capabilities: (f.info.capabilities ?? []).map((c) => c.type),
    tasks: [...f.tasks.values()].map(legacyTask),
    completed_tasks: f.completed.map(legacyTask),
    unreachable_tasks: [...f.unreachable.values()].map(legacyTask),
    offers: [...f.offers.values()].map((o) => ({ id: o.id, slave_id: a.ids[o.agent] })),
  }));
  const slaves: unknown[] = [];
  for (let i = 0; i < a.count; i++) {
    if (a.states[i] === 'unreachable' || a.states[i] === 'down') continue;
    slaves.push({
      id: a.ids[i],
      hostname: a.hostnames[i],
      pid: `slave(1)@${a.hostnames[i]}:5051`,
      active: a.states[i] === 'active',
      deactivated: a.states[i] === 'draining',
      resources: scalarsOf(i, false),
      used_resources: scalarsOf(i, true),
      attributes: Object.fromEntries(a.attributes[i]!.map((x) => [x.name, x.text?.value ?? ''])),
    });
  }
  return {
    version: '1.12.0',
    id: master.id,
    pid: master.info.pid,
    hostname: master.info.hostname,
    start_time: master.startTime,
    leader: leader ?? undefined,
    activated_slaves: slaves.length,
    deactivated_slaves: 0,
    unreachable_slaves: a.states.filter((s) => s === 'unreachable').length,
    frameworks,
    completed_frameworks: [...master.removedFrameworks.values()].map((f) => ({
      id: f.id,
      name: f.info.name ?? '',
    })),
    slaves,
  };
}
