import { parseCrontab } from '../cron/crontab.js';
import {
  type Announce,
  type CronSettings,
  DEFAULT_MAX_INSTANCES,
  type JobConfig,
  type SlaPolicy,
  type UpdateSettings,
} from '../model/job.js';
import { IDENTIFIER, type JobKey } from '../model/job-key.js';
import { parseConstraints } from '../model/parse-constraint.js';
import { failMany, ok, type Problem, type Result } from '../model/result.js';
import type { HealthCheck, Process, TaskConfig } from '../model/task-config.js';
import { AURORA_DEFAULTS } from './defaults.js';
import { joinPath } from './field-path.js';
import { type JobSpec, jobSchema } from './schema.js';
import { checkBindings, expandStatic, type StaticScope } from './template.js';
import { fieldsAt, zodProblems } from './zod-problems.js';

export interface NormalizeOptions {
  /** Prefix for every problem path (e.g. `jobs[2]` when the job sits in a list). */
  readonly path?: string;
  /** User template bindings (`--bind key=value`). */
  readonly bindings?: Readonly<Record<string, string>>;
  /** Upper bound on instances per job (default 4000, Aurora's). */
  readonly maxInstances?: number;
}

/**
 * Validates a job as written by a user (any format, already parsed into plain data) and turns it
 * into the core model with Aurora's defaults filled in. Every problem found is reported, each
 * with the field path it belongs to; static template variables and bindings are substituted.
 */
export function normalizeJob(raw: unknown, options: NormalizeOptions = {}): Result<JobConfig> {
  const prefix = options.path ?? '';
  const parsed = jobSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return failMany(zodProblems(parsed.error, prefix, (segments) => fieldsAt(jobSchema, segments)));
  }
  return checkJob(parsed.data, prefix, options);
}

