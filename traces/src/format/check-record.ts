/**
 * Checks one parsed JSON line against trace format v1 (structure and values, not its relation to
 * earlier lines: that is trace-context.ts). Returns the problems; on success the object itself is
 * a valid TraceRecord with defaults filled in.
 */
import { IDENTIFIER, JOB_KINDS, parseConstraints, parseCrontab, parseJobKey, TIERS } from '@borealis/core';
import { FieldChecker, type FieldProblem, isObject, type Obj } from './field-checks.js';
import { OUTCOMES, RECORD_TYPES, type RecordType } from './record.js';

const COLLISION_POLICIES = ['KILL_EXISTING', 'CANCEL_NEW'] as const;
const STRATEGIES = ['queue', 'batch', 'variableBatch'] as const;
const HEALTH_TYPES = ['http', 'shell'] as const;

export function checkRecord(o: Obj): FieldProblem[] {
  const c = new FieldChecker();
  c.number(o, 't', 't', { min: 0, integer: true });
  const type = c.oneOf(o, 'type', 'type', RECORD_TYPES);
  switch (type as RecordType | undefined) {
    case 'host_add':
      checkHostAdd(c, o);
      break;
    case 'host_remove':
    case 'host_down':
    case 'host_up':
      c.string(o, 'host', 'host');
      break;
    case 'host_drain':
    case 'host_activate': {
      const hosts = c.stringList(o, 'hosts', 'hosts', { required: true });
      if (hosts?.length === 0) c.add('hosts', 'must name at least one host');
      if (o.type === 'host_drain') c.boolean(o, 'sla', 'sla');
      break;
    }
    case 'job_submit':
      checkJobSpec(c, o);
      break;
    case 'job_update':
      checkJobSpec(c, o);
      checkSettings(c, o);
      break;
    case 'job_kill':
      checkJobKey(c, o);
      if (o.instances !== undefined) checkInstanceList(c, o.instances);
      break;
    case 'quota_set': {
      const role = c.string(o, 'role', 'role');
      if (role !== undefined && !/^[\w\-.]+$/.test(role)) c.add('role', `"${role}" is not a valid role name`);
      for (const r of ['cpu', 'ramMb', 'diskMb'] as const) c.number(o, r, r, { min: 0 });
      c.number(o, 'gpus', 'gpus', { min: 0, dflt: 0 });
      break;
    }
    case undefined:
      break;
  }
  return c.problems;
}

function checkHostAdd(c: FieldChecker, o: Obj): void {
  c.string(o, 'host', 'host');
  for (const r of ['cpu', 'ramMb', 'diskMb'] as const) c.number(o, r, r, { min: 0 });
  c.number(o, 'gpus', 'gpus', { min: 0, dflt: 0 });
  c.stringMap(o, 'attributes', 'attributes');
  const ports = o.ports;
  if (ports === undefined) {
    o.ports = [];
    return;
  }
  // A single [first, last] is normalized to a list of ranges so consumers see one shape.
  const ranges = Array.isArray(ports) && ports.length === 2 && typeof ports[0] === 'number' ? [ports] : ports;
  if (!Array.isArray(ranges)) {
    c.add('ports', 'must be [first, last] or a list of such ranges');
    return;
  }
  ranges.forEach((r: unknown, i) => {
    const ok =
      Array.isArray(r) &&
      r.length === 2 &&
      Number.isInteger(r[0]) &&
      Number.isInteger(r[1]) &&
      r[0] >= 1 &&
      r[0] <= r[1] &&
      r[1] <= 65535;
    if (!ok)
      c.add(`ports[${i}]`, `must be [first, last] with 1 ≤ first ≤ last ≤ 65535, got ${JSON.stringify(r)}`);
  });
  o.ports = ranges;
}

function checkJobKey(c: FieldChecker, o: Obj): void {
  const job = c.string(o, 'job', 'job');
  if (job === undefined) return;
  const key = parseJobKey(job, 'job');
  if (!key.ok) for (const p of key.problems) c.add(p.path, p.message);
}

