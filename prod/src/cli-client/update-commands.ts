import { jobConfigToInput, UserError } from '@borealis/core';
import type { Command } from 'commander';
import {
  type CliIo,
  type CommonOptions,
  clientFor,
  common,
  type JobFiles,
  jobFromFile,
  parseInstances,
  parseJobPath,
  positiveInt,
} from './context.js';
import { EXIT } from './exit-codes.js';
import { json, table, time } from './table.js';
import { waitForUpdate } from './wait.js';

interface UpdateView {
  updateId: string;
  job: string;
  operation: string;
  status: string;
  startedAt: number;
  endedAt?: number;
  message?: string;
  done: number;
  total: number;
  instances: { instance: number; op: string; action: string }[];
}

type Opts = CommonOptions & { bind?: string[] };
type WaitOpts = { wait?: boolean; timeout?: number; interval: number };
const collect = (v: string, prev: string[] = []) => [...prev, v];

function printUpdate(io: CliIo, u: UpdateView): void {
  io.out(
    `${u.job}  ${u.operation} ${u.updateId}  ${u.status}  ${u.done}/${u.total}  started ${time(u.startedAt)}${u.endedAt ? `  ended ${time(u.endedAt)}` : ''}\n`,
  );
  if (u.message) io.out(`${u.message}\n`);
  io.out(
    table(
      ['INSTANCE', 'OP', 'PROGRESS'],
      u.instances.map((i) => [i.instance, i.op, i.action]),
    ),
  );
}

function waitOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <secs>', 'give up after this long (exit 8)', positiveInt('--timeout'))
    .option('--interval <secs>', 'seconds between polls', positiveInt('--interval'), 1);
}

export function updateCommands(program: Command, files: JobFiles, io: CliIo): void {
  const update = program
    .command('update')
    .description('rolling updates: start, pause, resume, abort, rollback, list, info, wait');

  waitOptions(common(update.command('start')))
    .description('start a rolling update of a job to a job file')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .argument('<file>', 'job file')
    .option('--bind <key=value>', 'bind a template variable {{key}} (repeatable)', collect)
    .option('--instances <list>', 'only these instances, e.g. 0,2,5-7', parseInstances)
    .option('--wait', 'wait for the update to end, with a progress bar (exit 7 unless it rolls forward)')
    .action(async (jobText: string, file: string, opts: Opts & WaitOpts & { instances?: number[] }) => {
      const path = parseJobPath(jobText);
      const config = await jobFromFile(files, file, path, opts.bind);
      const client = await clientFor(path.cluster, opts, io);
      const u = await client.post<UpdateView>(`${path.url}/update`, {
        job: jobConfigToInput(config),
        ...(opts.instances && { instances: opts.instances }),
      });
      if (!opts.wait)
        return io.out(
          opts.json
            ? json(u)
            : `update ${u.updateId} of ${path.cluster}/${path.label}: ${u.status}, ${u.total} instance(s)\n`,
        );
      const message = await waitForUpdate(client, path, io, {
        interval: opts.interval,
        ...(opts.timeout !== undefined && { timeout: opts.timeout }),
      });
      io.out(opts.json ? json(await client.get(`${path.url}/update`)) : `${message}\n`);
    });

  for (const verb of ['pause', 'resume', 'abort', 'rollback'] as const) {
    const what = {
      pause: 'pause the active update',
      resume: 'resume a paused update',
      abort: 'abort the active update (instances stay as they are)',
      rollback: 'go back to the config before the latest update',
    }[verb];
    common(update.command(verb))
      .description(what)
      .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
      .action(async (jobText: string, opts: Opts) => {
        const path = parseJobPath(jobText);
        const u = await (await clientFor(path.cluster, opts, io)).post<UpdateView>(
          `${path.url}/update/${verb}`,
        );
        io.out(opts.json ? json(u) : `update ${u.updateId} of ${path.cluster}/${path.label}: ${u.status}\n`);
      });
  }

  common(update.command('info'))
    .description("the job's active (else latest) update with per-instance progress")
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .action(async (jobText: string, opts: Opts) => {
      const path = parseJobPath(jobText);
      const u = await (await clientFor(path.cluster, opts, io)).get<UpdateView>(`${path.url}/update`);
      if (opts.json) return io.out(json(u));
      printUpdate(io, u);
    });

  common(update.command('list'))
    .description('recent updates of a cluster, a role or a job')
    .argument('<where>', 'CLUSTER, CLUSTER/ROLE or CLUSTER/ROLE/ENV/NAME')
    .option('--active', 'only updates in progress or paused')
    .action(async (where: string, opts: Opts & { active?: boolean }) => {
      const parts = where.split('/');
      if (parts.length !== 1 && parts.length !== 2 && parts.length !== 4)
        throw new UserError(`"${where}" is not CLUSTER, CLUSTER/ROLE or CLUSTER/ROLE/ENV/NAME`, EXIT.usage);
      const [cluster = ''] = parts;
      const q = new URLSearchParams();
      if (parts.length === 2 && parts[1]) q.set('role', parts[1]);
      if (parts.length === 4) q.set('job', parts.slice(1).join('/'));
      if (opts.active) q.set('active', 'true');
      const list = await (await clientFor(cluster, opts, io)).get<UpdateView[]>(`/api/v1/updates?${q}`);
      if (opts.json) return io.out(json(list));
      io.out(
        table(
          ['JOB', 'UPDATE', 'OPERATION', 'STATUS', 'STARTED', 'ENDED'],
          list.map((u) => [u.job, u.updateId, u.operation, u.status, time(u.startedAt), time(u.endedAt)]),
        ),
      );
    });

  waitOptions(common(update.command('wait')))
    .description("follow the job's update until it ends (exit 0 rolled forward, 7 otherwise, 8 on --timeout)")
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .action(async (jobText: string, opts: Opts & WaitOpts) => {
      const path = parseJobPath(jobText);
      const client = await clientFor(path.cluster, opts, io);
      const message = await waitForUpdate(client, path, io, {
        interval: opts.interval,
        ...(opts.timeout !== undefined && { timeout: opts.timeout }),
      });
      io.out(opts.json ? json(await client.get(`${path.url}/update`)) : `${message}\n`);
    });
}
