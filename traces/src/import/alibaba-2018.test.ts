import { afterAll, describe, expect, it } from 'vitest';
import type { JobSubmitRecord } from '../format/record.js';
import { importAlibaba2018 } from './alibaba-2018.js';
import { readAll, TempDir } from './test-support.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

// cluster-trace-v2018 schema (trace_2018.md).
// machine_meta: machine_id,time_stamp,failure_domain_1,failure_domain_2,cpu_num,mem_size,status
const MACHINES = [
  'm_1,0,1,A,96,100,USING',
  'm_2,0,2,B,96,50,USING',
  'm_2,3600,2,B,96,50,IDLE',
  'm_2,7200,2,B,96,50,USING',
  'm_1,100,1,A,96,100,USING',
  'm_3,0,1,A,,,USING',
].join('\n');
// batch_task: task_name,instance_num,job_name,task_type,status,start_time,end_time,plan_cpu,plan_mem
const BATCH = [
  'M1,10,j_1,1,Terminated,100,160,100,0.5',
  'R2_1,2,j_1,1,Failed,200,230,50,1',
  'task_x,1,j_2,1,Running,300,0,200,2',
  'M1,3,j_3,1,Waiting,0,0,100,1',
  'M1,1,j_4,1,Terminated,400,350,100,1',
  'M1,1,j_5,1,Terminated,500,600,,1',
].join('\n');
// container_meta: container_id,machine_id,time_stamp,app_du,status,cpu_request,cpu_limit,mem_size
const CONTAINERS = [
  'c_1,m_1,50,app_1,started,400,800,3.1',
  'c_1,m_1,60,app_1,started,400,800,3.1',
  'c_2,m_2,40,app_1,started,400,800,3.1',
  'c_3,m_2,70,app_2,started,800,800,6.2',
].join('\n');

describe('alibaba-2018 import', () => {
  it('maps machines, batch tasks and containers', async () => {
    const out = tmp.out('ali.jsonl');
    const s = await importAlibaba2018({
      machines: tmp.file('machine_meta.csv', MACHINES),
      batchTasks: tmp.file('batch_task.csv.gz', BATCH, true),
      containers: tmp.file('container_meta.csv', CONTAINERS),
      out,
      machineRamMb: 100_000,
    });
    expect(s.rowsRead).toBe(6 + 6 + 4);
    expect(s.toJSON().skipped).toEqual({
      'batch task: end before start': 1,
      'batch task: never started': 1,
      'batch task: no cpu request': 1,
      'container: further row of a known container (merged into it)': 1,
      'machine: missing capacity': 1,
      'machine: status unchanged': 1,
    });
    const recs = await readAll(out);
    expect(recs.filter((r) => r.type === 'host_add')).toEqual([
      expect.objectContaining({
        host: 'm_1',
        cpu: 96,
        ramMb: 100_000,
        attributes: { failureDomain1: '1', failureDomain2: 'A' },
      }),
      expect.objectContaining({ host: 'm_2', cpu: 96, ramMb: 50_000 }),
    ]);
    expect(recs).toContainEqual({ t: 3_600_000, type: 'host_down', host: 'm_2' });
    expect(recs).toContainEqual({ t: 7_200_000, type: 'host_up', host: 'm_2' });
    const jobs = new Map(
      recs.filter((r): r is JobSubmitRecord => r.type === 'job_submit').map((j) => [j.job, j]),
    );
    expect(jobs.get('alibaba/batch/j_1.M1')).toMatchObject({
      t: 100_000,
      instances: 10,
      tier: 'preemptible',
      durationMs: 60_000,
      task: { cpu: 1, ramMb: 500 },
    });
    expect(jobs.get('alibaba/batch/j_1.R2_1')).toMatchObject({ outcomes: 'failed', task: { cpu: 0.5 } });
    expect(jobs.get('alibaba/batch/j_2.task_x')).toMatchObject({ kind: 'service', instances: 1 });
    expect(jobs.get('alibaba/online/app_1')).toMatchObject({
      t: 40_000,
      kind: 'service',
      tier: 'preferred',
      instances: 2,
      task: { cpu: 4, ramMb: 3100 },
    });
    expect(jobs.get('alibaba/online/app_2')?.instances).toBe(1);
  });
});
