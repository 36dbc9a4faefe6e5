import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { callFromJson, decodeCall, encodeEvent, eventToJson, MesosJsonError } from '../mesos/messages.js';
import { encodeRecord } from '../mesos/recordio.js';
import type { Control } from './control.js';
import { filesRequest } from './files-api.js';
import { JSON_TYPE, negotiate, PROTOBUF_TYPE } from './http-media.js';
import type { Master } from './master.js';
import type { Stream } from './model.js';
import { legacyState, operatorCall } from './operator.js';
import { type Reply, validate } from './scheduler-calls.js';
import type { CallShape, EventShape } from './shapes.js';

/** Who leads: this instance, another one (host:port), or nobody. */
export interface Leadership {
  isLeader(): boolean;
  leader(): string | null;
}

const SCHEDULER_PATHS = new Set(['/api/v1/scheduler', '/master/api/v1/scheduler']);
const OPERATOR_PATHS = new Set(['/api/v1', '/master/api/v1']);
const TEXT = 'text/plain; charset=utf-8';

/**
 * The emulator's HTTP face on 127.0.0.1: the scheduler API (RecordIO streams in JSON or protobuf),
 * the operator API, the legacy endpoints, maintenance, the files API and the control endpoint.
 * Everything a client can observe follows Mesos's master (status codes, bodies, headers).
 */
export function createHttpServer(
  master: Master,
  control: Control,
  leadership: Leadership,
  workDir: string | null,
): Server {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        route(master, control, leadership, workDir, req, res, Buffer.concat(chunks));
      } catch (e) {
        if (!res.headersSent) plain(res, 500, e instanceof Error ? e.message : String(e));
      }
    });
  });
  // Subscribe streams live for hours: no request, header or idle timeouts on our side.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.timeout = 0;
  server.keepAliveTimeout = 30_000;
  return server;
}

