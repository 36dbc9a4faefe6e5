import {
  DEFAULT_MAX_INSTANCES,
  formatJobKey,
  formatProblems,
  jobConfigToInput,
  parseJobKey,
  UserError,
} from '@borealis/core';
import type { Command } from 'commander';
import { collect, parseBindings } from './bindings.js';
import { type FileProblem, formatFileProblem, type LoadedFile, type LoadedJob, loadJobFile } from './load.js';

/** `borealis config validate|inspect`: job configuration files. */
export function configCommands(program: Command): void {
  const config = program
    .command('config')
    .description('job configuration files (TypeScript, JavaScript, JSON, YAML): validate and inspect');

  config
    .command('validate')
    .description('check job files; prints one line per valid job, or every problem (exit 1)')
    .argument('<files...>', 'job files (.ts .mts .js .mjs .json .yaml .yml)')
    .option('--bind <key=value>', 'bind a template variable {{key}} (repeatable)', collect)
    .option('--max-instances <n>', 'instances allowed per job', positiveInt, DEFAULT_MAX_INSTANCES)
    .action(async (files: string[], opts: { bind?: string[]; maxInstances: number }) => {
      const bindings = parseBindings(opts.bind ?? []);
      const loaded: LoadedFile[] = [];
      for (const file of files)
        loaded.push(await loadJobFile(file, { bindings, maxInstances: opts.maxInstances }));
      for (const f of loaded) for (const job of f.jobs) process.stdout.write(`${summaryLine(job)}\n`);
      reportProblems(loaded.flatMap((f) => f.problems));
    });

  config
    .command('inspect')
    .description('print the fully normalized job(s) of a file as JSON (itself a valid job file)')
    .argument('<file>', 'job file')
    .option('--job <key>', 'only this job: role/environment/name or cluster/role/environment/name')
    .option('--bind <key=value>', 'bind a template variable {{key}} (repeatable)', collect)
    .option('--max-instances <n>', 'instances allowed per job', positiveInt, DEFAULT_MAX_INSTANCES)
    .action(async (file: string, opts: { job?: string; bind?: string[]; maxInstances: number }) => {
      const bindings = parseBindings(opts.bind ?? []);
      const loaded = await loadJobFile(file, { bindings, maxInstances: opts.maxInstances });
      reportProblems(loaded.problems);
      const jobs = opts.job === undefined ? loaded.jobs : [selectJob(loaded, opts.job)];
      const printed = jobs.map((j) => jobConfigToInput(j.config));
      process.stdout.write(`${JSON.stringify(printed.length === 1 ? printed[0] : printed, null, 2)}\n`);
    });
}

function summaryLine(job: LoadedJob): string {
  const { kind, instances, cron } = job.config;
  const count = `${instances} instance${instances === 1 ? '' : 's'}`;
  return ['ok', job.label, kind, count, ...(cron ? [`cron "${cron.schedule}"`] : [])].join('  ');
}

function reportProblems(problems: readonly FileProblem[]): void {
  if (problems.length === 0) return;
  for (const p of problems) process.stderr.write(`${formatFileProblem(p)}\n`);
  const files = new Set(problems.map((p) => p.file)).size;
  throw new UserError(
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`,
  );
}

function selectJob(loaded: LoadedFile, text: string): LoadedJob {
  const key = parseJobKey(text, '--job');
  if (!key.ok) throw new UserError(formatProblems(key.problems), 2);
  const wanted = key.value;
  const matches = loaded.jobs.filter(
    (j) =>
      formatJobKey(j.config.key) === formatJobKey(wanted) &&
      (wanted.cluster === undefined || j.config.key.cluster === wanted.cluster),
  );
  if (matches.length === 1) return matches[0]!;
  const known = loaded.jobs.map((j) => j.label).join(', ') || 'none';
  if (matches.length === 0)
    throw new UserError(`--job: no job "${text}" in ${loaded.file} (it defines: ${known})`);
  throw new UserError(
    `--job: "${text}" matches jobs in several clusters in ${loaded.file}; name the cluster (${known})`,
  );
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`--max-instances: "${text}" is not a whole number ≥ 1`, 2);
  return n;
}
