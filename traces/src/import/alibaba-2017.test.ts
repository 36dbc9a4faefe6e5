import { UserError } from '@borealis/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostAddRecord, JobSubmitRecord } from '../format/record.js';
import { importAlibaba2017 } from './alibaba-2017.js';
import { readAll, TempDir } from './test-support.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

// Columns as published in alibaba/clusterdata trace_201708.md (no header):
// task_create_time,task_end_time,job_id,task_id,number_of_instances,status,plan_cpu,plan_mem
const TASKS = `11000,11600,1,10,4,Terminated,50,0.01
11010,11100,1,11,2,Failed,100,0.02
11020,11030,2,20,1,Cancelled,200,0.5
11030,,3,30,3,Running,100,0.1
11040,,3,31,1,Waiting,100,0.1
11050,11040,4,40,1,Terminated,100,0.1
11060,11070,4,41,0,Terminated,100,0.1
11070,11080,4,42,1,Terminated,,0.1
11080,11090,1,10,1,Terminated,100,0.1
11090,11095,5,50,1,Lost,100,0.1
11100,11105,5
`;
const SERVERS = `0,1,add,,64,0.69,1
0,2,add,,64,1,1
5000,1,softerror,disk,64,0.69,1
6000,1,add,,64,0.69,1
7000,2,remove,,64,1,1
8000,2,harderror,,64,1,1
`;

describe('alibaba-2017 import', () => {
  it('accounts for every batch_task row: one job or one counted skip each', async () => {
    const out = tmp.out('ali17.jsonl');
    const s = await importAlibaba2017({
      batchTasks: tmp.file('batch_task.csv', TASKS),
      serverEvents: tmp.file('server_event.csv', SERVERS),
      out,
    });
    const recs = await readAll(out);
    const jobs = recs.filter((r): r is JobSubmitRecord => r.type === 'job_submit');
    const taskRows = TASKS.trim().split('\n').length;
    const serverRows = SERVERS.trim().split('\n').length;
    expect(s.rowsRead).toBe(taskRows + serverRows);
    expect(s.toJSON().skipped).toEqual({
      'batch task: duplicate (job_id, task_id)': 1,
      'batch task: end before create': 1,
      'batch task: malformed row (expected 8 columns)': 1,
      'batch task: no cpu request': 1,
      'batch task: no instances': 1,
      'batch task: unknown status "Lost"': 1,
      'server event: harderror of a machine not up': 1,
    });
    const taskSkips = s.skippedTotal - 1;
    expect(jobs.length + taskSkips).toBe(taskRows);
    expect(s.recordsWritten).toBe(recs.length);

    const byName = new Map(jobs.map((j) => [j.job, j]));
    expect(byName.get('alibaba/batch/j1.t10')).toMatchObject({
      t: 11_000_000,
      kind: 'adhoc',
      instances: 4,
      tier: 'preemptible',
      durationMs: 600_000,
      task: { cpu: 0.5, ramMb: 983 },
    });
    expect(byName.get('alibaba/batch/j1.t10')?.outcomes).toBeUndefined();
    expect(byName.get('alibaba/batch/j1.t11')).toMatchObject({ outcomes: 'failed', durationMs: 90_000 });
    expect(byName.get('alibaba/batch/j2.t20')).toMatchObject({ outcomes: 'killed', task: { cpu: 2 } });
    expect(byName.get('alibaba/batch/j3.t30')).toMatchObject({ kind: 'service', instances: 3 });
    expect(byName.get('alibaba/batch/j3.t31')?.kind).toBe('service');

    const hosts = recs.filter((r): r is HostAddRecord => r.type === 'host_add');
    expect(hosts.map((h) => [h.host, h.cpu, h.ramMb])).toEqual([
      ['m1', 64, 67830],
      ['m2', 64, 98304],
    ]);
    expect(recs.filter((r) => r.type.startsWith('host_') && r.type !== 'host_add')).toEqual([
      { t: 5_000_000, type: 'host_down', host: 'm1' },
      { t: 6_000_000, type: 'host_up', host: 'm1' },
      { t: 7_000_000, type: 'host_remove', host: 'm2' },
    ]);
  });

  it('without server events adds --hosts machines at t=0', async () => {
    const out = tmp.out('ali17-hosts.jsonl');
    await importAlibaba2017({ batchTasks: tmp.file('bt2.csv', TASKS), hosts: 3, machineCpu: 96, out });
    const hosts = (await readAll(out)).filter((r): r is HostAddRecord => r.type === 'host_add');
    expect(hosts.map((h) => [h.t, h.host, h.cpu])).toEqual([
      [0, 'm00001', 96],
      [0, 'm00002', 96],
      [0, 'm00003', 96],
    ]);
  });

  it('rejects a 2018 batch_task (9 columns) naming the 2017 columns', async () => {
    const err = await importAlibaba2017({
      batchTasks: tmp.file('bt2018.csv', 'M1,1,j_1,1,Terminated,157213,157292,100,0.3\n'),
      hosts: 1,
      out: tmp.out('no.jsonl'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(
      '8 comma-separated columns without a header: task_create_time,task_end_time,job_id,task_id,number_of_instances,status,plan_cpu,plan_mem',
    );
  });
});
