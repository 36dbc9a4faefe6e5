import { z } from 'zod';
import type { AnyRoute } from './route.js';

const ERRORS: Record<number, string> = {
  400: 'Invalid request: `problems` lists each field path and what is wrong',
  401: 'No or bad credentials',
  403: 'Not allowed for this user',
  404: 'Not found',
  409: "Conflicts with the scheduler's state",
  413: 'Body too large',
  415: 'Body is not application/json',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema, 'output') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: prop,
  }));
}

/** The OpenAPI 3.1 document of the routes, generated from the zod schemas that validate them. */
export function openApiDocument(routes: readonly AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      200: { description: 'OK', content: { 'application/json': { schema: {} } } },
    };
    for (const s of r.statuses ?? []) responses[s] = { description: ERRORS[s] ?? 'Created' };
    for (const s of [400, 401, 403, 404]) responses[s] ??= { description: ERRORS[s] };
    if (r.body) for (const s of [413, 415]) responses[s] = { description: ERRORS[s] };
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      tags: [r.tag],
      summary: r.summary,
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchema(r.body, 'input') } },
        },
      }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Borealis scheduler API', version },
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ basic: [] }, { bearer: [] }, {}],
    paths,
  };
}
