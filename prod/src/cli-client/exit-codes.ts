/**
 * Exit codes of the user commands (`borealis job|update|cron|task|quota|admin ...`), for scripts.
 * Documented in prod/README.md; never renumber them.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** A mistake on this side: bad job file, bad flag value, unknown cluster. */
  user: 1,
  /** The command line itself is wrong (commander's usage errors). */
  usage: 2,
  /** The scheduler does not know the job, task or update (404). */
  notFound: 3,
  /** The request conflicts with the scheduler's state (409): job exists, update active, quota. */
  conflict: 4,
  /** No or bad credentials (401), or not allowed (403). */
  auth: 5,
  /** The scheduler could not be reached or failed (5xx, connection refused, TLS). */
  unavailable: 6,
  /** What `--wait` or `update wait` waited for ended badly (update rolled back, aborted, failed; tasks failed). */
  failed: 7,
  /** `--wait` / `update wait` gave up after --timeout. */
  timeout: 8,
} as const;

export function exitCodeForStatus(status: number): number {
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 401 || status === 403) return EXIT.auth;
  if (status >= 500) return EXIT.unavailable;
  return EXIT.user;
}
