/**
 * A web service: four instances behind a serverset, an HTTP health check, a canary-first rolling
 * update that rolls back on failure, and spread across racks.
 *
 *   npx borealis config validate examples/web-service.ts --bind release=2024.05.1
 */
import { healthCheck, order, process, resources, service, task, updateStrategy } from '@borealis/core';

const fetchRelease = process(
  'fetch',
  'fetch-release www-{{release}}.tar.gz && tar xzf www-{{release}}.tar.gz',
);
const web = process(
  'web',
  'www-{{release}}/bin/serve --port {{ports.http}} --admin-port {{ports.health}} --shard {{instance}}',
);
const logShipper = process('logs', 'ship-logs --source www-{{release}}/logs --tag {{role}}.{{name}}', {
  daemon: true,
});

export default service({
  role: 'www',
  environment: 'prod',
  name: 'web',
  cluster: 'west',
  instances: 4,
  task: task({
    processes: [fetchRelease, web, logShipper],
    orderings: [order(fetchRelease, web)],
    resources: resources(1.5, 2048, 4096),
    ports: ['http', 'health'],
  }),
  constraints: { rack: 'limit:1', zone: 'a,b' },
  healthCheck: healthCheck.http({ endpoint: '/health', intervalSecs: 5, maxConsecutiveFailures: 2 }),
  announce: { primaryPort: 'http', portMap: { admin: 'health' } },
  update: {
    strategy: updateStrategy.variableBatch([1, 3]),
    watchSecs: 60,
    maxPerInstanceFailures: 1,
    maxTotalFailures: 1,
    rollbackOnFailure: true,
  },
  container: { image: 'registry.example.com/www:{{release}}' },
  metadata: { owner: 'web-platform', release: '{{release}}' },
  sla: { kind: 'percentage', percentage: 75, durationSecs: 300 },
  contact: 'web-platform@example.com',
});