function plain(res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  if (body === '') {
    res.writeHead(status, { 'Content-Length': '0', ...headers });
    res.end();
    return;
  }
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': TEXT, 'Content-Length': String(bytes.length), ...headers });
  res.end(bytes);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

function reply(res: ServerResponse, r: Reply): void {
  plain(res, r.status, r.body ?? '');
}

function methodNotAllowed(res: ServerResponse, method: string, allowed: string[]): void {
  const list = allowed.map((m) => `'${m}'`).join(', ');
  plain(res, 405, `405 Method Not Allowed. Expecting one of { ${list} }, but received '${method}'.`, {
    Allow: allowed.join(', '),
  });
}

/** Not the leader: 307 to the leader's /master path (protocol-relative), or 503 without one. */
function redirect(res: ServerResponse, leadership: Leadership, path: string): void {
  const leader = leadership.leader();
  if (!leader) {
    plain(res, 503, 'No leader elected');
    return;
  }
  const target = path.startsWith('/master') ? path : `/master${path}`;
  res.writeHead(307, { Location: `//${leader}${target}`, 'Content-Length': '0' });
  res.end();
}

function route(
  master: Master,
  control: Control,
  leadership: Leadership,
  workDir: string | null,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path.startsWith('/emulator/v1/')) {
    let parsed: unknown = {};
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        plain(res, 400, 'Expecting a JSON body');
        return;
      }
    }
    const r = control.http(method, path, parsed);
    if (r.json !== undefined) json(res, r.status, r.json);
    else reply(res, r);
    return;
  }
  const files = filesRequest(workDir, path, url.searchParams);
  if (files) {
    if (files.json !== undefined) json(res, files.status, files.json);
    else reply(res, files);
    return;
  }
  if (path === '/master/health' || path === '/health') {
    plain(res, 200);
    return;
  }
  if (path === '/master/redirect' || path === '/redirect') {
    const leader = leadership.isLeader() ? `127.0.0.1:${master.info.port}` : leadership.leader();
    if (!leader) plain(res, 503, 'No leader elected');
    else {
      res.writeHead(307, { Location: `//${leader}`, 'Content-Length': '0' });
      res.end();
    }
    return;
  }
  if (path === '/metrics/snapshot') {
    json(res, 200, metrics(master, leadership));
    return;
  }
  const known =
    SCHEDULER_PATHS.has(path) ||
    OPERATOR_PATHS.has(path) ||
    path.startsWith('/master/maintenance/') ||
    path.startsWith('/master/machine/') ||
    [
      '/master/state',
      '/master/state.json',
      '/state',
      '/state.json',
      '/master/tasks',
      '/master/frameworks',
      '/master/slaves',
    ].includes(path);
  if (!known) {
    plain(res, 404);
    return;
  }
  const postOnly =
    SCHEDULER_PATHS.has(path) || OPERATOR_PATHS.has(path) || path.startsWith('/master/machine/');
  if (postOnly && method !== 'POST') {
    methodNotAllowed(res, method, ['POST']);
    return;
  }
  if (!leadership.isLeader()) {
    redirect(res, leadership, path);
    return;
  }
  if (SCHEDULER_PATHS.has(path)) {
    schedulerRequest(master, req, res, body);
    return;
  }
  if (OPERATOR_PATHS.has(path)) {
    const contentType = req.headers['content-type'];
    if (contentType === undefined) {
      plain(res, 400, "Expecting 'Content-Type' to be present");
      return;
    }
    if (contentType !== JSON_TYPE && contentType !== PROTOBUF_TYPE) {
      plain(res, 415, `Expecting 'Content-Type' of ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
      return;
    }
    const accept = negotiate(req.headers.accept);
    if (!accept) {
      plain(res, 406, `Expecting 'Accept' to allow ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
      return;
    }
    const r = operatorCall(master, body, contentType, accept);
    if (r.bytes) {
      res.writeHead(r.status, { 'Content-Type': r.contentType!, 'Content-Length': String(r.bytes.length) });
      res.end(Buffer.from(r.bytes));
    } else if (r.contentType) {
      const bytes = Buffer.from(r.body ?? '', 'utf8');
      res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': String(bytes.length) });
      res.end(bytes);
    } else reply(res, r);
    return;
  }
  const leader = `master@127.0.0.1:${master.info.port}`;
  if (path.startsWith('/master/maintenance/')) {
    if (path === '/master/maintenance/status') {
      json(res, 200, master.maintenance.status());
      return;
    }
    if (path !== '/master/maintenance/schedule') {
      plain(res, 404);
      return;
    }
    if (method === 'GET') {
      json(res, 200, master.maintenance.getSchedule());
      return;
    }
    if (method !== 'POST') {
      methodNotAllowed(res, method, ['GET', 'POST']);
      return;
    }
    const input = parseJson(body);
    if (input === undefined) {
      plain(res, 400, 'Failed to parse the maintenance schedule JSON');
      return;
    }
    reply(res, master.maintenance.setSchedule(input));
    return;
  }
  if (path.startsWith('/master/machine/')) {
    const input = parseJson(body);
    if (input === undefined) {
      plain(res, 400, 'Failed to parse the list of machines JSON');
      return;
    }
    if (path === '/master/machine/down') {
      reply(res, master.maintenance.machinesDown(input));
      return;
    }
    if (path === '/master/machine/up') {
      reply(res, master.maintenance.machinesUp(input));
      return;
    }
    plain(res, 404);
    return;
  }
  const state = legacyState(master, leader) as Record<string, unknown>;
  if (path === '/master/tasks') {
    const tasks = (state.frameworks as { tasks: unknown[] }[]).flatMap((f) => f.tasks);
    json(res, 200, { tasks });
    return;
  }
  if (path === '/master/frameworks') {
    json(res, 200, { frameworks: state.frameworks });
    return;
  }
  if (path === '/master/slaves') {
    json(res, 200, { slaves: state.slaves });
    return;
  }
  json(res, 200, state);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function schedulerRequest(master: Master, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const contentType = req.headers['content-type'];
  if (contentType === undefined) {
    plain(res, 400, "Expecting 'Content-Type' to be present");
    return;
  }
  let call: CallShape;
  if (contentType === PROTOBUF_TYPE) {
    try {
      call = decodeCall(body) as unknown as CallShape;
    } catch {
      plain(res, 400, 'Failed to parse body into Call protobuf');
      return;
    }
  } else if (contentType === JSON_TYPE) {
    try {
      call = callFromJson(body.toString('utf8')) as unknown as CallShape;
    } catch (e) {
      if (e instanceof MesosJsonError) {
        plain(res, 400, e.responseText('Call'));
        return;
      }
      throw e;
    }
  } else {
    plain(res, 415, `Expecting 'Content-Type' of ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
    return;
  }
  // Mesos validates the call before it looks at Accept: a valid call with an impossible Accept gets 406.
  const invalid = validate(call);
  if (invalid) {
    plain(res, 400, `Failed to validate scheduler::Call: ${invalid}`);
    return;
  }
  const accept = negotiate(req.headers.accept);
  if (!accept) {
    plain(res, 406, `Expecting 'Accept' to allow ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
    return;
  }
  const streamHeader = req.headers['mesos-stream-id'];
  const streamId = Array.isArray(streamHeader) ? streamHeader[0] : streamHeader;
  const r = master.scheduler.handle(call, streamId, (id) => openStream(master, req, res, id, accept));
  if (r) reply(res, r);
}

function openStream(
  master: Master,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  encoding: 'json' | 'protobuf',
): Stream {
  res.writeHead(200, {
    'Content-Type': encoding === 'json' ? JSON_TYPE : PROTOBUF_TYPE,
    'Mesos-Stream-Id': id,
  });
  req.socket.setKeepAlive(true);
  req.socket.setNoDelay(true);
  let open = true;
  const stream: Stream = {
    id,
    send(event: EventShape) {
      if (!open) return;
      const payload =
        encoding === 'json' ? Buffer.from(eventToJson(event as never), 'utf8') : encodeEvent(event as never);
      res.write(encodeRecord(payload));
    },
    close() {
      if (!open) return;
      open = false;
      res.end();
    },
  };
  res.on('close', () => {
    open = false;
    for (const f of master.frameworks.values()) if (f.stream === stream) master.disconnected(f, stream);
  });
  return stream;
}

function metrics(master: Master, leadership: Leadership): Record<string, number> {
  let tasks = 0;
  let running = 0;
  for (const f of master.frameworks.values()) {
    tasks += f.tasks.size;
    for (const t of f.tasks.values()) if (t.state === 'TASK_RUNNING') running++;
  }
  const a = master.agents;
  let active = 0;
  for (let i = 0; i < a.count; i++) if (a.states[i] === 'active') active++;
  return {
    'master/elected': leadership.isLeader() ? 1 : 0,
    'master/uptime_secs': Date.now() / 1000 - master.startTime,
    'master/slaves_active': active,
    'master/slaves_connected': a.states.filter((s) => s !== 'unreachable' && s !== 'down').length,
    'master/slaves_unreachable': a.states.filter((s) => s === 'unreachable').length,
    'master/frameworks_active': [...master.frameworks.values()].filter((f) => f.stream).length,
    'master/frameworks_connected': [...master.frameworks.values()].filter((f) => f.stream).length,
    'master/outstanding_offers': master.allocator.offers.size,
    'master/tasks_running': running,
    'master/tasks_staging_or_later': tasks,
    'master/messages_status_update': master.counters.updates,
    'master/messages_acknowledge_status_update': master.counters.acknowledged,
    'master/cpus_total': master.totalCpus,
    'master/mem_total': master.totalMem,
  };
}
