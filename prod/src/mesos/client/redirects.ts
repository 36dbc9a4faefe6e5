import { MesosConnectionError } from './errors.js';

/**
 * A standby master answers 307 with a protocol-relative Location that includes the `/master` prefix
 * (`//10.0.0.2:5050/master/api/v1/scheduler`). The POST is sent again, with the same body and
 * headers, to the Location resolved against the URL that answered (`new URL(location, from)`): never
 * turned into a GET, never re-built from string pieces.
 */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
export const MAX_REDIRECTS = 5;

export interface Redirectable {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
}

export async function followRedirects<R extends Redirectable>(
  url: URL,
  send: (url: URL) => Promise<R>,
  discard: (response: R) => void = () => {},
  maxHops = MAX_REDIRECTS,
): Promise<{ response: R; url: URL }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await send(current);
    if (!REDIRECTS.has(response.status)) return { response, url: current };
    discard(response);
    const location = response.headers.location;
    if (typeof location !== 'string' || location === '') {
      throw new MesosConnectionError(`${current.href} answered ${response.status} without a Location`);
    }
    if (hop >= maxHops) {
      throw new MesosConnectionError(
        `more than ${maxHops} redirects, last from ${current.href} to ${location}`,
      );
    }
    current = new URL(location, current);
  }
}

/** The master's base URL (scheme://host:port) of an endpoint URL. */
export function masterBase(url: URL): URL {
  return new URL(`${url.protocol}//${url.host}`);
}
