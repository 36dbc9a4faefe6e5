import { jobConfigToInput } from '@borealis/core';
import type { Command } from 'commander';
import {
  type CliIo,
  type CommonOptions,
  clientFor,
  common,
  type JobFiles,
  jobFromFile,
  parseJobPath,
  positiveInt,
} from './context.js';
import { json, time } from './table.js';

type Opts = CommonOptions & { bind?: string[] };
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function cronCommands(program: Command, files: JobFiles, io: CliIo): void {
  const cron = program.command('cron').description('cron jobs: schedule, deschedule, show');

  common(cron.command('schedule'))
    .description('schedule a cron job from a job file, or replace its schedule and config')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .argument('<file>', 'job file')
    .option('--bind <key=value>', 'bind a template variable {{key}} (repeatable)', collect)
    .action(async (jobText: string, file: string, opts: Opts) => {
      const path = parseJobPath(jobText);
      const config = await jobFromFile(files, file, path, opts.bind);
      const r = await (await clientFor(path.cluster, opts, io)).put<{ schedule: string; nextFire?: number }>(
        `${path.url}/cron`,
        jobConfigToInput(config),
      );
      io.out(
        opts.json
          ? json(r)
          : `scheduled ${path.cluster}/${path.label} "${r.schedule}", next ${time(r.nextFire)}\n`,
      );
    });

  common(cron.command('deschedule'))
    .description('deschedule a cron job (its running instances are killed)')
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .action(async (jobText: string, opts: Opts) => {
      const path = parseJobPath(jobText);
      const r = await (await clientFor(path.cluster, opts, io)).delete(`${path.url}/cron`);
      io.out(opts.json ? json(r) : `descheduled ${path.cluster}/${path.label}\n`);
    });

  common(cron.command('show'))
    .description("a cron job's schedule and next fire times (UTC)")
    .argument('<job>', 'CLUSTER/ROLE/ENV/NAME')
    .option('--count <n>', 'fire times to show', positiveInt('--count'), 5)
    .action(async (jobText: string, opts: Opts & { count: number }) => {
      const path = parseJobPath(jobText);
      const r = await (await clientFor(path.cluster, opts, io)).get<{
        schedule?: string;
        nextFires: number[];
      }>(`${path.url}/cron?count=${opts.count}`);
      if (opts.json) return io.out(json(r));
      io.out(
        `${path.cluster}/${path.label} "${r.schedule ?? '?'}"\n${r.nextFires.map((t) => `  ${time(t)}\n`).join('')}`,
      );
    });
}