function checkJobSpec(c: FieldChecker, o: Obj): void {
  checkJobKey(c, o);
  const kind =
    o.type === 'job_update' && o.kind === undefined ? undefined : c.oneOf(o, 'kind', 'kind', JOB_KINDS);
  c.number(o, 'instances', 'instances', { min: 1, integer: true });
  c.oneOf(o, 'tier', 'tier', TIERS, 'preferred');
  c.number(o, 'priority', 'priority', { integer: true, dflt: 0 });
  c.number(o, 'maxTaskFailures', 'maxTaskFailures', { integer: true, min: -1, dflt: 1 });
  const constraints = c.stringMap(o, 'constraints', 'constraints');
  if (constraints) {
    const parsed = parseConstraints(constraints, 'constraints');
    if (!parsed.ok) for (const p of parsed.problems) c.add(p.path, p.message);
  }
  const task = c.object(o, 'task', 'task');
  if (task) checkTask(c, task);
  const instances = typeof o.instances === 'number' ? o.instances : undefined;
  checkPerInstance(c, o, 'durationMs', instances, isDuration, (v) =>
    typeof v === 'number' && v < 0
      ? `must not be negative, got ${v}`
      : `must be a whole number of ms ≥ 0, got ${JSON.stringify(v)}`,
  );
  checkPerInstance(
    c,
    o,
    'outcomes',
    instances,
    isOutcome,
    (v) => `must be one of ${OUTCOMES.join(', ')}, got ${JSON.stringify(v)}`,
  );
  if (kind === 'cron') {
    const cron = c.string(o, 'cron', 'cron');
    if (cron !== undefined) {
      const tab = parseCrontab(cron, 'cron');
      if (!tab.ok) for (const p of tab.problems) c.add(p.path, p.message);
    }
    c.oneOf(o, 'collisionPolicy', 'collisionPolicy', COLLISION_POLICIES, 'KILL_EXISTING');
  } else if (o.cron !== undefined) {
    c.add('cron', 'only jobs of kind "cron" have a schedule');
  }
}

const isDuration = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isOutcome = (v: unknown): boolean => v === 'finished' || v === 'failed' || v === 'killed';

/**
 * `durationMs` / `outcomes`: one value for all instances, or a list with one per instance. Lists
 * can hold thousands of entries, so the loop only tests; a field name is built for the first bad one.
 */
function checkPerInstance(
  c: FieldChecker,
  o: Obj,
  key: string,
  instances: number | undefined,
  valid: (v: unknown) => boolean,
  message: (v: unknown) => string,
): void {
  const v = o[key];
  if (v === undefined) return;
  if (!Array.isArray(v)) {
    if (!valid(v)) c.add(key, message(v));
    return;
  }
  if (instances !== undefined && v.length !== instances) {
    c.add(key, `has ${v.length} entries but the job has ${instances} instances`);
    return;
  }
  for (let i = 0; i < v.length; i++) {
    if (!valid(v[i])) {
      c.add(`${key}[${i}]`, message(v[i]));
      return;
    }
  }
}