function checkJob(spec: JobSpec, prefix: string, options: NormalizeOptions): Result<JobConfig> {
  const problems: Problem[] = [];
  const at = (...segments: (string | number)[]): string => joinPath(prefix, ...segments);
  const report = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  const bindings = options.bindings ?? {};
  problems.push(...checkBindings(bindings, '--bind'));

  // Job key
  for (const part of ['role', 'environment', 'name', 'cluster'] as const) {
    const value = spec[part];
    if (value !== undefined && !IDENTIFIER.test(value)) {
      report(at(part), `"${value}" is not a valid identifier (letters, digits, _ - . only)`);
    }
  }
  const key: JobKey = {
    role: spec.role,
    environment: spec.environment,
    name: spec.name,
    ...(spec.cluster !== undefined && { cluster: spec.cluster }),
  };

  const maxInstances = options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  if (spec.instances > maxInstances) {
    report(at('instances'), `${spec.instances} exceeds the limit of ${maxInstances} instances per job`);
  }

  // Task
  const ports = spec.task.ports;
  const seenPorts = new Set<string>();
  ports.forEach((port, i) => {
    if (!IDENTIFIER.test(port))
      report(at('task', 'ports', i), `port name "${port}" is not a valid identifier`);
    if (seenPorts.has(port)) report(at('task', 'ports', i), `port "${port}" is declared twice`);
    seenPorts.add(port);
  });
  const declared = (port: string, path: string, what: string): void => {
    if (!seenPorts.has(port)) {
      report(
        path,
        `${what} "${port}" is not declared in task.ports (declared: ${ports.join(', ') || 'none'})`,
      );
    }
  };
  const scope: StaticScope = { ...key, bindings, ports };
  const expand = (text: string, path: string, launchTime: boolean): string =>
    expandStatic(text, scope, path, launchTime, problems);

  const processNames = new Set<string>();
  const processes: Process[] = spec.task.processes.map((p, i) => {
    if (!IDENTIFIER.test(p.name)) {
      report(at('task', 'processes', i, 'name'), `process name "${p.name}" is not a valid identifier`);
    } else if (processNames.has(p.name)) {
      report(at('task', 'processes', i, 'name'), `process "${p.name}" is declared twice`);
    }
    processNames.add(p.name);
    if (p.cmdline.trim() === '') report(at('task', 'processes', i, 'cmdline'), 'cmdline must not be empty');
    return { ...p, cmdline: expand(p.cmdline, at('task', 'processes', i, 'cmdline'), true) };
  });
  spec.task.orderings.forEach((ordering, i) => {
    ordering.forEach((name, j) => {
      if (!processNames.has(name)) {
        report(at('task', 'orderings', i, j), `"${name}" is not one of the task's processes`);
      }
    });
  });
  const cycle = findOrderingCycle(spec.task.orderings);
  if (cycle) report(at('task', 'orderings'), `orderings form a cycle: ${cycle.join(' → ')}`);

  const constraints = parseConstraints(spec.constraints, at('constraints'));
  if (!constraints.ok) problems.push(...constraints.problems);

  let healthCheck: HealthCheck | undefined;
  if (spec.healthCheck?.type === 'http') {
    declared(spec.healthCheck.port, at('healthCheck', 'port'), 'health check port');
    healthCheck = {
      ...spec.healthCheck,
      endpoint: expand(spec.healthCheck.endpoint, at('healthCheck', 'endpoint'), true),
    };
  } else if (spec.healthCheck?.type === 'shell') {
    if (spec.healthCheck.command.trim() === '')
      report(at('healthCheck', 'command'), 'command must not be empty');
    healthCheck = {
      ...spec.healthCheck,
      command: expand(spec.healthCheck.command, at('healthCheck', 'command'), true),
    };
  }

  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.metadata)) {
    metadata[name] = expand(value, at('metadata', name), false);
  }

  const task: TaskConfig = {
    processes,
    orderings: spec.task.orderings,
    resources: { ...spec.task.resources },
    ports,
    constraints: constraints.ok ? constraints.value : [],
    tier: spec.tier,
    priority: spec.priority,
    maxTaskFailures: spec.maxTaskFailures,
    ...(healthCheck && { healthCheck }),
    ...(spec.container && {
      container: { image: expand(spec.container.image, at('container', 'image'), false) },
    }),
    metadata,
  };

  // Update settings: every non-cron job gets Aurora's defaults so the updater never guesses.
  let update: UpdateSettings | undefined;
  if (spec.kind !== 'cron' || spec.update) {
    const u = spec.update;
    if (u?.batchSize !== undefined && u.strategy !== undefined) {
      report(at('update', 'batchSize'), 'give either batchSize or strategy, not both');
    }
    const maxTotalFailures = u?.maxTotalFailures ?? AURORA_DEFAULTS.update.maxTotalFailures;
    if (maxTotalFailures >= spec.instances) {
      report(
        at('update', 'maxTotalFailures'),
        `${maxTotalFailures} must be less than instances (${spec.instances}), or every instance could fail and the update still succeed`,
      );
    }
    update = {
      strategy: u?.strategy ?? { kind: 'queue', groupSize: u?.batchSize ?? AURORA_DEFAULTS.update.batchSize },
      watchSecs: u?.watchSecs ?? AURORA_DEFAULTS.update.watchSecs,
      maxPerInstanceFailures: u?.maxPerInstanceFailures ?? AURORA_DEFAULTS.update.maxPerInstanceFailures,
      maxTotalFailures,
      rollbackOnFailure: u?.rollbackOnFailure ?? AURORA_DEFAULTS.update.rollbackOnFailure,
    };
  }

  let cron: CronSettings | undefined;
  if (spec.kind === 'cron') {
    if (!spec.cron) {
      report(at('cron'), 'a cron job needs cron: { schedule: "..." }');
    } else {
      const parsed = parseCrontab(spec.cron.schedule, at('cron', 'schedule'));
      if (!parsed.ok) problems.push(...parsed.problems);
      cron = { schedule: spec.cron.schedule.trim(), collisionPolicy: spec.cron.collisionPolicy };
    }
  } else if (spec.cron) {
    report(
      at('cron'),
      `only cron jobs have a schedule; this job's kind is "${spec.kind}" (use kind: "cron")`,
    );
  }

  let announce: Announce | undefined;
  if (spec.announce) {
    declared(spec.announce.primaryPort, at('announce', 'primaryPort'), 'announce primary port');
    for (const [endpoint, port] of Object.entries(spec.announce.portMap)) {
      if (!IDENTIFIER.test(endpoint)) {
        report(at('announce', 'portMap', endpoint), `endpoint name "${endpoint}" is not a valid identifier`);
      }
      declared(port, at('announce', 'portMap', endpoint), 'announced port');
    }
    announce = {
      primaryPort: spec.announce.primaryPort,
      portMap: spec.announce.portMap,
      ...(spec.announce.zkPath !== undefined && { zkPath: spec.announce.zkPath }),
    };
  }

  if (problems.length > 0) return failMany(unique(problems));
  const sla: SlaPolicy | undefined = spec.sla;
  return ok({
    key,
    kind: spec.kind,
    instances: spec.instances,
    task,
    ...(update && { update }),
    ...(cron && { cron }),
    ...(announce && { announce }),
    ...(sla && { sla }),
    ...(spec.contact !== undefined && { contact: spec.contact }),
  });
}

/** One report per distinct problem (a variable used twice in one field is one mistake). */
function unique(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.path}\u0000${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** A cycle among "a runs before b" edges from the orderings, as the list of names around it. */
function findOrderingCycle(orderings: readonly (readonly string[])[]): string[] | undefined {
  const edges = new Map<string, Set<string>>();
  for (const ordering of orderings) {
    for (let i = 1; i < ordering.length; i++) {
      const from = ordering[i - 1]!;
      const to = ordering[i]!;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}
