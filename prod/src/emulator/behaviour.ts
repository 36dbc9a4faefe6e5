/**
 * What a virtual task does once launched, unless a script or the control endpoint says otherwise:
 * how long each step takes, how it ends, whether its health check passes, how it answers SIGTERM.
 */
export interface TaskBehaviour {
  /** STAGING -> STARTING (the executor registered and launched the command). */
  startingAfterMs: number;
  /** STARTING -> RUNNING. */
  runningAfterMs: number;
  /** RUNNING -> the first health check result (only for tasks with a health_check). */
  healthAfterMs: number;
  /** How long it runs before it ends by itself; null runs until killed. */
  runForMs: number | null;
  /** How it ends by itself: exit 0 (FINISHED) or exit 1 (FAILED). */
  outcome: 'finished' | 'failed';
  /** Whether its health check passes. */
  health: 'pass' | 'fail';
  /** On SIGTERM: exit after exitAfterSigtermMs, or ignore it until SIGKILL at the end of the grace period. */
  sigterm: 'exit' | 'ignore';
  exitAfterSigtermMs: number;
}

export const DEFAULT_BEHAVIOUR: TaskBehaviour = {
  startingAfterMs: 20,
  runningAfterMs: 30,
  healthAfterMs: 100,
  runForMs: null,
  outcome: 'finished',
  health: 'pass',
  sigterm: 'exit',
  exitAfterSigtermMs: 10,
};

const KEYS = Object.keys(DEFAULT_BEHAVIOUR) as (keyof TaskBehaviour)[];

/** Validates a partial behaviour from the control endpoint; a message names the bad field. */
export function readBehaviour(
  input: unknown,
): { ok: true; value: Partial<TaskBehaviour> } | { ok: false; error: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, error: 'behaviour must be a JSON object' };
  }
  const out: Partial<TaskBehaviour> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!KEYS.includes(key as keyof TaskBehaviour)) {
      return { ok: false, error: `unknown behaviour field '${key}' (one of ${KEYS.join(', ')})` };
    }
    const k = key as keyof TaskBehaviour;
    if (k === 'outcome') {
      if (value !== 'finished' && value !== 'failed')
        return { ok: false, error: "outcome is 'finished' or 'failed'" };
      out.outcome = value;
    } else if (k === 'health') {
      if (value !== 'pass' && value !== 'fail') return { ok: false, error: "health is 'pass' or 'fail'" };
      out.health = value;
    } else if (k === 'sigterm') {
      if (value !== 'exit' && value !== 'ignore')
        return { ok: false, error: "sigterm is 'exit' or 'ignore'" };
      out.sigterm = value;
    } else if (k === 'runForMs' && value === null) {
      out.runForMs = null;
    } else {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        return { ok: false, error: `${k} must be a non-negative number of milliseconds` };
      }
      out[k] = value;
    }
  }
  return { ok: true, value: out };
}
