import type { TaskConfig } from '@borealis/core';
import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../mesos/mesos-types.js';
import { decodeMessage, encodeMessage } from '../mesos/messages.js';
import { buildTaskInfo, type LaunchSpec, taskResources } from './task-info.js';

const config: TaskConfig = {
  processes: [
    {
      name: 'web',
      cmdline: 'serve --port {{ports.http}} --shard {{instance}} --on {{host}}',
      final: false,
      daemon: false,
      maxFailures: 1,
    },
  ],
  orderings: [],
  resources: { cpu: 0.5, ramMb: 256, diskMb: 128, gpus: 0 },
  ports: ['http', 'admin'],
  constraints: [],
  tier: 'preferred',
  priority: 0,
  maxTaskFailures: 1,
  healthCheck: {
    type: 'http',
    port: 'admin',
    endpoint: '/health',
    expectedResponse: '',
    expectedResponseCode: 200,
    initialIntervalSecs: 15,
    intervalSecs: 10,
    timeoutSecs: 1,
    maxConsecutiveFailures: 3,
    minConsecutiveSuccesses: 1,
  },
  metadata: {},
};

const spec: LaunchSpec = {
  taskId: 'www-prod-web-3-17',
  job: 'www/prod/web',
  instance: 3,
  agentId: 'agent-7',
  hostname: 'h007',
  ports: { http: 31002, admin: 31001 },
  config,
};

describe('buildTaskInfo', () => {
  const info = buildTaskInfo(spec);

  it('renders the command line with the task’s ports, instance and host', () => {
    expect(info.command?.value).toBe('serve --port 31002 --shard 3 --on h007');
    expect(info.command?.shell).toBe(true);
    const env = Object.fromEntries(
      (info.command?.environment?.variables ?? []).map((v) => [v.name, v.value]),
    );
    expect(env).toMatchObject({ PORT_HTTP: '31002', PORT_ADMIN: '31001', BOREALIS_INSTANCE: '3' });
  });

  it('asks for exactly its resources, ports as ranges of the numbers it was given', () => {
    expect(info.resources).toEqual([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 256 } },
      { name: 'disk', type: 'SCALAR', scalar: { value: 128 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: '31001', end: '31002' }] } },
    ]);
    const apart = taskResources(config, { a: 31000, b: 31005, c: 31006 });
    expect(apart.at(-1)?.ranges?.range).toEqual([
      { begin: '31000', end: '31000' },
      { begin: '31005', end: '31006' },
    ]);
  });

  it('turns the HTTP health check into Mesos’s, on the named port', () => {
    expect(info.health_check).toEqual({
      delay_seconds: 0,
      grace_period_seconds: 15,
      interval_seconds: 10,
      timeout_seconds: 1,
      consecutive_failures: 4,
      type: 'HTTP',
      http: { port: 31001, path: '/health', statuses: [200] },
    });
  });

  it('gives kills a grace period and runs an image under the Mesos containerizer', () => {
    const withImage = buildTaskInfo(
      { ...spec, config: { ...config, container: { image: 'nginx:1.27' } } },
      { killGraceSeconds: 5 },
    );
    expect(withImage.kill_policy).toEqual({ grace_period: { nanoseconds: '5000000000' } });
    expect(withImage.container).toEqual({
      type: 'MESOS',
      mesos: { image: { type: 'DOCKER', docker: { name: 'nginx:1.27' } } },
    });
  });

  it('survives a protobuf round trip as mesos.v1.TaskInfo', () => {
    const decoded = decodeMessage<TaskInfo>('mesos.v1.TaskInfo', encodeMessage('mesos.v1.TaskInfo', info));
    expect(decoded.task_id.value).toBe('www-prod-web-3-17');
    expect(decoded.health_check?.http?.port).toBe(31001);
    expect(decoded.resources?.map((r) => r.name)).toEqual(['cpus', 'mem', 'disk', 'ports']);
  });
});
