import { parseCrontab } from '../cron/crontab.js';
import {
  type Announce,
  type CronSettings,
  DEFAULT_MAX_INSTANCES,
  type JobConfig,
  type UpdateSettings,
} from '../model/job.js';
import { IDENTIFIER, type JobKey } from '../model/job-key.js';
import { parseConstraints } from '../model/parse-constraint.js';
import { failMany, ok, type Problem, type Result } from '../model/result.js';
import type { HealthCheck, Process, TaskConfig } from '../model/task-config.js';
import { AURORA_DEFAULTS } from './defaults.js';
import { joinPath, type PathSegment } from './field-path.js';
import { type JobSpec, jobSchema } from './schema.js';
import { checkBindings, expandStatic } from './template.js';
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
 * Shape problems (types, unknown fields) come first: the cross-field rules below need a
 * well-typed job to run on.
 */
export function normalizeJob(raw: unknown, options: NormalizeOptions = {}): Result<JobConfig> {
  const prefix = options.path ?? '';
  const parsed = jobSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return failMany(zodProblems(parsed.error, prefix, (segments) => fieldsAt(jobSchema, segments)));
  }
  const c = new Checker(parsed.data, prefix, options.bindings ?? {});
  c.problems.push(...checkBindings(c.bindings, '--bind'));
  const key = checkKey(c);
  const maxInstances = options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  if (c.spec.instances > maxInstances) {
    c.report(['instances'], `${c.spec.instances} exceeds the limit of ${maxInstances} instances per job`);
  }
  const task = checkTask(c, key);
  const update = checkUpdate(c);
  const cron = checkCron(c);
  const announce = checkAnnounce(c);
  if (c.problems.length > 0) return failMany(unique(c.problems));
  const { spec } = c;
  return ok({
    key,
    kind: spec.kind,
    instances: spec.instances,
    task,
    ...(update && { update }),
    ...(cron && { cron }),
    ...(announce && { announce }),
    ...(spec.sla && { sla: spec.sla }),
    ...(spec.contact !== undefined && { contact: spec.contact }),
  });
}

/** The job being checked and the problems found so far. */
class Checker {
  readonly problems: Problem[] = [];
  readonly ports: ReadonlySet<string>;

  constructor(
    readonly spec: JobSpec,
    private readonly prefix: string,
    readonly bindings: Readonly<Record<string, string>>,
  ) {
    this.ports = new Set(spec.task.ports);
  }

  path(segments: readonly PathSegment[]): string {
    return joinPath(this.prefix, ...segments);
  }

  report(segments: readonly PathSegment[], message: string): void {
    this.problems.push({ path: this.path(segments), message });
  }

  /** Reports a port name that task.ports does not declare. */
  declared(port: string, segments: readonly PathSegment[], what: string): void {
    if (!this.ports.has(port)) {
      const list = this.spec.task.ports.join(', ') || 'none';
      this.report(segments, `${what} "${port}" is not declared in task.ports (declared: ${list})`);
    }
  }

  /** Substitutes static template variables; see template.ts for launch-time fields. */
  expand(key: JobKey, text: string, segments: readonly PathSegment[], launchTime: boolean): string {
    const scope = { ...key, bindings: this.bindings, ports: this.spec.task.ports };
    return expandStatic(text, scope, this.path(segments), launchTime, this.problems);
  }
}

function checkKey(c: Checker): JobKey {
  const { spec } = c;
  for (const part of ['role', 'environment', 'name', 'cluster'] as const) {
    const value = spec[part];
    if (value !== undefined && !IDENTIFIER.test(value)) {
      c.report([part], `"${value}" is not a valid identifier (letters, digits, _ - . only)`);
    }
  }
  return {
    role: spec.role,
    environment: spec.environment,
    name: spec.name,
    ...(spec.cluster !== undefined && { cluster: spec.cluster }),
  };
}

