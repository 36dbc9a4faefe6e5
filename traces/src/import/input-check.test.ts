import { UserError } from '@borealis/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importAlibaba2018 } from './alibaba-2018.js';
import { importAlibabaGpu2023 } from './alibaba-gpu-2023.js';
import { importGoogle2011 } from './google-2011.js';
import { checkInputs } from './input-check.js';
import { readAll, TempDir } from './test-support.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

const NODES = 'sn,cpu_milli,memory_mib,gpu,model\nn0,32000,262144,0,\n';
const PODS =
  'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n' +
  'p0,1000,1024,0,0,,LS,Succeeded,0,10,1\n';

/** The UserError an import rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('importer input checks', () => {
  it('names the expected header columns when a header is wrong, before writing anything', async () => {
    const out = tmp.out('bad-header.jsonl');
    const err = await rejection(
      importAlibabaGpu2023({
        nodes: tmp.file('n.csv', 'host,cores,mem\nn0,32,1\n'),
        pods: tmp.file('p.csv', PODS),
        out,
      }),
    );
    expect(err.message).toContain('--nodes');
    expect(err.message).toContain('sn,cpu_milli,memory_mib,gpu');
    expect(err.message).toContain('line 1 has 3 columns: host,cores,mem');
    expect(err.exitCode).toBe(1);
  });

  it('detects swapped files and names both flags (a usage error, exit 2)', async () => {
    const err = await rejection(
      importAlibabaGpu2023({
        nodes: tmp.file('pods-as-nodes.csv', PODS),
        pods: tmp.file('nodes-as-pods.csv', NODES),
        out: tmp.out('swapped.jsonl'),
      }),
    );
    expect(err.message).toMatch(/did you swap --nodes and --pods\?/);
    expect(err.exitCode).toBe(2);

    const google = await rejection(
      importGoogle2011({
        taskEvents: tmp.file('m.csv', '0,5,0,101,1,0.5\n'),
        machineEvents: tmp.file('t.csv', '0,,3,0,,0,u,1,9,0.1,0.1,0,0\n'),
        out: tmp.out('g.jsonl'),
        machineCpu: 32,
        machineRamMb: 1024,
        machineDiskMb: 1024,
      }),
    );
    expect(google.message).toMatch(/did you swap --task-events and --machine-events\?/);
  });

  it('checks the column count of headerless formats and names every column', async () => {
    const err = await rejection(
      importAlibaba2018({
        machines: tmp.file('mm.csv', 'm_1,0,1,2,96,100,USING\n'),
        batchTasks: tmp.file('bt.csv', 'a;b;c\n'),
        out: tmp.out('a.jsonl'),
      }),
    );
    expect(err.message).toContain('--batch-tasks');
    expect(err.message).toContain(
      '9 comma-separated columns without a header: task_name,instance_num,job_name,task_type,status,start_time,end_time,plan_cpu,plan_mem',
    );
  });

  it('an empty file is named as such', async () => {
    const err = await rejection(
      checkInputs([
        { flag: '--x', path: tmp.file('empty.csv', '\n'), what: 'x list', columns: ['a'], header: true },
      ]),
    );
    expect(err.message).toBe(
      `--x ${tmp.path}/empty.csv: the file is empty; expected a x list with a header line with the columns a`,
    );
  });

  it('a headerless file that starts with its column names has them skipped', async () => {
    const [checked] = await checkInputs([
      {
        flag: '--x',
        path: tmp.file('named.csv', 'A,B\n1,2\n'),
        what: 'x',
        columns: ['a', 'b'],
        header: false,
      },
    ]);
    expect(checked?.hasHeader).toBe(true);
  });

  it('pod lists without time columns import: every pod at t=0, running to the end', async () => {
    const out = tmp.out('untimed.jsonl');
    const s = await importAlibabaGpu2023({
      nodes: tmp.file('n2.csv', NODES),
      pods: tmp.file(
        'p2.csv',
        'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos\np0,1000,1024,1,500,T4,BE\np1,2000,2048,0,0,,LS\n',
      ),
      out,
    });
    expect(s.skippedTotal).toBe(0);
    const jobs = (await readAll(out)).filter((r) => r.type === 'job_submit');
    expect(jobs.map((j) => [j.t, j.kind, 'durationMs' in j ? j.durationMs : undefined])).toEqual([
      [0, 'service', undefined],
      [0, 'service', undefined],
    ]);
  });
});
