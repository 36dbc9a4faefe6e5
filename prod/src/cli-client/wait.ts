import { UserError } from '@borealis/core';
import { Presets, SingleBar } from 'cli-progress';
import type { ApiClient } from './api-client.js';
import type { CliIo, JobPath } from './context.js';
import { EXIT } from './exit-codes.js';

export interface WaitOptions {
  /** Seconds between polls. */
  readonly interval: number;
  /** Give up after this many seconds (exit 8); undefined: wait for ever. */
  readonly timeout?: number;
}

interface Progress {
  readonly done: number;
  readonly total: number;
  /** Set when the wait is over: true if it ended well. */
  readonly finished?: { readonly ok: boolean; readonly message: string };
}

/** Polls `probe` until it reports finished, drawing a progress bar on a terminal. */
async function follow(
  io: CliIo,
  label: string,
  options: WaitOptions,
  probe: () => Promise<Progress>,
): Promise<string> {
  const bar = io.progress
    ? new SingleBar(
        { format: `${label} [{bar}] {value}/{total}`, stream: process.stderr },
        Presets.shades_classic,
      )
    : undefined;
  const deadline = options.timeout === undefined ? undefined : Date.now() + options.timeout * 1000;
  let started = false;
  try {
    for (;;) {
      const p = await probe();
      if (bar && !started) {
        bar.start(p.total, p.done);
        started = true;
      }
      bar?.setTotal(p.total);
      bar?.update(p.done);
      if (p.finished) {
        if (!p.finished.ok) throw new UserError(p.finished.message, EXIT.failed);
        return p.finished.message;
      }
      if (deadline !== undefined && Date.now() >= deadline)
        throw new UserError(
          `${label}: gave up after ${options.timeout} s (${p.done}/${p.total})`,
          EXIT.timeout,
        );
      await new Promise((r) => setTimeout(r, options.interval * 1000));
    }
  } finally {
    bar?.stop();
  }
}

interface UpdateView {
  readonly status: string;
  readonly done: number;
  readonly total: number;
  readonly message?: string;
}

const ACTIVE = new Set(['ROLLING_FORWARD', 'ROLLING_BACK', 'ROLL_FORWARD_PAUSED', 'ROLL_BACK_PAUSED']);

/** Waits for the job's update to end; only ROLLED_FORWARD is success. */
export function waitForUpdate(
  client: ApiClient,
  job: JobPath,
  io: CliIo,
  options: WaitOptions,
): Promise<string> {
  return follow(io, `update ${job.label}`, options, async () => {
    const u = await client.get<UpdateView>(`${job.url}/update`);
    if (ACTIVE.has(u.status)) return { done: u.done, total: u.total };
    const message = `update of ${job.label}: ${u.status}${u.message ? ` (${u.message})` : ''}`;
    return { done: u.done, total: u.total, finished: { ok: u.status === 'ROLLED_FORWARD', message } };
  });
}

interface StatusView {
  readonly kind?: string;
  readonly config?: { readonly instances: number };
  readonly instances: readonly { readonly instance: number; readonly state: string }[];
  /** Newest first. */
  readonly tasks: readonly { readonly instance: number; readonly state: string }[];
}

const FAILED = new Set(['FAILED', 'LOST']);

/**
 * Waits until every instance is RUNNING (or, for ad-hoc jobs, FINISHED). An instance whose latest
 * task FAILED or was LOST and that has no live task left (no reschedule) ends the wait badly.
 */
export function waitForRunning(
  client: ApiClient,
  job: JobPath,
  io: CliIo,
  options: WaitOptions,
): Promise<string> {
  return follow(io, `${job.label} running`, options, async () => {
    const s = await client.get<StatusView>(job.url);
    const total = s.config?.instances ?? s.instances.length;
    const live = new Map(s.instances.map((i) => [i.instance, i.state]));
    const latest = new Map<number, string>();
    for (const t of s.tasks) if (!latest.has(t.instance)) latest.set(t.instance, t.state);
    let done = 0;
    for (const [instance, state] of latest) {
      const now = live.get(instance);
      if (now === 'RUNNING' || (now === undefined && state === 'FINISHED')) done++;
      else if (now === undefined && FAILED.has(state))
        return { done, total, finished: { ok: false, message: `${job.label}/${instance} is ${state}` } };
    }
    if (done >= total)
      return { done, total, finished: { ok: true, message: `${job.label}: ${done}/${total} running` } };
    return { done, total };
  });
}
