import type { Problem } from '@borealis/core';
import type { z } from 'zod';
import type { Access, Principal } from './auth/access.js';
import type { AdminHooks, CoreAccess } from './core-access.js';
import type { JobIndex } from './job-index.js';
import type { TaskSandboxes } from './sandbox.js';

/** A request the caller got wrong or that conflicts with the scheduler's state: a status and a message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems?: readonly Problem[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What every handler can reach. */
export interface RouteContext {
  readonly core: CoreAccess;
  readonly index: JobIndex;
  readonly hooks: AdminHooks;
  readonly sandboxes?: TaskSandboxes;
  /** Hosts ever put in maintenance through the API (the core lists no hosts). */
  readonly maintained: Set<string>;
}

export interface Call<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The raw JSON body, for handlers that normalize a job file themselves. */
  readonly raw: unknown;
  readonly principal?: Principal;
}

export interface Reply {
  readonly status?: number;
  readonly body: unknown;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One API operation, declared once: its URL, the zod schemas its input is validated with (the
 * same schemas the OpenAPI document is generated from), who may call it, and what it does.
 */
export interface RouteDef<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** fastify syntax: `/api/v1/jobs/:role/:environment/:name`. */
  readonly url: string;
  readonly tag: string;
  readonly summary: string;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Success statuses besides 200, for the OpenAPI document. */
  readonly statuses?: readonly number[];
  /** false: the handler validates the raw body itself (job files go through the core's normalizeJob, whose zod schema `body` documents). */
  readonly validateBody?: boolean;
  access(call: { params: Out<P>; query: Out<Q> }): Access;
  handle(call: Call<Out<P>, Out<Q>, Out<B>>, ctx: RouteContext): Promise<Reply> | Reply;
}

// biome-ignore lint/suspicious/noExplicitAny: a route table holds routes of every input type
export type AnyRoute = RouteDef<any, any, any>;

export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(def: RouteDef<P, Q, B>): RouteDef<P, Q, B> {
  return def;
}

/** zod issues as located problems (`task.resources.cpu: expected number`). */
export function zodProblems(error: z.ZodError, prefix: string): Problem[] {
  return error.issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter((s) => s !== '').join('.');
    const keys = i.code === 'unrecognized_keys' ? `: ${i.keys.join(', ')}` : '';
    return { path, message: `${i.message}${keys}` };
  });
}
