import type { Server } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { type Logger, pino } from 'pino';
import type { z } from 'zod';
import { AccessControl } from './auth/access.js';
import type { UsersConfig } from './auth/users.js';
import type { AdminHooks, CoreAccess, Leadership } from './core-access.js';
import { JobIndex } from './job-index.js';
import { type BorealisMetrics, createMetrics } from './metrics/metrics.js';
import { openApiDocument } from './openapi.js';
import { type AnyRoute, ApiError, type RouteContext, zodProblems } from './route.js';
import { cronRoutes } from './routes/cron.js';
import { jobRoutes } from './routes/jobs.js';
import { operatorRoutes } from './routes/operators.js';
import { taskRoutes } from './routes/tasks.js';
import { updateRoutes } from './routes/updates.js';
import type { TaskSandboxes } from './sandbox.js';

export const API_VERSION = '1.0.0';
export const ROUTES: readonly AnyRoute[] = [
  ...jobRoutes,
  ...updateRoutes,
  ...cronRoutes,
  ...taskRoutes,
  ...operatorRoutes,
];

export interface ApiServerOptions {
  readonly core: CoreAccess;
  /** Default: always the leader (a single scheduler). */
  readonly leadership?: Leadership;
  readonly hooks?: AdminHooks;
  readonly sandboxes?: TaskSandboxes;
  /** Users and tokens; without them authentication is off and every call is allowed. */
  readonly users?: UsersConfig;
  /** The process's metrics (createMetrics); one is made if not given. */
  readonly metrics?: BorealisMetrics;
  readonly logger?: Logger;
  /** PEM certificate and key: serve HTTPS. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Largest request body in bytes (default 1 MiB); larger ones get 413. */
  readonly bodyLimit?: number;
  /** The API's memory of jobs and task history (the daemon fills it after recovery with `remember`). */
  readonly index?: JobIndex;
}

export interface ApiServer {
  readonly app: FastifyInstance;
  readonly index: JobIndex;
  readonly metrics: BorealisMetrics;
  /** Listens and returns the base URL (`http://127.0.0.1:PORT`). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The scheduler's HTTP API: /api/v1 (jobs, updates, cron, tasks, quotas, maintenance, admin), health and metrics. */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const logger = options.logger ?? pino({ level: 'silent' });
  const metrics = options.metrics ?? createMetrics();
  const index = options.index ?? new JobIndex();
  const access = new AccessControl(options.users);
  const leadership = options.leadership ?? { leadership: () => ({ leader: true }) };
  const ctx: RouteContext = {
    core: options.core,
    index,
    hooks: options.hooks ?? {},
    ...(options.sandboxes && { sandboxes: options.sandboxes }),
    maintained: new Set(),
  };
  options.core.read((c) => index.attach(c));
  metrics.watchCore(options.core);

  const fastifyOptions: FastifyServerOptions & { https?: object } = {
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(options.tls && { https: { cert: options.tls.cert, key: options.tls.key } }),
  };
  const app = Fastify(fastifyOptions) as unknown as FastifyInstance<Server>;
  // JSON only: any other body type gets 415.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    const lead = leadership.leadership();
    if (lead.leader) return;
    if (lead.leaderUrl) return reply.redirect(new URL(req.url, lead.leaderUrl).toString(), 307);
    return reply.code(503).send({ error: 'this scheduler is a standby and no leader is known yet' });
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.apiRequests.inc({
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (err instanceof ApiError) {
      const located = err.problems?.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
      return reply.code(err.status).send({
        error: located ? `${err.message}: ${located}` : err.message,
        ...(err.problems && { problems: err.problems }),
      });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: err.message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal error (see the scheduler log)' });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` }),
  );

  app.get('/health', async () => ({ ok: true }));
  app.get('/leaderhealth', async (_req, reply) => {
    const lead = leadership.leadership();
    return reply.code(lead.leader ? 200 : 503).send(lead);
  });
  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
  const doc = openApiDocument(ROUTES, API_VERSION);
  app.get('/api/v1/openapi.json', async () => doc);

  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (req, reply) => {
        const who = await access.authenticate(req.headers.authorization);
        if (!who.ok) {
          logger.info(
            { method: route.method, route: route.url, allow: false, reason: who.reason },
            'authorization',
          );
          return unauthorized(reply, who.reason);
        }
        // Decided on the raw path (its role) before any validation, so nothing is revealed to a caller who may not ask.
        const need = route.access({ params: req.params, query: req.query });
        const decision = access.decide(who.principal, need);
        logger.info(
          {
            user: who.principal?.name ?? 'anonymous',
            method: route.method,
            route: route.url,
            need: need.kind === 'role' ? `role:${need.role}` : need.kind,
            allow: decision.allow,
            reason: decision.reason,
          },
          'authorization',
        );
        if (!decision.allow) {
          if (decision.status === 401) return unauthorized(reply, decision.reason);
          return reply.code(403).send({ error: `forbidden: ${decision.reason}` });
        }
        const params = validate(route.params, req.params, 'invalid path');
        const query = validate(route.query, req.query ?? {}, 'invalid query');
        const raw: unknown = req.body;
        const body =
          route.body && route.validateBody !== false ? validate(route.body, raw ?? {}, 'invalid body') : raw;
        const result = await route.handle(
          { params, query, body, raw, ...(who.principal && { principal: who.principal }) },
          ctx,
        );
        return reply.code(result.status ?? 200).send(result.body);
      },
    });
  }

  return {
    app,
    index,
    metrics,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return `${options.tls ? 'https' : 'http'}://${host}:${actual}`;
    },
    close: () => app.close(),
  };
}

function validate(schema: z.ZodType | undefined, value: unknown, what: string): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(400, what, zodProblems(r.error, ''));
  return r.data;
}

function unauthorized(reply: FastifyReply, reason: string) {
  return reply
    .code(401)
    .header('WWW-Authenticate', 'Basic realm="borealis", Bearer realm="borealis"')
    .send({ error: `unauthorized: ${reason}` });
}
