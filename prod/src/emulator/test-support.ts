import { type ClientRequest, type IncomingHttpHeaders, request } from 'node:http';
import { decodeEvent, encodeCall, eventFromJson } from '../mesos/messages.js';
import { RecordIODecoder } from '../mesos/recordio.js';
import type { CallShape, EventShape, TaskStatusShape } from './shapes.js';

/**
 * Raw HTTP for the emulator's tests (node:http only, no scheduler client): a subscribe stream that
 * collects decoded events, and single calls that return status, headers and body.
 */
export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function post(
  url: string,
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
  method = 'POST',
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function get(url: string, path: string): Promise<RawReply> {
  return post(url, path, '', {}, 'GET');
}

export interface TestStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly streamId: string;
  readonly body: string;
  readonly events: EventShape[];
  frameworkId(): string;
  /** Resolves with the first event (from `from` on) that matches, or rejects after timeoutMs. */
  next(match: (e: EventShape) => boolean, timeoutMs?: number, from?: number): Promise<EventShape>;
  updates(taskId?: string): TaskStatusShape[];
  close(): void;
}

export const FRAMEWORK = { user: 'test', name: 'emulator-test' };

export function subscribe(
  url: string,
  options: {
    encoding?: 'json' | 'protobuf';
    frameworkInfo?: Record<string, unknown>;
    frameworkId?: string;
    path?: string;
  } = {},
): Promise<TestStream> {
  const encoding = options.encoding ?? 'json';
  const info: Record<string, unknown> = { ...FRAMEWORK, ...(options.frameworkInfo ?? {}) };
  if (options.frameworkId) info.id = { value: options.frameworkId };
  const call: CallShape = {
    type: 'SUBSCRIBE',
    subscribe: { framework_info: info as never },
    ...(options.frameworkId ? { framework_id: { value: options.frameworkId } } : {}),
  };
  const type = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
  const body = encoding === 'json' ? JSON.stringify(call) : encodeCall(call as never);
  return new Promise((resolve, reject) => {
    const events: EventShape[] = [];
    const waiters = new Set<() => void>();
    let req: ClientRequest | null = null;
    req = request(
      `${url}${options.path ?? '/api/v1/scheduler'}`,
      { method: 'POST', headers: { 'Content-Type': type, Accept: type }, agent: false },
      (res) => {
        const decoder = new RecordIODecoder();
        let text = '';
        res.on('data', (chunk: Buffer) => {
          if (res.statusCode !== 200) {
            text += chunk.toString('utf8');
            return;
          }
          for (const record of decoder.push(chunk)) {
            const event =
              encoding === 'json'
                ? (eventFromJson(Buffer.from(record).toString('utf8')) as unknown as EventShape)
                : (decodeEvent(record) as unknown as EventShape);
            events.push(event);
          }
          for (const w of [...waiters]) w();
        });
        res.on('error', () => {});
        const stream: TestStream = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          streamId: String(res.headers['mesos-stream-id'] ?? ''),
          get body() {
            return text;
          },
          events,
          frameworkId() {
            const sub = events.find((e) => e.type === 'SUBSCRIBED');
            return sub?.subscribed?.framework_id.value ?? '';
          },
          next(match, timeoutMs = 5000, from = 0) {
            return new Promise((ok, fail) => {
              const check = (): boolean => {
                for (let k = from; k < events.length; k++) {
                  if (match(events[k]!)) {
                    waiters.delete(waiter);
                    clearTimeout(timer);
                    ok(events[k]!);
                    return true;
                  }
                }
                return false;
              };
              const waiter = (): void => {
                check();
              };
              const timer = setTimeout(() => {
                waiters.delete(waiter);
                fail(
                  new Error(
                    `no matching event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(',')}`,
                  ),
                );
              }, timeoutMs);
              waiters.add(waiter);
              check();
            });
          },
          updates(taskId) {
            return events
              .filter((e) => e.type === 'UPDATE')
              .map((e) => e.update!.status)
              .filter((s) => taskId === undefined || s.task_id.value === taskId);
          },
          close() {
            req?.destroy();
            res.destroy();
          },
        };
        if (res.statusCode !== 200) {
          res.on('end', () => resolve(stream));
          return;
        }
        resolve(stream);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A non-subscribe call over its own connection, in JSON. */
export function call(url: string, stream: TestStream, value: Record<string, unknown>): Promise<RawReply> {
  return post(
    url,
    '/api/v1/scheduler',
    JSON.stringify({ framework_id: { value: stream.frameworkId() }, ...value }),
    {
      'Content-Type': 'application/json',
      'Mesos-Stream-Id': stream.streamId,
    },
  );
}

export function commandTask(
  id: string,
  agentId: string,
  resources: { cpus?: number; mem?: number; ports?: [number, number][] } = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const res: unknown[] = [
    { name: 'cpus', type: 'SCALAR', scalar: { value: resources.cpus ?? 0.1 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: resources.mem ?? 32 } },
  ];
  if (resources.ports) {
    res.push({
      name: 'ports',
      type: 'RANGES',
      ranges: { range: resources.ports.map(([begin, end]) => ({ begin, end })) },
    });
  }
  return {
    name: id,
    task_id: { value: id },
    agent_id: { value: agentId },
    resources: res,
    command: { value: 'sleep 1000', shell: true },
    ...extra,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error('condition not met in time');
}
