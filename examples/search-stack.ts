/**
 * Several jobs from one file: the search frontend and index servers, in staging and prod.
 * Shared pieces are ordinary TypeScript values; `export const jobs` (or a default-exported array)
 * hands them all to the loader.
 *
 *   npx borealis config validate examples/search-stack.ts
 *   npx borealis config inspect examples/search-stack.ts --job search/prod/index
 */
import { healthCheck, type JobInput, process, resources, service } from '@borealis/core';

const environments = [
  { environment: 'staging', frontends: 2, shards: 2, tier: 'preemptible' },
  { environment: 'prod', frontends: 6, shards: 12, tier: 'preferred' },
] as const;

export const jobs: JobInput[] = environments.flatMap(({ environment, frontends, shards, tier }) => [
  service({
    role: 'search',
    environment,
    name: 'frontend',
    instances: frontends,
    tier,
    task: {
      processes: [
        process('frontend', 'search-frontend --port {{ports.http}} --index search/{{environment}}/index'),
      ],
      resources: resources(1, 1024, 512),
      ports: ['http'],
    },
    healthCheck: healthCheck.http({ port: 'http', endpoint: '/healthz' }),
    announce: { primaryPort: 'http' },
    update: { batchSize: Math.max(1, Math.floor(frontends / 3)), maxTotalFailures: 1 },
  }),
  service({
    role: 'search',
    environment,
    name: 'index',
    instances: shards,
    tier,
    task: {
      processes: [
        process('index', 'index-server --shard {{instance}} --of ' + shards + ' --port {{ports.thrift}}'),
      ],
      resources: resources(4, 32768, 200_000),
      ports: ['thrift'],
    },
    constraints: { host: 'limit:1' },
    healthCheck: healthCheck.shell('index-ctl ping --port {{ports.thrift}}', { initialIntervalSecs: 120 }),
    announce: { primaryPort: 'thrift' },
    update: { strategy: { kind: 'batch', groupSize: 1 }, watchSecs: 300 },
  }),
]);
