import { renderTemplate, type TaskConfig } from '@borealis/core';
import type {
  CommandInfo,
  ContainerInfo,
  EnvironmentVariable,
  HealthCheck,
  Resource,
  TaskInfo,
} from '../mesos/mesos-types.js';
import { processScript } from './process-script.js';

/** What the driver knows of one launch when it builds the Mesos TaskInfo. */
export interface LaunchSpec {
  readonly taskId: string;
  /** `role/environment/name`. */
  readonly job: string;
  readonly instance: number;
  readonly agentId: string;
  readonly hostname: string;
  /** Named port → the port number taken from the offer's ranges. */
  readonly ports: Readonly<Record<string, number>>;
  readonly config: TaskConfig;
  readonly cluster?: string;
}

export interface TaskInfoOptions {
  /** How long a killed task has between SIGTERM and SIGKILL. Aurora's finalization wait: 30 s. */
  readonly killGraceSeconds?: number;
}

export const DEFAULT_KILL_GRACE_SECONDS = 30;

/**
 * A core launch as a Mesos TaskInfo for the command executor: the processes become one shell
 * command (process-script.ts), template values (`{{ports.http}}`, `{{instance}}`, `{{host}}`) are
 * filled in, named ports reach the task as `PORT_NAME` variables as well, the health check becomes
 * Mesos's own HTTP or command check, and a container image runs under the Mesos containerizer.
 */
export function buildTaskInfo(spec: LaunchSpec, options: TaskInfoOptions = {}): TaskInfo {
  const [role = '', environment = '', name = ''] = spec.job.split('/');
  const context = {
    role,
    environment,
    name,
    instance: spec.instance,
    host: spec.hostname,
    ports: spec.ports,
    ...(spec.cluster === undefined ? {} : { cluster: spec.cluster }),
  };
  const render = (text: string): string => renderTemplate(text, context);
  const config = spec.config;
  const command: CommandInfo = {
    shell: true,
    value: processScript(config.processes, config.orderings, render),
    environment: { variables: environment_(spec) },
  };
  const info: TaskInfo = {
    name: `${spec.job}/${spec.instance}`,
    task_id: { value: spec.taskId },
    agent_id: { value: spec.agentId },
    resources: taskResources(config, spec.ports),
    command,
    kill_policy: {
      grace_period: { nanoseconds: String((options.killGraceSeconds ?? DEFAULT_KILL_GRACE_SECONDS) * 1e9) },
    },
    labels: {
      labels: [
        { key: 'borealis.job', value: spec.job },
        { key: 'borealis.instance', value: String(spec.instance) },
      ],
    },
  };
  const ports = Object.entries(spec.ports);
  if (ports.length > 0) {
    info.discovery = {
      visibility: 'FRAMEWORK',
      name: spec.job,
      ports: { ports: ports.map(([portName, number]) => ({ number, name: portName, protocol: 'tcp' })) },
    };
  }
  const check = config.healthCheck && healthCheck(config, spec.ports, render);
  if (check) info.health_check = check;
  const container = config.container && containerInfo(config.container.image);
  if (container) info.container = container;
  return info;
}

function environment_(spec: LaunchSpec): EnvironmentVariable[] {
  const vars: EnvironmentVariable[] = [
    { name: 'BOREALIS_TASK_ID', value: spec.taskId },
    { name: 'BOREALIS_JOB', value: spec.job },
    { name: 'BOREALIS_INSTANCE', value: String(spec.instance) },
    { name: 'BOREALIS_HOST', value: spec.hostname },
  ];
  for (const [name, port] of Object.entries(spec.ports)) {
    vars.push({ name: `PORT_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`, value: String(port) });
  }
  return vars;
}

/** The task's resources as Mesos scalars, and its ports as ranges of the numbers it was given. */
export function taskResources(config: TaskConfig, ports: Readonly<Record<string, number>>): Resource[] {
  const r = config.resources;
  const out: Resource[] = [scalar('cpus', r.cpu), scalar('mem', r.ramMb)];
  if (r.diskMb > 0) out.push(scalar('disk', r.diskMb));
  if (r.gpus > 0) out.push(scalar('gpus', r.gpus));
  const numbers = Object.values(ports).sort((a, b) => a - b);
  if (numbers.length > 0) {
    const ranges: { begin: string; end: string }[] = [];
    for (const n of numbers) {
      const last = ranges[ranges.length - 1];
      if (last && Number(last.end) + 1 === n) last.end = String(n);
      else ranges.push({ begin: String(n), end: String(n) });
    }
    out.push({ name: 'ports', type: 'RANGES', ranges: { range: ranges } });
  }
  return out;
}

function scalar(name: string, value: number): Resource {
  return { name, type: 'SCALAR', scalar: { value } };
}

/**
 * Aurora's health check as Mesos's: the initial interval is the grace period (failures in it do
 * not count), consecutive failures end the task. An HTTP check is healthy on the expected status.
 */
function healthCheck(
  config: TaskConfig,
  ports: Readonly<Record<string, number>>,
  render: (text: string) => string,
): HealthCheck | undefined {
  const hc = config.healthCheck;
  if (!hc) return undefined;
  const timing = {
    delay_seconds: 0,
    grace_period_seconds: hc.initialIntervalSecs,
    interval_seconds: hc.intervalSecs,
    timeout_seconds: hc.timeoutSecs,
    // Aurora tolerates maxConsecutiveFailures failures; Mesos ends the task at consecutive_failures.
    consecutive_failures: hc.maxConsecutiveFailures + 1,
  };
  if (hc.type === 'http') {
    const port = ports[hc.port];
    if (port === undefined) throw new Error(`health check port "${hc.port}" has no number`);
    return {
      ...timing,
      type: 'HTTP',
      http: { port, path: hc.endpoint, statuses: [hc.expectedResponseCode] },
    };
  }
  return { ...timing, type: 'COMMAND', command: { shell: true, value: render(hc.command) } };
}

function containerInfo(image: string): ContainerInfo {
  return { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: image } } } };
}
