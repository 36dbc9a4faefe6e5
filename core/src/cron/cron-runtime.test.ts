import { describe, expect, it } from 'vitest';
import { aHost, aJob } from '../testing/builders.js';
import { Harness } from '../testing/harness.js';

const DAY = 86_400_000;
const MIN = 60_000;
const key = { role: 'ops', environment: 'prod', name: 'backup' };

/** A cron job every 15 minutes whose runs last `runMs`, over one simulated day from midnight. */
function day(policy: 'KILL_EXISTING' | 'CANCEL_NEW', runMs: number) {
  const h = new Harness().hosts(aHost('h0'), aHost('h1'));
  const job = aJob('ops/prod/backup')
    .instances(2)
    .cron('*/15 * * * *', policy)
    .failAfterMs(runMs)
    .maxTaskFailures(1);
  const r = h.trySubmit(job);
  expect(r.ok && r.value.taskIds).toEqual([]);
  h.advance(DAY);
  return h;
}

describe('cron runtime', () => {
  it('does not run a cron job until its schedule fires, then starts a run per trigger', () => {
    const h = new Harness().hosts(aHost('h0'));
    h.submit(aJob('ops/prod/backup').instances(3).tier('preemptible').cron('0 * * * *'));
    expect(h.tasks('ops/prod/backup')).toHaveLength(0);
    expect(h.scheduler.cronNextFire(key)).toBe(60 * MIN);
    h.advance(60 * MIN - 1);
    expect(h.tasks('ops/prod/backup')).toHaveLength(0);
    h.advance(1);
    expect(h.running('ops/prod/backup').map((t) => t.instance)).toEqual([0, 1, 2]);
    expect(h.scheduler.cronNextFire(key)).toBe(120 * MIN);
  });

  it('runs every trigger of a day when runs end in time (no collisions)', () => {
    const h = day('KILL_EXISTING', 5 * MIN);
    // */15 from midnight: 00:15 … 24:00 inclusive is 96 fire times.
    expect(h.scheduler.lifecycleCounters().cron).toEqual({ triggers: 96, runs: 96, collisions: 0 });
  });

  it('CANCEL_NEW skips a trigger while the previous run is still going', () => {
    // 20-minute runs: each run is still going at the next trigger, which is cancelled; the one after runs.
    const h = day('CANCEL_NEW', 20 * MIN);
    expect(h.scheduler.lifecycleCounters().cron).toEqual({ triggers: 96, runs: 48, collisions: 48 });
    expect(h.effects.some((e) => e.kind === 'kill')).toBe(false);
  });

  it('KILL_EXISTING kills the previous run and starts the new one every trigger', () => {
    const h = day('KILL_EXISTING', 20 * MIN);
    expect(h.scheduler.lifecycleCounters().cron).toEqual({ triggers: 96, runs: 96, collisions: 95 });
    const kills = h.effects.filter((e) => e.kind === 'kill');
    expect(kills).toHaveLength(95 * 2);
    expect(kills.every((k) => k.kind === 'kill' && k.reason === 'cron-collision')).toBe(true);
    // The run of the last trigger (24:00) is the only one running.
    expect(h.running('ops/prod/backup')).toHaveLength(2);
  });

  it('killing the whole cron job deschedules it; resubmitting replaces the schedule', () => {
    const h = new Harness().hosts(aHost('h0'));
    h.submit(aJob('ops/prod/backup').tier('preemptible').cron('*/5 * * * *'));
    h.submit(aJob('ops/prod/backup').tier('preemptible').cron('0 0 * * *'));
    expect(h.scheduler.cronNextFire(key)).toBe(DAY);
    expect(h.trySubmit(aJob('ops/prod/backup').batch()).ok).toBe(false);
    h.kill('ops/prod/backup');
    expect(h.scheduler.cronNextFire(key)).toBeUndefined();
    h.advance(2 * DAY);
    expect(h.scheduler.lifecycleCounters().cron.triggers).toBe(0);
    expect(h.trySubmit(aJob('ops/prod/bad').tier('preemptible').cron('61 * * * *')).ok).toBe(false);
  });
});
