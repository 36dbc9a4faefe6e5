import { fail, ok, type Result } from './result.js';

/** Aurora's identifier rule for role, environment, name and cluster. */
export const IDENTIFIER = /^[\w\-.]+$/;

export interface JobKey {
  readonly role: string;
  readonly environment: string;
  readonly name: string;
  readonly cluster?: string;
}

/** `role/environment/name`, or `cluster/role/environment/name` when a cluster is given. */
export function parseJobKey(text: string, path = 'job'): Result<JobKey> {
  const parts = text.split('/');
  if (parts.length !== 3 && parts.length !== 4) {
    return fail(path, `job key "${text}" must be role/environment/name (or cluster/role/environment/name)`);
  }
  for (const part of parts) {
    if (!IDENTIFIER.test(part)) {
      return fail(
        path,
        `job key "${text}": "${part}" is not a valid identifier (letters, digits, _ - . only)`,
      );
    }
  }
  if (parts.length === 4) {
    const [cluster, role, environment, name] = parts as [string, string, string, string];
    return ok({ cluster, role, environment, name });
  }
  const [role, environment, name] = parts as [string, string, string];
  return ok({ role, environment, name });
}

/** The canonical `role/environment/name` form (the cluster is not part of a job's identity within one scheduler). */
export function formatJobKey(key: JobKey): string {
  return `${key.role}/${key.environment}/${key.name}`;
}
