/** A small valid job file body (job file schema) for API and CLI tests. */
export function webJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    role: 'www',
    environment: 'prod',
    name: 'web',
    kind: 'service',
    instances: 3,
    task: {
      processes: [{ name: 'web', cmdline: 'serve --port {{ports.http}}' }],
      resources: { cpu: 1, ramMb: 512, diskMb: 512 },
      ports: ['http'],
    },
    update: { batchSize: 1, watchSecs: 10, maxTotalFailures: 0, rollbackOnFailure: true },
    ...overrides,
  };
}

export function cronJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    role: 'batch',
    environment: 'prod',
    name: 'nightly',
    kind: 'cron',
    instances: 1,
    task: {
      processes: [{ name: 'run', cmdline: 'backup' }],
      resources: { cpu: 0.5, ramMb: 128, diskMb: 64 },
    },
    cron: { schedule: '0 3 * * *' },
    ...overrides,
  };
}
