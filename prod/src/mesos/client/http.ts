import http from 'node:http';
import https from 'node:https';
import { MesosConnectionError } from './errors.js';

/**
 * The HTTP layer of the client, and the only part that knows node:http. Two separate paths:
 * - calls go through a keep-alive Agent (a small pool reused across calls, never the stream's socket);
 * - the SUBSCRIBE stream gets a connection of its own (agent: false), with no idle timeout: the
 *   heartbeat watchdog, not a socket timer, decides when a silent stream is dead.
 * Credentials, when configured, go on every request as HTTP basic authentication.
 */
export interface HttpCredentials {
  readonly principal: string;
  readonly secret: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface StreamResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body, still streaming; destroy it to close the connection. */
  readonly body: http.IncomingMessage;
}

export interface MesosHttpOptions {
  readonly credentials?: HttpCredentials;
  /** Sockets in the calls pool per master (default 4). */
  readonly maxCallSockets?: number;
  /** Give up on a call that got no answer in this time (default 30 s). Never applies to the stream. */
  readonly callTimeoutMs?: number;
}

export class MesosHttp {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly authorization: string | undefined;
  private readonly callTimeoutMs: number;

  constructor(options: MesosHttpOptions = {}) {
    const pool = { keepAlive: true, maxSockets: options.maxCallSockets ?? 4 };
    this.httpAgent = new http.Agent(pool);
    this.httpsAgent = new https.Agent(pool);
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    const c = options.credentials;
    this.authorization = c
      ? `Basic ${Buffer.from(`${c.principal}:${c.secret}`, 'utf8').toString('base64')}`
      : undefined;
  }

  /** POSTs a call over the keep-alive pool and reads the whole answer. */
  post(
    url: URL,
    body: Uint8Array,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const request = this.request(url, body, headers, this.agentFor(url), signal);
      request.setTimeout(this.callTimeoutMs, () =>
        request.destroy(
          new MesosConnectionError(`no answer from ${url.href} within ${this.callTimeoutMs} ms`),
        ),
      );
      request.on('error', (e) => reject(connectionError(url, e)));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', (e) => reject(connectionError(url, e)));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      request.end(body);
    });
  }

  /** POSTs SUBSCRIBE on a connection of its own and returns as soon as the headers arrive. */
  openStream(
    url: URL,
    body: Uint8Array,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<StreamResponse> {
    return new Promise((resolve, reject) => {
      const request = this.request(url, body, headers, false, signal);
      request.on('error', (e) => reject(connectionError(url, e)));
      request.on('response', (response) => {
        // Failures after this point surface through the body stream.
        request.removeAllListeners('error');
        request.on('error', () => {});
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response });
      });
      request.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private agentFor(url: URL): http.Agent {
    return url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
  }

  private request(
    url: URL,
    body: Uint8Array,
    headers: Record<string, string>,
    agent: http.Agent | false,
    signal: AbortSignal | undefined,
  ): http.ClientRequest {
    const all: Record<string, string> = { ...headers, 'Content-Length': String(body.length) };
    if (this.authorization) all.Authorization = this.authorization;
    const options: http.RequestOptions = { method: 'POST', headers: all, agent };
    if (signal) options.signal = signal;
    return (url.protocol === 'https:' ? https : http).request(url, options);
  }
}

function connectionError(url: URL, e: unknown): MesosConnectionError {
  if (e instanceof MesosConnectionError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new MesosConnectionError(`${url.href}: ${message}`, { cause: e });
}
