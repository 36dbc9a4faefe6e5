/** The kinds of events on the simulator's agenda (EventQueue kind codes). */
export const EV_WAKEUP = 1;
/** a = task slot, b = slot generation. */
export const EV_STARTING = 2;
export const EV_RUNNING = 3;
export const EV_COMPLETE = 4;
export const EV_KILL_DONE = 5;
/** a = payload handle of a delayed job_submit copy (--load-scale). */
export const EV_DELAYED_RECORD = 6;
/** Offer cycle: an allocation round; a = 0. */
export const EV_ALLOCATE = 7;
/** Offer cycle: an offer's hold time is up; a = host index, b = offer generation. */
export const EV_OFFER_EXPIRE = 8;
/** --fail: a = failure index, b = 0 (hosts go down) or 1 (they come back). */
export const EV_FAILURE = 9;

/**
 * Or'ed into the task event kinds above for tasks of cron jobs: their progress is not counted as
 * work in flight, because cron jobs fire forever and an open-ended run must still end.
 */
export const CRON_EVENT = 32;

/** Whether an event kind is one of the cluster's own task events (possibly with CRON_EVENT). */
export const isTaskEvent = (kind: number): boolean => {
  const k = kind & ~CRON_EVENT;
  return k >= EV_STARTING && k <= EV_KILL_DONE;
};
