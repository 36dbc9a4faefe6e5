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
import { waitForRunning } from './wait.js';

interface Instance {
  instance: number;
  taskId: string;
  state: string;
  host?: string;
  ports?: Record<string, number>;
  healthy?: boolean;
  failures?: number;
}
interface Status {
  job: string;
  kind?: string;
  config?: { instances: number };
  instances: Instance[];
  tasks: {
    taskId: string;
    instance: number;
    state: string;
    host?: string;
    events: { time: number; state: string }[];
  }[];
  update?: { status: string; done: number; total: number };
  pending: { instances: number[]; message: string }[];
  cron?: { schedule?: string; nextFire: number };
}

type Opts = CommonOptions & { bind?: string[] };
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function jobCommands(program: Command, files: JobFiles, io: CliIo): void {
  const job = program
    .command('job')
    .description('jobs on a cluster: create, status, list, kill, restart, add, diff, inspect');

  common(job.command('create'))
    .description('create a job from a job file (TS/JS/JSON/YAML)')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .argument('<file>', 'job file')
    .option('--bind <key=value>', 'bind a template variable {{key}} (repeatable)', collect)
    .option('--wait', 'wait until every instance is RUNNING, with a progress bar')
    .option('--timeout <secs>', 'with --wait: give up after this long (exit 8)', positiveInt('--timeout'))
    .option('--interval <secs>', 'with --wait: seconds between polls', positiveInt('--interval'), 1)
    .action(
      async (
        jobText: string,
        file: string,
        opts: Opts & { wait?: boolean; timeout?: number; interval: number },
      ) => {
        const path = parseJobPath(jobText);
        const config = await jobFromFile(files, file, path, opts.bind);
        const client = await clientFor(path.cluster, opts, io);
        const r = await client.post<{ created: boolean; taskIds: string[] }>(
          path.url,
          jobConfigToInput(config),
        );
        if (opts.json && !opts.wait) return io.out(json(r));
        if (!opts.json)
          io.out(
            `${r.created ? 'created' : 'already created'} ${path.cluster}/${path.label}: ${r.taskIds.length} task(s)\n`,
          );
        if (opts.wait) {
          const message = await waitForRunning(client, path, io, {
            interval: opts.interval,
            ...(opts.timeout !== undefined && { timeout: opts.timeout }),
          });
          io.out(opts.json ? json({ ...r, running: true }) : `${message}\n`);
        }
      },
    );

  common(job.command('status'))
    .description('every instance of a job with its state and host, the update, pending reasons')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .action(async (jobText: string, opts: Opts) => {
      const path = parseJobPath(jobText);
      const s = await (await clientFor(path.cluster, opts, io)).get<Status>(path.url);
      if (opts.json) return io.out(json(s));
      io.out(
        `${path.cluster}/${s.job}  ${s.kind ?? ''}  ${s.instances.length}/${s.config?.instances ?? '?'} live\n`,
      );
      io.out(
        table(
          ['INSTANCE', 'TASK', 'STATE', 'HOST', 'PORTS', 'HEALTHY', 'FAILURES'],
          s.instances.map((i) => [
            i.instance,
            i.taskId,
            i.state,
            i.host,
            Object.entries(i.ports ?? {})
              .map(([name, port]) => `${name}=${port}`)
              .join(','),
            i.healthy ? 'yes' : 'no',
            i.failures,
          ]),
        ),
      );
      const ended = s.tasks.filter((t) => !s.instances.some((i) => i.taskId === t.taskId)).slice(0, 10);
      if (ended.length > 0) {
        io.out('recent ended tasks:\n');
        io.out(
          table(
            ['INSTANCE', 'TASK', 'STATE', 'HOST', 'SINCE'],
            ended.map((t) => [t.instance, t.taskId, t.state, t.host, time(t.events.at(-1)?.time)]),
          ),
        );
      }
      if (s.update) io.out(`update: ${s.update.status} ${s.update.done}/${s.update.total}\n`);
      for (const p of s.pending) io.out(`pending instances ${p.instances.join(',')}: ${p.message}\n`);
      if (s.cron) io.out(`cron "${s.cron.schedule ?? ''}", next ${time(s.cron.nextFire)}\n`);
    });

  common(job.command('list'))
    .description('jobs of a cluster, or of one role')
    .argument('<where>', 'CLUSTER or CLUSTER/ROLE')
    .action(async (where: string, opts: Opts) => {
      const [cluster = '', role] = where.split('/');
      if (where.split('/').length > 2 || cluster === '')
        throw new UserError(`"${where}" is not CLUSTER or CLUSTER/ROLE`, EXIT.usage);
      const client = await clientFor(cluster, opts, io);
      const jobs = await client.get<
        {
          job: string;
          kind: string;
          instances: number;
          active: number;
          states: Record<string, number>;
          update?: string;
        }[]
      >(`/api/v1/jobs${role ? `?role=${encodeURIComponent(role)}` : ''}`);
      if (opts.json) return io.out(json(jobs));
      io.out(
        table(
          ['JOB', 'KIND', 'INSTANCES', 'LIVE', 'STATES', 'UPDATE'],
          jobs.map((j) => [
            j.job,
            j.kind,
            j.instances,
            j.active,
            Object.entries(j.states)
              .map(([s, n]) => `${s}:${n}`)
              .join(' '),
            j.update,
          ]),
        ),
      );
    });

  common(job.command('kill'))
    .description('kill some instances of a job')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .requiredOption('--instances <list>', 'instances, e.g. 0,2,5-7', parseInstances)
    .action(async (jobText: string, opts: Opts & { instances: number[] }) => {
      const path = parseJobPath(jobText);
      const r = await (await clientFor(path.cluster, opts, io)).post<{ killed: number }>(`${path.url}/kill`, {
        instances: opts.instances,
      });
      io.out(opts.json ? json(r) : `killed ${r.killed} instance(s) of ${path.cluster}/${path.label}\n`);
    });

  common(job.command('killall'))
    .description('kill every instance of a job')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .action(async (jobText: string, opts: Opts) => {
      const path = parseJobPath(jobText);
      const r = await (await clientFor(path.cluster, opts, io)).post<{ killed: number }>(
        `${path.url}/killall`,
      );
      io.out(opts.json ? json(r) : `killed ${r.killed} instance(s) of ${path.cluster}/${path.label}\n`);
    });

  common(job.command('restart'))
    .description('rolling restart of a job (all or some instances)')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .option('--instances <list>', 'instances, e.g. 0,2,5-7', parseInstances)
    .option('--batch-size <n>', 'instances restarted at a time', positiveInt('--batch-size'))
    .option(
      '--watch-secs <n>',
      'seconds an instance must be healthy before the next batch',
      positiveInt('--watch-secs'),
    )
    .action(
      async (
        jobText: string,
        opts: Opts & { instances?: number[]; batchSize?: number; watchSecs?: number },
      ) => {
        const path = parseJobPath(jobText);
        const body = {
          ...(opts.instances && { instances: opts.instances }),
          ...(opts.batchSize !== undefined && { batchSize: opts.batchSize }),
          ...(opts.watchSecs !== undefined && { watchSecs: opts.watchSecs }),
        };
        const r = await (await clientFor(path.cluster, opts, io)).post<{ updateId: string; total: number }>(
          `${path.url}/restart`,
          body,
        );
        io.out(
          opts.json
            ? json(r)
            : `restarting ${r.total} instance(s) of ${path.cluster}/${path.label} (${r.updateId}); follow with: borealis update wait ${jobText}\n`,
        );
      },
    );

  common(job.command('add'))
    .description("add instances with the job's current config")
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .argument('<count>', 'instances to add', positiveInt('count'))
    .action(async (jobText: string, count: number, opts: Opts) => {
      const path = parseJobPath(jobText);
      const r = await (await clientFor(path.cluster, opts, io)).post<{ taskIds: string[] }>(
        `${path.url}/add`,
        { count },
      );
      io.out(
        opts.json ? json(r) : `added ${r.taskIds.length} instance(s) to ${path.cluster}/${path.label}\n`,
      );
    });

  common(job.command('diff'))
    .description("what a job file would change in the job's current config")
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .argument('<file>', 'job file')
    .option('--bind <key=value>', 'bind a template variable {{key}} (repeatable)', collect)
    .action(async (jobText: string, file: string, opts: Opts) => {
      const path = parseJobPath(jobText);
      const config = await jobFromFile(files, file, path, opts.bind);
      const d = await (await clientFor(path.cluster, opts, io)).post<{
        changes: { path: string; from?: unknown; to?: unknown }[];
        instances: { add: number[]; remove: number[]; update: number[] };
      }>(`${path.url}/diff`, jobConfigToInput(config));
      if (opts.json) return io.out(json(d));
      if (d.changes.length === 0) return io.out('no changes\n');
      for (const c of d.changes) io.out(`${c.path}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}\n`);
      const list = (xs: number[]) => (xs.length ? xs.join(',') : 'none');
      io.out(
        `instances added: ${list(d.instances.add)}; removed: ${list(d.instances.remove)}; replaced: ${list(d.instances.update)}\n`,
      );
    });

  job
    .command('inspect')
    .description('print the normalized job a file defines, as `job create` would send it')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .argument('<file>', 'job file')
    .option('--bind <key=value>', 'bind a template variable {{key}} (repeatable)', collect)
    .action(async (jobText: string, file: string, opts: { bind?: string[] }) => {
      const path = parseJobPath(jobText);
      io.out(json(jobConfigToInput(await jobFromFile(files, file, path, opts.bind))));
    });
}
