import type { Call } from '../scheduler-types.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { Codec } from './codec.js';
import { MesosCallError } from './errors.js';
import type { HttpResponse, MesosHttp } from './http.js';
import { followRedirects } from './redirects.js';

/** Where calls go and what identifies them: the endpoint the stream lives on, its stream id, the framework. */
export interface CallTarget {
  readonly url: URL;
  readonly streamId: string;
  readonly frameworkId: string;
}

export interface CallSenderOptions {
  /** Extra attempts after a 503 (no leader yet, master recovering); default 3. */
  readonly retriesOn503?: number;
  readonly backoff?: BackoffOptions;
}

/**
 * Sends every call but SUBSCRIBE: over the keep-alive pool (never the stream's connection), with the
 * exact Content-Type, the current Mesos-Stream-Id and a top-level framework_id. 202 (200 for
 * UPDATE_FRAMEWORK and RECONCILE_OPERATIONS) is success; a 307 is followed with the same body; a 503
 * is retried with backoff; anything else becomes a MesosCallError with Mesos's own text.
 */
export class CallSender {
  private readonly retriesOn503: number;
  private readonly backoffOptions: BackoffOptions;

  constructor(
    private readonly http: MesosHttp,
    private readonly codec: Codec,
    options: CallSenderOptions = {},
  ) {
    this.retriesOn503 = options.retriesOn503 ?? 3;
    this.backoffOptions = { initialMs: 200, maxMs: 2000, ...options.backoff };
  }

  async send(target: CallTarget, call: Call, signal?: AbortSignal): Promise<HttpResponse> {
    const type = call.type ?? 'UNKNOWN';
    const body = this.codec.encodeCall({ ...call, framework_id: { value: target.frameworkId } });
    const headers = {
      'Content-Type': this.codec.mediaType,
      Accept: this.codec.mediaType,
      'Mesos-Stream-Id': target.streamId,
    };
    const backoff = new Backoff(this.backoffOptions);
    for (let attempt = 0; ; attempt++) {
      const { response, url } = await followRedirects(target.url, (u) =>
        this.http.post(u, body, headers, signal),
      );
      if (response.status === 202 || response.status === 200) return response;
      if (response.status === 503 && attempt < this.retriesOn503) {
        await sleep(backoff.next(), signal);
        continue;
      }
      throw new MesosCallError(type, response.status, response.body.toString('utf8'), url.href);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
