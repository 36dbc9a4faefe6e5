import type {
  CronInput,
  HealthCheckInput,
  JobInput,
  ProcessInput,
  ResourcesInput,
  TaskInput,
  UpdateStrategyInput,
} from './schema.js';

/**
 * Typed builders for job files written in TypeScript. They only shape and type plain objects —
 * the result is the same JobInput a JSON or YAML file holds, validated by normalizeJob like any
 * other — so an editor completes field names and flags a wrong type as you write the file.
 *
 *   export default service({
 *     role: 'www', environment: 'prod', name: 'web', instances: 4,
 *     task: task({ processes: [process('web', 'serve --port {{ports.http}}')],
 *                  resources: { cpu: 1, ramMb: 1024, diskMb: 2048 }, ports: ['http', 'health'] }),
 *     healthCheck: healthCheck.http(),
 *   });
 */

/** Fields every kind of job shares (everything but `kind` and `cron`). */
export type JobFields = Omit<JobInput, 'kind' | 'cron'>;

/** Any job, with its kind spelt out. */
export function job(spec: JobInput): JobInput {
  return spec;
}

/** A long-running job: instances are restarted whenever they end. */
export function service(spec: JobFields): JobInput {
  return { ...spec, kind: 'service' };
}

/** A batch job: instances run to completion; failures are retried up to maxTaskFailures. */
export function adhoc(spec: JobFields): JobInput {
  return { ...spec, kind: 'adhoc' };
}

/** A job launched on a crontab schedule (UTC). */
export function cronJob(spec: JobFields & { readonly cron: CronInput }): JobInput {
  return { ...spec, kind: 'cron' };
}

export function task(spec: TaskInput): TaskInput {
  return spec;
}

/** One process of a task: a name and the command line it runs (templates allowed). */
export function process(
  name: string,
  cmdline: string,
  options: Omit<ProcessInput, 'name' | 'cmdline'> = {},
): ProcessInput {
  return { name, cmdline, ...options };
}

/** Process names in the order they must run, for `task.orderings`. */
export function order(...processes: readonly (ProcessInput | string)[]): string[] {
  return processes.map((p) => (typeof p === 'string' ? p : p.name));
}

export function resources(cpu: number, ramMb: number, diskMb: number, gpus = 0): ResourcesInput {
  return { cpu, ramMb, diskMb, gpus };
}

type HttpCheck = Extract<HealthCheckInput, { type: 'http' }>;
type ShellCheck = Extract<HealthCheckInput, { type: 'shell' }>;

export const healthCheck = {
  /** GET `endpoint` on a named port (default port `health`, endpoint `/health`, body `ok`). */
  http(options: Omit<HttpCheck, 'type'> = {}): HealthCheckInput {
    return { type: 'http', ...options };
  },
  /** Runs a command; exit status 0 is healthy. */
  shell(command: string, options: Omit<ShellCheck, 'type' | 'command'> = {}): HealthCheckInput {
    return { type: 'shell', command, ...options };
  },
} as const;

export const updateStrategy = {
  /** Keep `groupSize` instances updating at once; a finished one frees its slot. */
  queue(groupSize: number): UpdateStrategyInput {
    return { kind: 'queue', groupSize };
  },
  /** Update `groupSize` instances, wait for the whole batch, then the next. */
  batch(groupSize: number, options: { readonly autoPause?: boolean } = {}): UpdateStrategyInput {
    return { kind: 'batch', groupSize, ...options };
  },
  /** Batches of the given sizes in turn (the last repeats), e.g. a canary of 1 then 10s. */
  variableBatch(
    groupSizes: readonly number[],
    options: { readonly autoPause?: boolean } = {},
  ): UpdateStrategyInput {
    return { kind: 'variableBatch', groupSizes: [...groupSizes], ...options };
  },
} as const;
