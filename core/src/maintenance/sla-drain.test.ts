import { describe, expect, it } from 'vitest';
import { aHost, aJob } from '../testing/builders.js';
import { Harness } from '../testing/harness.js';
import { DEFAULT_PRODUCTION_SLA, meetsSla, requiredActive } from './sla.js';

const MIN = 60_000;
const hosts = (n: number) => Array.from({ length: n }, (_, i) => aHost(`h${i}`).cpu(4).ramMb(8192));

describe('SLA rules', () => {
  it('percentage and count policies', () => {
    expect(requiredActive(DEFAULT_PRODUCTION_SLA, 20)).toBe(19);
    expect(requiredActive(DEFAULT_PRODUCTION_SLA, 4)).toBe(4);
    expect(requiredActive({ kind: 'percentage', percentage: 50, durationSecs: 60 }, 4)).toBe(2);
    expect(meetsSla({ kind: 'count', count: 3, durationSecs: 60 }, 5, 3)).toBe(true);
    expect(meetsSla({ kind: 'count', count: 3, durationSecs: 60 }, 5, 2)).toBe(false);
  });
});

describe('SLA-aware host maintenance', () => {
  it('waits for the SLA: kills only while enough instances have been active for the duration', () => {
    // Aurora's own tests lower the minimum job size for SLA checks to 2 in the same way.
    const h = new Harness({ maintenance: { slaCheckIntervalMs: MIN, minRequiredInstances: 2 } }).hosts(
      ...hosts(4),
    );
    // 4 instances, one per host; SLA: 3 active for 10 minutes.
    h.submit(
      aJob('www/prod/web')
        .instances(4)
        .constraint('host', 'limit:1')
        .sla({ kind: 'count', count: 3, durationSecs: 600 }),
    );
    h.advance(5 * MIN);
    h.scheduler.setMaintenance(['h0', 'h1'], 'DRAINING', 'sla');
    h.settle();
    // Nothing has run 10 minutes yet: both kills wait.
    expect(h.scheduler.maintenance('h0')).toBe('DRAINING');
    expect(h.scheduler.lifecycleCounters().maintenance.slaDelayedKills).toBe(2);
    h.advance(5 * MIN);
    // At 10 minutes all 4 count; one stop keeps 3: h0's task goes, h1's waits for the replacement.
    expect(h.scheduler.maintenance('h0')).toBe('DRAINED');
    expect(h.scheduler.maintenance('h1')).toBe('DRAINING');
    // The replacement cannot go to h0/h1 (draining) nor h2/h3 (limit:1): it waits, and so does h1.
    h.scheduler.setMaintenance(['h0'], 'NONE');
    h.advance(9 * MIN);
    expect(h.scheduler.maintenance('h1')).toBe('DRAINING');
    h.advance(2 * MIN);
    expect(h.scheduler.maintenance('h1')).toBe('DRAINED');
    expect(h.hostsOf('www/prod/web')).toEqual(['h0', 'h2', 'h3']);
    const c = h.scheduler.lifecycleCounters().maintenance;
    expect(c).toEqual({ hostsDrained: 2, slaDelayedKills: 2, forcedKills: 0 });
    expect(h.maintenanceEvents.map((e) => `${e.host}:${e.mode}`)).toEqual([
      'h0:DRAINING',
      'h1:DRAINING',
      'h0:DRAINED',
      'h0:NONE',
      'h1:DRAINED',
    ]);
  });

  it('forces the kills at the drain deadline when the SLA cannot be met', () => {
    const h = new Harness({ maintenance: { drainTimeoutMs: 20 * MIN, minRequiredInstances: 2 } }).hosts(
      ...hosts(2),
    );
    // Default production SLA (95 % for 30 min) of a 2-instance job: never met by a stop.
    h.submit(aJob('www/prod/web').instances(2).constraint('host', 'limit:1'));
    h.advance(60 * MIN);
    h.scheduler.setMaintenance(['h0'], 'DRAINING', 'sla');
    h.advance(20 * MIN - 1);
    expect(h.scheduler.maintenance('h0')).toBe('DRAINING');
    h.advance(1);
    expect(h.scheduler.maintenance('h0')).toBe('DRAINED');
    expect(h.scheduler.lifecycleCounters().maintenance).toEqual({
      hostsDrained: 1,
      slaDelayedKills: 1,
      forcedKills: 1,
    });
    expect(
      h.events.some((e) => e.state === 'DRAINING' && e.reason === 'host draining: SLA wait timed out'),
    ).toBe(true);
  });

  it('stops tasks of jobs without an SLA at once, and they are rescheduled elsewhere', () => {
    const h = new Harness().hosts(...hosts(2));
    h.submit(aJob('batch/devel/etl').batch().instances(2).constraint('host', 'limit:1').maxTaskFailures(-1));
    h.scheduler.setMaintenance(['h0'], 'DRAINING', 'sla');
    h.settle();
    expect(h.scheduler.maintenance('h0')).toBe('DRAINED');
    expect(
      h
        .tasks('batch/devel/etl')
        .map((t) => t.state)
        .sort(),
    ).toEqual(['PENDING', 'RUNNING']);
    h.scheduler.setMaintenance(['h0'], 'NONE');
    h.advance(2000);
    expect(h.hostsOf('batch/devel/etl')).toEqual(['h0', 'h1']);
    expect(h.scheduler.lifecycleCounters().maintenance.slaDelayedKills).toBe(0);
  });

  it('a plain drain (the default) stops every task at once, SLA or not', () => {
    const h = new Harness().hosts(...hosts(2));
    // 20 instances with the default production SLA: an SLA-aware drain would wait; a plain one does not.
    h.submit(aJob('www/prod/web').instances(20).cpu(0.1).ramMb(64));
    h.advance(60 * MIN);
    const onH0 = h.hostsOf('www/prod/web').filter((x) => x === 'h0').length;
    expect(onH0).toBeGreaterThan(0);
    h.scheduler.setMaintenance(['h0'], 'DRAINING');
    h.settle();
    expect(h.events.filter((e) => e.state === 'DRAINING')).toHaveLength(onH0);
    h.advance(2000);
    expect(h.scheduler.maintenance('h0')).toBe('DRAINED');
    expect(h.scheduler.lifecycleCounters().maintenance).toEqual({
      hostsDrained: 1,
      slaDelayedKills: 0,
      forcedKills: 0,
    });
  });

  it('an SLA-aware drain waits only for jobs of at least 20 instances (Aurora default)', () => {
    const h = new Harness({ maintenance: { slaCheckIntervalMs: MIN } }).hosts(...hosts(3));
    // Both jobs have a task on h0; only the 20-instance one is SLA-checked (95 %: 19 must stay
    // active for 30 min, and nothing has run that long yet).
    h.submit(aJob('www/prod/small').instances(2).cpu(0.1).ramMb(64).constraint('host', 'limit:1'));
    h.submit(aJob('www/prod/big').instances(20).cpu(0.1).ramMb(64));
    h.advance(5 * MIN);
    const big = h.tasks('www/prod/big').filter((t) => t.host === 'h0').length;
    expect(big).toBeGreaterThan(0);
    h.scheduler.setMaintenance(['h0'], 'DRAINING', 'sla');
    h.settle();
    const drained = h.events.filter((e) => e.state === 'DRAINING');
    expect(drained.map((e) => e.job)).toEqual(['www/prod/small']);
    expect(h.scheduler.maintenance('h0')).toBe('DRAINING');
    expect(h.scheduler.lifecycleCounters().maintenance.slaDelayedKills).toBe(big);
  });

  it('never holds a drain for a preemptible job, even one that states an SLA', () => {
    const h = new Harness({ maintenance: { minRequiredInstances: 1 } }).hosts(...hosts(1));
    h.submit(
      aJob('batch/prod/crunch')
        .tier('preemptible')
        .instances(2)
        .sla({ kind: 'count', count: 2, durationSecs: 60 }),
    );
    h.advance(10 * MIN);
    h.scheduler.setMaintenance(['h0'], 'DRAINING', 'sla');
    h.settle();
    expect(h.events.filter((e) => e.state === 'DRAINING')).toHaveLength(2);
    expect(h.scheduler.lifecycleCounters().maintenance.slaDelayedKills).toBe(0);
  });
});
