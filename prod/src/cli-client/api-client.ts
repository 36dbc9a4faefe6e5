import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { UserError } from '@borealis/core';
import type { Cluster } from './clusters.js';
import { EXIT, exitCodeForStatus } from './exit-codes.js';

/**
 * The CLI's HTTP client for /api/v1. Every failure becomes a UserError whose message is one line
 * (the server's own `error` text) and whose exit code says what kind of failure it was.
 */
export class ApiClient {
  constructor(readonly cluster: Cluster) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.cluster.url}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cluster.authorization) headers.authorization = this.cluster.authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let status: number;
    let text: string;
    try {
      ({ status, text } = this.cluster.caFile
        ? await httpsWithCa(url, method, headers, payload, readFileSync(this.cluster.caFile))
        : await viaFetch(url, method, headers, payload));
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new UserError(
        `cannot reach cluster ${this.cluster.name} at ${this.cluster.url} (${why})`,
        EXIT.unavailable,
      );
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status >= 200 && status < 300) return json as T;
    const message =
      typeof json === 'object' && json !== null && typeof (json as { error?: unknown }).error === 'string'
        ? (json as { error: string }).error
        : `${status} ${text.slice(0, 200).replace(/\s+/g, ' ')}`;
    throw new UserError(`${this.cluster.name}: ${message}`, exitCodeForStatus(status));
  }
}

async function viaFetch(url: string, method: string, headers: Record<string, string>, body?: string) {
  const res = await fetch(url, { method, headers, ...(body !== undefined && { body }), redirect: 'follow' });
  return { status: res.status, text: await res.text() };
}

function httpsWithCa(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  ca: Buffer,
) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (err) => reject(Object.assign(new Error(err.message), { cause: err })));
    req.end(body);
  });
}