function checkTask(c: Checker, key: JobKey): TaskConfig {
  const { spec } = c;
  const seenPorts = new Set<string>();
  spec.task.ports.forEach((port, i) => {
    if (!IDENTIFIER.test(port))
      c.report(['task', 'ports', i], `port name "${port}" is not a valid identifier`);
    if (seenPorts.has(port)) c.report(['task', 'ports', i], `port "${port}" is declared twice`);
    seenPorts.add(port);
  });

  const names = new Set<string>();
  const processes: Process[] = spec.task.processes.map((p, i) => {
    const at = ['task', 'processes', i];
    if (!IDENTIFIER.test(p.name))
      c.report([...at, 'name'], `process name "${p.name}" is not a valid identifier`);
    else if (names.has(p.name)) c.report([...at, 'name'], `process "${p.name}" is declared twice`);
    names.add(p.name);
    if (p.cmdline.trim() === '') c.report([...at, 'cmdline'], 'cmdline must not be empty');
    return { ...p, cmdline: c.expand(key, p.cmdline, [...at, 'cmdline'], true) };
  });
  spec.task.orderings.forEach((ordering, i) => {
    ordering.forEach((name, j) => {
      if (!names.has(name))
        c.report(['task', 'orderings', i, j], `"${name}" is not one of the task's processes`);
    });
  });
  const cycle = findOrderingCycle(spec.task.orderings);
  if (cycle) c.report(['task', 'orderings'], `orderings form a cycle: ${cycle.join(' → ')}`);

  const constraints = parseConstraints(spec.constraints, c.path(['constraints']));
  if (!constraints.ok) c.problems.push(...constraints.problems);

  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.metadata)) {
    metadata[name] = c.expand(key, value, ['metadata', name], false);
  }
  const healthCheck = checkHealthCheck(c, key);
  return {
    processes,
    orderings: spec.task.orderings,
    resources: { ...spec.task.resources },
    ports: spec.task.ports,
    constraints: constraints.ok ? constraints.value : [],
    tier: spec.tier,
    priority: spec.priority,
    maxTaskFailures: spec.maxTaskFailures,
    ...(healthCheck && { healthCheck }),
    ...(spec.container && {
      container: { image: c.expand(key, spec.container.image, ['container', 'image'], false) },
    }),
    metadata,
  };
}

function checkHealthCheck(c: Checker, key: JobKey): HealthCheck | undefined {
  const check = c.spec.healthCheck;
  if (check?.type === 'http') {
    c.declared(check.port, ['healthCheck', 'port'], 'health check port');
    return { ...check, endpoint: c.expand(key, check.endpoint, ['healthCheck', 'endpoint'], true) };
  }
  if (check?.type === 'shell') {
    if (check.command.trim() === '') c.report(['healthCheck', 'command'], 'command must not be empty');
    return { ...check, command: c.expand(key, check.command, ['healthCheck', 'command'], true) };
  }
  return undefined;
}

/** Every non-cron job gets update settings (Aurora's defaults if none are given). */
function checkUpdate(c: Checker): UpdateSettings | undefined {
  const { spec } = c;
  const u = spec.update;
  if (spec.kind === 'cron' && !u) return undefined;
  const defaults = AURORA_DEFAULTS.update;
  if (u?.batchSize !== undefined && u.strategy !== undefined) {
    c.report(['update', 'batchSize'], 'give either batchSize or strategy, not both');
  }
  const maxTotalFailures = u?.maxTotalFailures ?? defaults.maxTotalFailures;
  if (maxTotalFailures >= spec.instances) {
    c.report(
      ['update', 'maxTotalFailures'],
      `${maxTotalFailures} must be less than instances (${spec.instances}), or every instance could fail and the update still succeed`,
    );
  }
  return {
    strategy: u?.strategy ?? { kind: 'queue', groupSize: u?.batchSize ?? defaults.batchSize },
    watchSecs: u?.watchSecs ?? defaults.watchSecs,
    maxPerInstanceFailures: u?.maxPerInstanceFailures ?? defaults.maxPerInstanceFailures,
    maxTotalFailures,
    rollbackOnFailure: u?.rollbackOnFailure ?? defaults.rollbackOnFailure,
  };
}

/** A schedule is required for cron jobs and meaningless for the others. */
function checkCron(c: Checker): CronSettings | undefined {
  const { spec } = c;
  if (spec.kind !== 'cron') {
    if (spec.cron) {
      c.report(
        ['cron'],
        `only cron jobs have a schedule; this job's kind is "${spec.kind}" (use kind: "cron")`,
      );
    }
    return undefined;
  }
  if (!spec.cron) {
    c.report(['cron'], 'a cron job needs cron: { schedule: "..." }');
    return undefined;
  }
  const parsed = parseCrontab(spec.cron.schedule, c.path(['cron', 'schedule']));
  if (!parsed.ok) c.problems.push(...parsed.problems);
  return { schedule: spec.cron.schedule.trim(), collisionPolicy: spec.cron.collisionPolicy };
}

function checkAnnounce(c: Checker): Announce | undefined {
  const announce = c.spec.announce;
  if (!announce) return undefined;
  c.declared(announce.primaryPort, ['announce', 'primaryPort'], 'announce primary port');
  for (const [endpoint, port] of Object.entries(announce.portMap)) {
    if (!IDENTIFIER.test(endpoint)) {
      c.report(['announce', 'portMap', endpoint], `endpoint name "${endpoint}" is not a valid identifier`);
    }
    c.declared(port, ['announce', 'portMap', endpoint], 'announced port');
  }
  return {
    primaryPort: announce.primaryPort,
    portMap: announce.portMap,
    ...(announce.zkPath !== undefined && { zkPath: announce.zkPath }),
  };
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
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(ordering[i]!);
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
