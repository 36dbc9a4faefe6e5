export * from './auth/access.js';
export * from './auth/passwords.js';
export * from './auth/users.js';
export * from './core-access.js';
export * from './job-index.js';
export * from './metrics/metrics.js';
export * from './sandbox.js';
export { type ApiServer, type ApiServerOptions, createApiServer, ROUTES } from './server.js';
