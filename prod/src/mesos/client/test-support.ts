import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeCall, encodeEvent, eventToJson } from '../messages.js';
import { encodeRecord } from '../recordio.js';
import type { Call, Event } from '../scheduler-types.js';

/**
 * A tiny programmable HTTP server standing in for a Mesos master in the client's unit tests: each test
 * sets `onRequest` to answer the way the case needs (chunked streams, 307 chains, 503s, silence).
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The client's port: tells which connection a request came on. */
  readonly remotePort: number;
  /** The body decoded as a Call (protobuf or JSON by Content-Type), when it is one. */
  readonly call: Call | undefined;
}

export type Handler = (request: RecordedRequest, response: http.ServerResponse) => void;

export interface FakeMaster {
  readonly url: URL;
  readonly port: number;
  readonly requests: RecordedRequest[];
  onRequest: Handler;
  close(): Promise<void>;
}

export async function startFakeMaster(onRequest: Handler = notFound): Promise<FakeMaster> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const fake = { onRequest } as FakeMaster;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        remotePort: req.socket.remotePort ?? 0,
        call: readCall(req.headers['content-type'], body),
      };
      requests.push(recorded);
      fake.onRequest(recorded, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(fake, {
    url: new URL(`http://127.0.0.1:${port}`),
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

function readCall(contentType: string | undefined, body: Buffer): Call | undefined {
  try {
    if (contentType === 'application/x-protobuf') return decodeCall(body);
    if (contentType === 'application/json') return JSON.parse(body.toString('utf8')) as Call;
  } catch {
    return undefined;
  }
  return undefined;
}

export function notFound(_req: RecordedRequest, res: http.ServerResponse): void {
  res.writeHead(404).end('no handler');
}

/** The RecordIO bytes of some events, in the given encoding. */
export function eventBytes(events: readonly Event[], encoding: 'protobuf' | 'json' = 'protobuf'): Buffer {
  return Buffer.concat(
    events.map((e) =>
      encodeRecord(encoding === 'json' ? Buffer.from(eventToJson(e), 'utf8') : encodeEvent(e)),
    ),
  );
}

/** Starts a 200 SUBSCRIBE stream (chunked, Mesos-Stream-Id) without writing any event yet. */
export function openStream(
  res: http.ServerResponse,
  streamId: string,
  mediaType = 'application/x-protobuf',
): void {
  res.writeHead(200, { 'Content-Type': mediaType, 'Mesos-Stream-Id': streamId });
  res.flushHeaders();
}

export function subscribed(frameworkId: string, heartbeatSeconds = 15): Event {
  return {
    type: 'SUBSCRIBED',
    subscribed: { framework_id: { value: frameworkId }, heartbeat_interval_seconds: heartbeatSeconds },
  };
}

export const heartbeat: Event = { type: 'HEARTBEAT' };

export function offers(...ids: string[]): Event {
  return {
    type: 'OFFERS',
    offers: {
      offers: ids.map((id) => ({
        id: { value: id },
        framework_id: { value: 'fw' },
        agent_id: { value: `agent-${id}` },
        hostname: `host-${id}`,
        resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 4 } }],
      })),
    },
  };
}

/** Resolves when `check` holds, polling; rejects after a few seconds naming what was awaited. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
