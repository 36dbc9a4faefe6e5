/**
 * Errors users can cause are values, not exceptions. `path` names where the problem is
 * (a field path such as `task.resources.cpu`, a line number, a job key).
 */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(path: string, message: string): Result<T> => ({
  ok: false,
  problems: [{ path, message }],
});
export const failMany = <T = never>(problems: readonly Problem[]): Result<T> => ({ ok: false, problems });

/** Formats problems one per line as `path: message`. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}
