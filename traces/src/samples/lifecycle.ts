/**
 * The `lifecycle` sample: a small hand-written scenario that exercises every record type and
 * the job lifecycle features (issue 7) on twelve hosts over six hours:
 * quota, a service rolled forward in batches, an update to a failing config (failAfterMs) that
 * should roll back, a service that never passes its health check (unhealthy), a cron job every
 * 15 minutes that outlives its period (CANCEL_NEW collisions), a cron job every 20 minutes
 * whose runs take 30 (KILL_EXISTING collisions), an ad-hoc job with recorded failures, partial
 * and whole kills, a host failure, an SLA-aware drain of two hosts that www/prod/edge's SLA holds
 * up until the drain timeout forces it (edge has 22 instances, at most two per host: Aurora checks
 * SLAs only of jobs with at least 20, and its 95 % lets one instance at a time be replaced), their
 * activation, and a host removed for good.
 */
import type { JobSubmitRecord, TraceRecord, TraceTask } from '../format/record.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

const web: TraceTask = { cpu: 1, ramMb: 1024, diskMb: 2048, gpus: 0, ports: ['http'] };
const healthCheck = {
  type: 'http' as const,
  port: 'http',
  initialIntervalSecs: 15,
  intervalSecs: 10,
  timeoutSecs: 1,
  maxConsecutiveFailures: 2,
  minConsecutiveSuccesses: 1,
};

function service(
  t: number,
  job: string,
  instances: number,
  task: TraceTask,
  constraints = {},
): JobSubmitRecord {
  return {
    t,
    type: 'job_submit',
    job,
    kind: 'service',
    instances,
    tier: 'preferred',
    priority: 0,
    task,
    constraints: { host: 'limit:1', ...constraints },
    maxTaskFailures: -1,
  };
}

export function lifecycleRecords(): TraceRecord[] {
  const hosts: TraceRecord[] = Array.from({ length: 12 }, (_, i) => ({
    t: 0,
    type: 'host_add',
    host: `h${String(i).padStart(2, '0')}`,
    cpu: 16,
    ramMb: 65536,
    diskMb: 512 * 1024,
    gpus: 0,
    ports: [[31000, 32000]],
    attributes: { rack: `r${Math.floor(i / 6)}`, zone: ['a', 'b', 'c'][i % 3]! },
  }));
  const settings = {
    strategy: 'batch' as const,
    batchSize: 2,
    autoPause: false,
    watchSecs: 30,
    maxPerInstanceFailures: 1,
    maxTotalFailures: 2,
    rollbackOnFailure: true,
  };
  const records: TraceRecord[] = [
    ...hosts,
    { t: 0, type: 'quota_set', role: 'www', cpu: 64, ramMb: 262144, diskMb: 1048576, gpus: 0 },
    { t: 0, type: 'quota_set', role: 'api', cpu: 32, ramMb: 131072, diskMb: 524288, gpus: 0 },
    service(1000, 'www/prod/web', 6, { ...web, healthCheck }),
    service(2000, 'api/prod/gateway', 4, { ...web, healthCheck }, { zone: 'a,b' }),
    service(3000, 'api/prod/flaky', 2, { ...web, unhealthy: true, healthCheck }),
    service(
      4000,
      'www/prod/edge',
      22,
      { cpu: 0.25, ramMb: 256, diskMb: 512, gpus: 0, ports: ['http'], healthCheck },
      { host: 'limit:2' },
    ),
    {
      t: 5000,
      type: 'job_submit',
      job: 'ops/prod/backup',
      kind: 'cron',
      cron: '*/15 * * * *',
      collisionPolicy: 'CANCEL_NEW',
      instances: 1,
      tier: 'preemptible',
      priority: 0,
      task: { cpu: 2, ramMb: 4096, diskMb: 10240, gpus: 0, ports: [] },
      constraints: {},
      durationMs: 20 * MIN,
      maxTaskFailures: 1,
    },
    {
      t: 6000,
      type: 'job_submit',
      job: 'ops/prod/report',
      kind: 'cron',
      cron: '*/20 * * * *',
      collisionPolicy: 'KILL_EXISTING',
      instances: 1,
      tier: 'preemptible',
      priority: 0,
      task: { cpu: 1, ramMb: 2048, diskMb: 1024, gpus: 0, ports: [] },
      constraints: {},
      durationMs: 30 * MIN,
      maxTaskFailures: 1,
    },
    {
      t: 10 * MIN,
      type: 'job_submit',
      job: 'batch/devel/etl',
      kind: 'adhoc',
      instances: 4,
      tier: 'preemptible',
      priority: 3,
      task: { cpu: 4, ramMb: 8192, diskMb: 0, gpus: 0, ports: [] },
      constraints: { rack: '!r1' },
      durationMs: [30 * MIN, 31 * MIN, 29 * MIN, 5 * MIN],
      outcomes: ['finished', 'finished', 'finished', 'failed'],
      maxTaskFailures: 2,
    },
    // Roll www/prod/web forward in batches of two to a config with more RAM.
    {
      ...service(30 * MIN, 'www/prod/web', 6, { ...web, ramMb: 1536, healthCheck }),
      type: 'job_update',
      settings,
    },
    { t: 45 * MIN, type: 'host_down', host: 'h05' },
    { t: 75 * MIN, type: 'host_up', host: 'h05' },
    // An update whose new config fails 20 s after RUNNING: it should roll back to 1536 MB.
    {
      ...service(90 * MIN, 'www/prod/web', 6, { ...web, ramMb: 2048, failAfterMs: 20_000, healthCheck }),
      type: 'job_update',
      settings,
    },
    { t: 2 * HOUR, type: 'host_drain', hosts: ['h00', 'h01'], sla: true },
    { t: 2 * HOUR + 30 * MIN, type: 'job_kill', job: 'api/prod/gateway', instances: [3] },
    // The drain times out at 3 h (the core's default of 1 h) and is forced; the hosts come back at 3.5 h.
    { t: 3 * HOUR + 30 * MIN, type: 'host_activate', hosts: ['h00', 'h01'] },
    { t: 4 * HOUR, type: 'job_kill', job: 'api/prod/flaky' },
    { t: 5 * HOUR, type: 'job_kill', job: 'ops/prod/backup' },
    { t: 5 * HOUR, type: 'job_kill', job: 'ops/prod/report' },
    { t: 5 * HOUR + 30 * MIN, type: 'host_remove', host: 'h11' },
    { t: 6 * HOUR, type: 'job_kill', job: 'www/prod/web', instances: [4, 5] },
  ];
  return records;
}
