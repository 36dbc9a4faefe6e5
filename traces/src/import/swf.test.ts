import { afterAll, describe, expect, it } from 'vitest';
import type { JobSubmitRecord } from '../format/record.js';
import { computeTraceStats } from '../stats/trace-stats.js';
import { importSwf } from './swf.js';
import { haveShared, readAll, sharedTrace, skipNote, TempDir } from './test-support.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

// Standard Workload Format v2.2 (Chapin et al. / Parallel Workloads Archive): 18 fields, -1 unknown.
const LOG = `; Version: 2.2
; MaxNodes: 4
; MaxProcs: 8
; Queue: 0 interactive
; Queue: 1 batch
    1     0   5   100   2  -1  -1   2  200  1024  1  7  1  -1  1  -1  -1  -1
    2    10  -1    50  -1  -1  -1   6   -1    -1  0  7  1  -1  0   2  -1  -1
    3    20  -1    -1   4  -1  -1   4   -1    -1  1  8  1  -1  1  -1  -1  -1
    4    30  -1    10  -1  -1  -1  -1   -1    -1  1  8  1  -1  1  -1  -1  -1
    5    40  -1    10  16  -1  -1  16   -1    -1  1  8  1  -1  1  -1  -1  -1
    6    50  -1    70   1  -1 512  -1   -1    -1  5  -1 1  -1 -1  -1  -1  -1
    7    60  -1    x
`;

describe('swf import', () => {
  it('builds hosts from the header and jobs from each line', async () => {
    const out = tmp.out('swf.jsonl');
    const s = await importSwf({ file: tmp.file('log.swf.gz', LOG, true), out, hostRamMb: 2048 });
    expect(s.rowsRead).toBe(7);
    expect(s.skippedTotal).toBe(4);
    expect(s.skippedBy('unknown run time')).toBe(1);
    expect(s.skippedBy('no processor count')).toBe(1);
    expect(s.skippedBy('wider than the machine')).toBe(1);
    expect(s.skippedBy('malformed line (expected 18 numeric fields)')).toBe(1);
    const recs = await readAll(out);
    const hosts = recs.filter((r) => r.type === 'host_add');
    expect(hosts).toHaveLength(4);
    expect(hosts[0]).toMatchObject({ host: 'n000', cpu: 2, ramMb: 2048 });
    const jobs = recs.filter((r): r is JobSubmitRecord => r.type === 'job_submit');
    expect(jobs.map((j) => j.job)).toEqual(['u7/batch/j1', 'u7/interactive/j2', 'unknown/batch/j6']);
    // 2 requested procs on 2-cpu nodes: one instance; 1 KB/proc × 1024 → 2 MB.
    expect(jobs[0]).toMatchObject({ t: 0, instances: 1, durationMs: 100_000, task: { cpu: 2, ramMb: 2 } });
    // 6 procs → 3 nodes of 2, one per node, failed (status 0), partition kept.
    expect(jobs[1]).toMatchObject({
      t: 10_000,
      instances: 3,
      constraints: { host: 'limit:1' },
      outcomes: 'failed',
    });
    expect(jobs[1]!.task.cpu).toBe(2);
    expect((jobs[1] as unknown as { swf: { partition: number } }).swf.partition).toBe(2);
    // Allocated procs when requested is unknown; used memory when requested is unknown; cancelled → killed.
    expect(jobs[2]).toMatchObject({ instances: 1, task: { cpu: 1, ramMb: 1 }, outcomes: 'killed' });
  });
});

const NASA = 'swf/NASA-iPSC-1993-3.1-cln.swf.gz';
describe.skipIf(!haveShared(NASA))(`swf import of the NASA iPSC/860 log${skipNote(NASA)}`, () => {
  it('imports 128 one-cpu hosts and all 18,239 jobs', async () => {
    const out = tmp.out('nasa.jsonl.gz');
    const s = await importSwf({ file: sharedTrace(NASA), out });
    expect(s.rowsRead).toBe(18239);
    expect(s.skippedTotal).toBe(0);
    const stats = await computeTraceStats(out);
    expect(stats.hosts.added).toBe(128);
    expect(stats.hosts.capacity.cpu).toBe(128);
    expect(stats.jobs.total).toBe(18239);
    const jobs = (await readAll(out)).filter((r): r is JobSubmitRecord => r.type === 'job_submit');
    // Σ processors and Σ processors × run time over the log (awk over fields 5/8 and 4).
    expect(jobs.reduce((a, j) => a + j.task.cpu * j.instances, 0)).toBe(309953);
    expect(jobs.reduce((a, j) => a + j.task.cpu * j.instances * (j.durationMs as number), 0)).toBe(
      474238015 * 1000,
    );
    expect(stats.tasks.total).toBe(309953);
  });
});
