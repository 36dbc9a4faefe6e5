import { describe, expect, it } from 'vitest';
import { aHost, aJob } from './builders.js';
import { Harness } from './harness.js';

const hosts = (n: number, cpu = 8, ramMb = 16384) =>
  Array.from({ length: n }, (_, i) =>
    aHost(`h${i}`)
      .cpu(cpu)
      .ramMb(ramMb)
      .rack(`r${i % 2}`),
  );

describe('scheduler scenarios', () => {
  it('fills a cluster and leaves the rest pending with counted reasons', () => {
    const h = new Harness().hosts(...hosts(4, 4, 8192));
    h.submit(aJob('batch/prod/fill').instances(20).cpu(1).ramMb(1024));
    expect(h.running('batch/prod/fill')).toHaveLength(16);
    expect(h.inState('batch/prod/fill', 'PENDING')).toHaveLength(4);
    const [pending] = h.scheduler.pendingReasons();
    expect(pending?.instances).toHaveLength(4);
    expect(pending?.message).toBe('insufficient cpu on 4 hosts');
    expect(h.scheduler.pendingReasonTotals()).toEqual({ 'insufficient cpu': 4 });
    h.assertNoOvercommit();
    expect(h.scheduler.capacity()).toEqual({ cpu: 16, ramMb: 32768, diskMb: 4 * 65536, gpus: 0 });
    expect(h.scheduler.allocatedByTier().preferred.cpu).toBe(16);
  });

  it('spreads a limit:1 job one per host and explains why the rest wait', () => {
    const h = new Harness().hosts(...hosts(3));
    h.submit(aJob('www/prod/web').instances(5).constraint('host', 'limit:1'));
    expect(new Set(h.hostsOf('www/prod/web')).size).toBe(3);
    expect(h.inState('www/prod/web', 'PENDING')).toHaveLength(2);
    expect(h.scheduler.pendingReasons()[0]?.message).toMatch(/limit:1 on host on 3 hosts/);
    const pendingId = h.inState('www/prod/web', 'PENDING')[0]!.taskId;
    expect(h.scheduler.explain(pendingId)?.message).toMatch(/limit:1 on host/);
    const runningId = h.running('www/prod/web')[0]!.taskId;
    expect(h.scheduler.explain(runningId)?.host).toBe(h.running('www/prod/web')[0]!.host);
  });

  it('keeps dedicated hosts for their jobs and sends dedicated jobs only there', () => {
    const h = new Harness().hosts(aHost('shared'), aHost('ded').dedicated('db/mysql'));
    h.submit(aJob('www/prod/web').instances(8).cpu(1));
    expect(h.hostsOf('www/prod/web').every((x) => x === 'shared')).toBe(true);
    h.submit(aJob('db/prod/mysql').instances(2).cpu(1).dedicated('db/mysql'));
    expect(h.hostsOf('db/prod/mysql')).toEqual(['ded', 'ded']);
  });

  it('drains a host: its tasks move elsewhere and it ends DRAINED', () => {
    // Without SLA awareness (maintenance/ tests the SLA-aware drain): everything stops at once.
    const h = new Harness({ maintenance: { slaAware: false } }).hosts(...hosts(2));
    h.submit(aJob('www/prod/web').instances(2).constraint('host', 'limit:1'));
    h.scheduler.setMaintenance(['h0'], 'DRAINING');
    h.settle();
    expect(h.scheduler.maintenance('h0')).toBe('DRAINED');
    expect(h.allocated('h0').cpu).toBe(0);
    // limit:1 and one usable host: one instance runs on h1, the other waits.
    expect(h.running('www/prod/web').map((t) => t.host)).toEqual(['h1']);
    expect(h.events.some((e) => e.state === 'DRAINING' && e.host === 'h0')).toBe(true);
    h.scheduler.setMaintenance(['h0'], 'NONE');
    h.advance(2000);
    expect(h.hostsOf('www/prod/web')).toEqual(['h0', 'h1']);
  });

  it('lets a production job preempt batch work after the delay, and the victims come back', () => {
    const h = new Harness({ preemption: { delayMs: 60_000 } }).hosts(...hosts(2, 4, 8192));
    h.submit(aJob('batch/devel/etl').batch().instances(8).cpu(1).ramMb(1024).maxTaskFailures(-1));
    expect(h.running('batch/devel/etl')).toHaveLength(8);
    h.submit(aJob('www/prod/web').instances(2).cpu(2).ramMb(2048));
    expect(h.inState('www/prod/web', 'PENDING')).toHaveLength(2);
    h.advance(59_000);
    expect(h.preemptions).toHaveLength(0);
    h.advance(2_000);
    expect(h.running('www/prod/web')).toHaveLength(2);
    expect(h.preemptions.length).toBeGreaterThan(0);
    const victims = h.preemptions.flatMap((p) => p.victims);
    expect(victims.every((v) => v.job === 'batch/devel/etl' && v.tier === 'preemptible')).toBe(true);
    expect(victims).toHaveLength(4);
    // Victims came back as new PENDING tasks of the same instances.
    expect(h.tasks('batch/devel/etl')).toHaveLength(8);
    expect(h.inState('batch/devel/etl', 'PENDING')).toHaveLength(4);
    const kills = h.effects.filter((e) => e.kind === 'kill');
    expect(
      kills.every((k) => k.kind === 'kill' && k.reason === 'preempted' && k.preemptor !== undefined),
    ).toBe(true);
    h.assertNoOvercommit();
  });

  it('holds preempted room for the preemptor while the victims are dying', () => {
    const h = new Harness({ preemption: { delayMs: 0 }, autoRun: false }).hosts(
      aHost('h0').cpu(2).ramMb(2048),
    );
    h.submit(aJob('batch/devel/etl').batch().instances(2).cpu(1).ramMb(1024));
    h.applyPending();
    h.submit(aJob('www/prod/web').cpu(1).ramMb(1024));
    h.advance(1000);
    expect(h.preemptions).toHaveLength(1);
    // The victim's kill is not carried out yet; a newcomer must not take the promised room.
    h.submit(aJob('www/prod/other').cpu(1).ramMb(1024).priority(-1));
    h.advance(1000);
    expect(h.inState('www/prod/other', 'ASSIGNED')).toHaveLength(0);
    h.applyPending(); // the victim dies; the preemptor is assigned at once and launched
    expect(h.tasks('www/prod/web')[0]?.state).toBe('ASSIGNED');
    h.applyPending();
    expect(h.tasks('www/prod/web')[0]?.state).toBe('RUNNING');
    expect(h.tasks('www/prod/web')[0]?.host).toBe('h0');
  });

  it("keeps a dying victim's room out of reach while newcomers keep arriving on a full cluster", () => {
    // Kills take time: each victim stays on its host, holding its resources, until completeKills.
    const h = new Harness({ preemption: { delayMs: 0 }, holdKills: true }).hosts(
      aHost('h0').cpu(4).ramMb(8192),
      aHost('h1').cpu(4).ramMb(8192),
    );
    // Fill both hosts: a 3-cpu batch task and a 1-cpu one on each.
    h.submit(aJob('batch/devel/big').batch().instances(2).cpu(3).ramMb(1024).constraint('host', 'limit:1'));
    h.submit(aJob('batch/devel/small').batch().instances(2).cpu(1).ramMb(1024));
    expect(h.running('batch/devel/big')).toHaveLength(2);
    expect(h.running('batch/devel/small')).toHaveLength(2);
    // A 2-cpu production task preempts a 3-cpu victim (the one that covers its need alone): once the
    // kill completes 1 cpu will be left over, but until then the victim holds all 3.
    h.submit(aJob('www/prod/web').cpu(2).ramMb(1024));
    h.advance(1000);
    expect(h.preemptions).toHaveLength(1);
    const [record] = h.preemptions;
    expect(record?.victims.map((v) => v.job)).toEqual(['batch/devel/big']);
    expect(h.pendingEffects).toHaveLength(1);
    h.assertTasksFit();
    // More work arrives while the kill is in flight (batch work of the victims' role and priority, which
    // cannot preempt); it must wait, not squeeze into the victim's room.
    h.submit(aJob('batch/devel/late').batch().instances(2).cpu(1).ramMb(512));
    h.advance(5000);
    h.assertTasksFit();
    expect(h.hostsOf('batch/devel/late')).toEqual([]);
    expect(h.tasks('www/prod/web')[0]?.state).toBe('PENDING');
    // The kill completes: the preemptor takes its 2 cpu and the leftover cpu goes to a newcomer.
    h.completeKills();
    h.advance(60_000);
    h.assertTasksFit();
    expect(h.running('www/prod/web')[0]?.host).toBe(record?.host);
    expect(h.hostsOf('batch/devel/late')).toEqual([record?.host]);
    expect(h.inState('batch/devel/late', 'PENDING')).toHaveLength(1);
    expect(h.preemptions).toHaveLength(1);
    h.assertNoOvercommit();
  });

  it('rejects a production job over quota, naming the request and what is left', () => {
    const h = new Harness().hosts(...hosts(4));
    h.scheduler.setQuota('www', { cpu: 10, ramMb: 20480, diskMb: 1e6, gpus: 0 });
    h.submit(aJob('www/prod/a').instances(3).cpu(2).ramMb(4096));
    const r = h.trySubmit(aJob('www/prod/b').instances(4).cpu(2).ramMb(2048));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]?.message).toBe(
        'quota exceeded for role www: job www/prod/b needs cpu 8, ramMb 8192, diskMb 4096; ' +
          'role has cpu 4, ramMb 8192, diskMb 996928 of cpu 10, ramMb 20480, diskMb 1000000 left',
      );
    }
    // Preemptible work does not consume quota.
    expect(h.trySubmit(aJob('www/devel/batch').batch().instances(4).cpu(2)).ok).toBe(true);
    h.kill('www/prod/a');
    expect(h.scheduler.quota('www').consumed.cpu).toBe(0);
    expect(h.trySubmit(aJob('www/prod/b').instances(4).cpu(2).ramMb(2048)).ok).toBe(true);
  });

  it('exempts dedicated production jobs from quota (Aurora charges only prod on shared hosts)', () => {
    const h = new Harness({ quotasMandatory: true }).hosts(...hosts(2), aHost('ded').dedicated('www/db'));
    h.scheduler.setQuota('www', { cpu: 2, ramMb: 4096, diskMb: 1e6, gpus: 0 });
    // Over the role's quota, but on hosts set aside for it: accepted, placed there, not charged.
    h.submit(aJob('www/prod/db').instances(3).cpu(1).ramMb(1024).dedicated('www/db'));
    expect(h.hostsOf('www/prod/db')).toEqual(['ded', 'ded', 'ded']);
    expect(h.scheduler.quota('www').consumed.cpu).toBe(0);
    // The shared-pool production job still is checked and charged.
    h.submit(aJob('www/prod/web').instances(2).cpu(1).ramMb(1024));
    expect(h.scheduler.quota('www').consumed.cpu).toBe(2);
    expect(h.trySubmit(aJob('www/prod/more').cpu(1)).ok).toBe(false);
    // And a role without any quota may still run dedicated production work when quotas are mandatory.
    h.hosts(aHost('ded2').dedicated('ops/tools'));
    expect(h.trySubmit(aJob('ops/prod/tool').dedicated('ops/tools')).ok).toBe(true);
  });

  it('rejects at submit a dedicated constraint naming another role, as Aurora does', () => {
    const h = new Harness().hosts(aHost('ded').dedicated('db/mysql'));
    const r = h.trySubmit(aJob('www/prod/web').dedicated('db/mysql'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]?.message).toBe(
        'job www/prod/web: only db may use hosts dedicated for that role ("db/mysql"); the job\'s role is www',
      );
    }
    expect(h.trySubmit(aJob('www/prod/shared').dedicated('*/mysql')).ok).toBe(true);
    expect(h.trySubmit(aJob('db/prod/mysql').dedicated('db/mysql')).ok).toBe(true);
  });

  it('requires quota for production work when quotas are mandatory', () => {
    const h = new Harness({ quotasMandatory: true }).hosts(...hosts(1));
    expect(h.trySubmit(aJob('www/prod/web')).ok).toBe(false);
    expect(h.trySubmit(aJob('www/devel/etl').batch()).ok).toBe(true);
  });

  it('loses the tasks of a failed host and reschedules them elsewhere', () => {
    const h = new Harness().hosts(...hosts(2));
    h.submit(aJob('www/prod/web').instances(2).constraint('host', 'limit:1'));
    h.scheduler.hostDown('h0');
    h.settle();
    expect(h.events.filter((e) => e.state === 'LOST')).toHaveLength(1);
    expect(h.inState('www/prod/web', 'PENDING')).toHaveLength(1);
    h.scheduler.hostUp('h0');
    h.advance(2000);
    expect(h.running('www/prod/web')).toHaveLength(2);
    expect(h.scheduler.taskCounts().LOST).toBe(1);
  });

  it('throttles a flapping service and brings it back after the penalty', () => {
    const h = new Harness().hosts(...hosts(1));
    const [id] = h.submit(aJob('www/prod/crashy'));
    h.report(id!, 'FAILED', 'exit 1');
    const [next] = h.tasks('www/prod/crashy');
    expect(next?.state).toBe('THROTTLED');
    h.advance(30_000);
    expect(h.running('www/prod/crashy')).toHaveLength(1);
  });

  it('places in offer mode only on offered hosts', () => {
    const h = new Harness({ offerMode: true }).hosts(...hosts(2));
    h.submit(aJob('www/prod/web').instances(2).cpu(1));
    expect(h.running('www/prod/web')).toHaveLength(0);
    h.scheduler.offer('h1');
    h.advance(1000);
    expect(h.hostsOf('www/prod/web')).toEqual(['h1', 'h1']);
  });
});
