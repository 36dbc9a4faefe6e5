import type { Problem } from '../model/result.js';

/**
 * `{{…}}` templating in job configs, in two stages:
 * - at validation time (normalizeJob) the static variables — `role`, `environment`, `name`,
 *   `cluster` and user bindings (`--bind key=value`) — are substituted, and every remaining
 *   reference is checked: it must be a launch-time variable, and a port it names must be declared;
 * - at launch time (sim, prod) renderTemplate fills in `ports.NAME`, `instance` and `host` once a
 *   task has its host and port numbers.
 * Only `{{identifier}}` / `{{a.b}}` forms are references; anything else between braces (a Go
 * template `{{.Name}}` in a docker command, say) is left alone.
 */

const REFERENCE = /\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;

/** Variables known from the job key alone. */
export const STATIC_VARIABLES = ['role', 'environment', 'name', 'cluster'] as const;
/** Variables known only when a task is launched on a host. */
export const LAUNCH_VARIABLES = ['instance', 'host'] as const;
const PORTS_PREFIX = 'ports.';
const BUILTIN_NAMES: ReadonlySet<string> = new Set([...STATIC_VARIABLES, ...LAUNCH_VARIABLES, 'ports']);
const BINDING_NAME = /^[A-Za-z_][\w-]*(?:\.[\w-]+)*$/;

export interface LaunchContext {
  readonly role: string;
  readonly environment: string;
  readonly name: string;
  readonly cluster?: string;
  readonly instance: number;
  readonly host: string;
  /** Named port → the host port assigned to this task. */
  readonly ports: Readonly<Record<string, number>>;
  readonly bindings?: Readonly<Record<string, string>>;
}

/** The names referenced in a text, in order of appearance (duplicates kept). */
export function templateReferences(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1]!);
}

/**
 * Fills every reference in a validated template. A reference that cannot be resolved here is a
 * programmer error (the config was validated, or the caller forgot a port), so it throws.
 */
export function renderTemplate(text: string, context: LaunchContext): string {
  return text.replace(REFERENCE, (_whole, name: string) => {
    const value = lookupLaunch(name, context);
    if (value === undefined) throw new Error(`template variable {{${name}}} has no value in "${text}"`);
    return value;
  });
}

function lookupLaunch(name: string, c: LaunchContext): string | undefined {
  if (name.startsWith(PORTS_PREFIX)) {
    const port = c.ports[name.slice(PORTS_PREFIX.length)];
    return port === undefined ? undefined : String(port);
  }
  switch (name) {
    case 'instance':
      return String(c.instance);
    case 'host':
      return c.host;
    case 'role':
      return c.role;
    case 'environment':
      return c.environment;
    case 'name':
      return c.name;
    case 'cluster':
      return c.cluster;
    default:
      return c.bindings?.[name];
  }
}

export interface StaticScope {
  readonly role: string;
  readonly environment: string;
  readonly name: string;
  readonly cluster?: string;
  readonly bindings: Readonly<Record<string, string>>;
  /** The task's declared port names. */
  readonly ports: readonly string[];
}

/**
 * Validation-time expansion of one field: substitutes static variables and checks the rest.
 * `launchTime` says whether the field is rendered per task at launch (command lines, health
 * check commands) or used as is (metadata, container image), where `instance`, `host` and
 * ports have no meaning.
 */
export function expandStatic(
  text: string,
  scope: StaticScope,
  path: string,
  launchTime: boolean,
  problems: Problem[],
): string {
  return text.replace(REFERENCE, (whole, name: string) => {
    const launchVariable = name.startsWith(PORTS_PREFIX) || name === 'instance' || name === 'host';
    if (launchVariable) {
      if (!launchTime) {
        problems.push({
          path,
          message: `{{${name}}} is only known when a task launches; it cannot be used here`,
        });
      } else if (name.startsWith(PORTS_PREFIX)) {
        const port = name.slice(PORTS_PREFIX.length);
        if (!scope.ports.includes(port)) {
          problems.push({
            path,
            message: `{{${name}}} names port "${port}", which task.ports does not declare (declared: ${list(scope.ports)})`,
          });
        }
      }
      return whole;
    }
    const value = lookupStatic(name, scope);
    if (value !== undefined) return value;
    if (name === 'cluster') {
      problems.push({ path, message: '{{cluster}} is used but the job names no cluster' });
    } else {
      const bound = Object.keys(scope.bindings);
      problems.push({
        path,
        message:
          `unknown template variable {{${name}}} (known: ports.NAME, instance, host, role, environment, name, cluster` +
          (bound.length ? `, and the bindings ${bound.join(', ')})` : '; more with --bind key=value)'),
      });
    }
    return whole;
  });
}

function lookupStatic(name: string, s: StaticScope): string | undefined {
  switch (name) {
    case 'role':
      return s.role;
    case 'environment':
      return s.environment;
    case 'name':
      return s.name;
    case 'cluster':
      return s.cluster;
    default:
      return Object.hasOwn(s.bindings, name) ? s.bindings[name] : undefined;
  }
}

/** Checks user bindings: names must be dotted identifiers that don't shadow built-in variables. */
export function checkBindings(bindings: Readonly<Record<string, string>>, path = 'bindings'): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(bindings)) {
    if (!BINDING_NAME.test(name)) {
      problems.push({
        path,
        message: `binding name "${name}" must be an identifier such as profile.version`,
      });
    } else if (BUILTIN_NAMES.has(name) || name.startsWith(PORTS_PREFIX)) {
      problems.push({ path, message: `binding "${name}" would shadow a built-in template variable` });
    }
    if (value.includes('{{')) {
      problems.push({ path, message: `binding "${name}" has a value containing "{{", which is not allowed` });
    }
  }
  return problems;
}

function list(names: readonly string[]): string {
  return names.length ? names.join(', ') : 'none';
}