function checkTask(c: FieldChecker, task: Obj): void {
  // cpu > 0 as in the job schema: a task that needs no CPU cannot be told apart from a mistake.
  c.number(task, 'cpu', 'task.cpu', { min: 0 });
  if (task.cpu === 0) c.add('task.cpu', 'must be greater than 0');
  for (const r of ['ramMb', 'diskMb'] as const) c.number(task, r, `task.${r}`, { min: 0 });
  c.number(task, 'gpus', 'task.gpus', { min: 0, dflt: 0 });
  const ports = c.stringList(task, 'ports', 'task.ports');
  if (ports && new Set(ports).size !== ports.length) c.add('task.ports', 'names a port twice');
  ports?.forEach((p, i) => {
    if (typeof p === 'string' && !IDENTIFIER.test(p))
      c.add(`task.ports[${i}]`, `"${p}" is not a valid port name`);
  });
  c.number(task, 'failAfterMs', 'task.failAfterMs', { min: 0, integer: true, optional: true });
  c.boolean(task, 'unhealthy', 'task.unhealthy');
  const hc = c.object(task, 'healthCheck', 'task.healthCheck', { optional: true });
  if (hc) {
    const f = 'task.healthCheck.';
    c.oneOf(hc, 'type', `${f}type`, HEALTH_TYPES, 'http');
    const port = c.string(hc, 'port', `${f}port`, { optional: true });
    if (port !== undefined && ports && !ports.includes(port))
      c.add(`${f}port`, `"${port}" is not one of task.ports`);
    // Aurora's HealthCheckConfig defaults.
    c.number(hc, 'initialIntervalSecs', `${f}initialIntervalSecs`, { min: 0, dflt: 15 });
    c.number(hc, 'intervalSecs', `${f}intervalSecs`, { min: 0, dflt: 10 });
    c.number(hc, 'timeoutSecs', `${f}timeoutSecs`, { min: 0, dflt: 1 });
    for (const k of ['intervalSecs', 'timeoutSecs'] as const)
      if (hc[k] === 0) c.add(`${f}${k}`, 'must be greater than 0');
    c.number(hc, 'maxConsecutiveFailures', `${f}maxConsecutiveFailures`, { min: 0, integer: true, dflt: 0 });
    c.number(hc, 'minConsecutiveSuccesses', `${f}minConsecutiveSuccesses`, {
      min: 1,
      integer: true,
      dflt: 1,
    });
  }
}

function checkSettings(c: FieldChecker, o: Obj): void {
  if (o.settings === undefined) o.settings = {};
  const s = c.object(o, 'settings', 'settings');
  if (!s) return;
  // batchSize alone means Aurora's batch_size: a queue of that many instances at a time.
  const strategy = c.oneOf(s, 'strategy', 'settings.strategy', STRATEGIES, 'queue');
  c.number(s, 'batchSize', 'settings.batchSize', { min: 1, integer: true, dflt: 1 });
  c.boolean(s, 'autoPause', 'settings.autoPause', false);
  c.number(s, 'watchSecs', 'settings.watchSecs', { min: 0, dflt: 45 });
  c.number(s, 'maxPerInstanceFailures', 'settings.maxPerInstanceFailures', {
    min: 0,
    integer: true,
    dflt: 0,
  });
  c.number(s, 'maxTotalFailures', 'settings.maxTotalFailures', { min: 0, integer: true, dflt: 0 });
  c.boolean(s, 'rollbackOnFailure', 'settings.rollbackOnFailure', true);
  if (
    typeof s.maxTotalFailures === 'number' &&
    typeof o.instances === 'number' &&
    s.maxTotalFailures >= o.instances
  ) {
    c.add('settings.maxTotalFailures', `must be less than instances (${o.instances})`);
  }
  if (strategy === 'variableBatch') {
    const g = s.groupSizes;
    if (!Array.isArray(g) || g.length === 0 || !g.every((x) => Number.isInteger(x) && x >= 1)) {
      c.add('settings.groupSizes', 'variableBatch needs a non-empty list of batch sizes ≥ 1');
    }
  }
}

/** Parses and checks the header line. */
export function checkHeader(o: unknown): FieldProblem[] {
  if (!isObject(o)) return [{ field: 'header', message: 'line 1 must be the trace header object' }];
  const c = new FieldChecker();
  if (o.format !== 'borealis-trace')
    c.add('format', `must be "borealis-trace", got ${JSON.stringify(o.format)} (is this a trace file?)`);
  if (o.version !== 1) c.add('version', `must be 1, got ${JSON.stringify(o.version)} (unsupported version)`);
  c.string(o, 'name', 'name', { optional: true });
  c.string(o, 'source', 'source', { optional: true });
  return c.problems;
}

function checkInstanceList(c: FieldChecker, v: unknown): void {
  if (!Array.isArray(v) || v.length === 0) {
    c.add('instances', 'must be a non-empty list of instance numbers');
    return;
  }
  const seen = new Set<number>();
  v.forEach((x, i) => {
    if (!Number.isInteger(x) || (x as number) < 0)
      c.add(`instances[${i}]`, `must be an instance number ≥ 0, got ${x}`);
    else if (seen.has(x as number)) c.add(`instances[${i}]`, `instance ${x} is listed twice`);
    else seen.add(x as number);
  });
}
