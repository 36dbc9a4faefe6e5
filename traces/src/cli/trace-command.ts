/**
 * `borealis trace …`: validate, stats, generate and import. Registered by cli/src/commands.ts.
 * Flags are parsed here and handed to the library functions; user mistakes become UserErrors.
 */
import { DEFAULT_MAX_INSTANCES, UserError } from '@borealis/core';
import type { Command } from 'commander';
import { formatTraceProblem } from '../format/line-parser.js';
import { generateTrace } from '../generate/generate-trace.js';
import { PRESET_NAMES, PRESETS } from '../generate/presets.js';
import { validateTrace } from '../io/reader.js';
import { formatStats } from '../stats/format-stats.js';
import { computeTraceStats } from '../stats/trace-stats.js';
import { positiveDuration, positiveInt, positiveNumber } from './flag-parsers.js';
import { registerImportCommands } from './import-commands.js';

/** Same shape as cli's CommandModule (declared here to keep traces free of a dependency on cli). */
export type TraceCommandModule = (program: Command) => void;

function shareFlag(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !(n >= 0 && n < 1))
      throw new UserError(`${flag} must be a number from 0 to below 1, got "${v}"`, 2);
    return n;
  };
}

export const traceCommand: TraceCommandModule = (program) => {
  const trace = program.command('trace').description('workload traces: validate, inspect, generate, import');

  trace
    .command('validate')
    .description(
      'Check a trace file line by line; lists every problem (up to --limit) and exits 1 if any. ' +
        'Jobs over the per-job instance limit are flagged (sim run rejects them unless --max-instances)',
    )
    .argument('<file>', 'trace file (.jsonl or .jsonl.gz)')
    .option('--limit <n>', 'problems to list before only counting', positiveInt('--limit'), 50)
    .option(
      '--max-instances <n>',
      'the per-job instance limit to check against',
      positiveInt('--max-instances'),
      DEFAULT_MAX_INSTANCES,
    )
    .action(async (file: string, opts: { limit: number; maxInstances: number }) => {
      const over: { line: number; job: string; instances: number }[] = [];
      let overTasks = 0;
      const report = await validateTrace(file, opts.limit, (r, line) => {
        if ((r.type === 'job_submit' || r.type === 'job_update') && r.instances > opts.maxInstances) {
          over.push({ line, job: r.job, instances: r.instances });
          overTasks += r.instances;
        }
      });
      for (const p of report.problems) process.stderr.write(`${file}: ${formatTraceProblem(p)}\n`);
      if (report.problemCount > report.problems.length) {
        process.stderr.write(`… and ${report.problemCount - report.problems.length} more problems\n`);
      }
      for (const o of over.slice(0, opts.limit)) {
        process.stderr.write(
          `${file}: line ${o.line}: warning: job "${o.job}" has ${o.instances} instances, over the limit of ${opts.maxInstances}\n`,
        );
      }
      if (over.length > opts.limit)
        process.stderr.write(`… and ${over.length - opts.limit} more jobs over the limit\n`);
      if (over.length > 0) {
        const most = Math.max(...over.map((o) => o.instances));
        process.stderr.write(
          `${file}: ${over.length} job(s) with ${overTasks} tasks are over the instance limit of ${opts.maxInstances}: ` +
            `sim run rejects them unless run with --max-instances ${most}\n`,
        );
      }
      if (report.problemCount > 0) {
        throw new UserError(`${file}: ${report.problemCount} problem(s) in ${report.lines} lines`);
      }
      process.stdout.write(
        `${file}: ok, ${report.records} records in ${report.lines} lines` +
          (over.length > 0 ? ` (${over.length} job(s) over the instance limit, see above)` : '') +
          '\n',
      );
    });

  trace
    .command('stats')
    .description(
      'Summarize a trace: hosts and capacity, jobs and tasks by kind and tier, span, demand vs capacity',
    )
    .argument('<file>', 'trace file (.jsonl or .jsonl.gz)')
    .option('--json', 'print JSON instead of text')
    .option(
      '--bucket-minutes <n>',
      'width of the demand-over-time buckets',
      positiveInt('--bucket-minutes'),
      60,
    )
    .action(async (file: string, opts: { json?: boolean; bucketMinutes: number }) => {
      const stats = await computeTraceStats(file, opts.bucketMinutes * 60_000);
      process.stdout.write(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : `${formatStats(stats)}\n`);
    });

  trace
    .command('generate')
    .description(`Generate a seeded synthetic trace (presets: ${PRESET_NAMES.join(', ')})`)
    .requiredOption('--preset <name>', 'workload preset')
    .requiredOption('--hosts <n>', 'number of hosts', positiveInt('--hosts'))
    .requiredOption('--days <d>', 'simulated days (fractions allowed)', positiveNumber('--days'))
    .option('--seed <s>', 'random seed', '1')
    .option(
      '--load <x>',
      "multiply the preset's batch and service arrival rates",
      positiveNumber('--load'),
      1,
    )
    .option(
      '--service-share <x>',
      "share of cluster CPU the services running at t=0 request, 0 to <1 (default: the preset's)",
      shareFlag('--service-share'),
    )
    .option(
      '--max-duration <d>',
      'cap every batch task run time (e.g. 2h, 90m, or milliseconds)',
      positiveDuration('--max-duration'),
    )
    .option('--name <name>', 'trace name for the header')
    .requiredOption('-o, --out <file>', 'output file (.jsonl or .jsonl.gz)')
    .action(
      async (opts: {
        preset: string;
        hosts: number;
        days: number;
        seed: string;
        load: number;
        maxDuration?: number;
        serviceShare?: number;
        name?: string;
        out: string;
      }) => {
        const preset = PRESETS[opts.preset];
        if (!preset)
          throw new UserError(`unknown preset "${opts.preset}" (known: ${PRESET_NAMES.join(', ')})`, 2);
        const started = performance.now();
        const s = await generateTrace(
          {
            preset,
            hosts: opts.hosts,
            days: opts.days,
            seed: opts.seed,
            loadFactor: opts.load,
            ...(opts.maxDuration !== undefined ? { maxDurationMs: opts.maxDuration } : {}),
            ...(opts.serviceShare !== undefined ? { serviceShare: opts.serviceShare } : {}),
          },
          opts.out,
          opts.name,
        );
        const secs = ((performance.now() - started) / 1000).toFixed(2);
        process.stdout.write(
          `${opts.out}: ${s.records} records, ${s.hosts} hosts, ${s.jobs} jobs, ${s.tasks} tasks (${secs} s)\n`,
        );
      },
    );

  registerImportCommands(trace);
};
