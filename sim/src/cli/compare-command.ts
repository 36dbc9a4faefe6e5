import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { humanDuration } from '@borealis/core';
import type { Command } from 'commander';
import { COMPARE_METRICS, isDurationMetric } from '../analysis/metric-names.js';
import { type Comparison, compare } from '../compare/compare.js';
import { parseObjective } from '../compare/verdict.js';
import { integerFlag, integerListFlag, listFlag } from '../options/flags.js';
import { parseRunFlags, policyFlag, type RunFlags } from '../options/run-options.js';
import { onInterrupt } from './interrupt.js';
import { writeComparisonReport, writeRunReport } from './report.js';
import { addSimulationOptions } from './run-command.js';
import { StagedFolder } from './staged-folder.js';
import { formatTable } from './table.js';

interface CompareFlags extends RunFlags {
  readonly policies?: string;
  readonly seeds?: string;
  readonly jobs?: string;
  readonly json?: boolean;
  readonly objective?: string;
}

export function registerCompare(sim: Command): void {
  addSimulationOptions(
    sim
      .command('compare')
      .description('run several policies × seeds in parallel and compare them')
      .requiredOption('--policies <a,b,...>', 'placement policies to compare')
      .option('--seeds <1,2,3>', 'seeds (default 1,2,3)')
      .option('--out <dir>', 'output folder (default runs/compare-<trace name>)')
      .option(
        '--objective <metric[:min|max]>',
        'name the winning policy for this metric, e.g. delay.p99 or utilization.cpu:max',
      )
      .option('--jobs <n>', `parallel runs (default: all cores, here ${availableParallelism()})`)
      .option('--json', 'print comparison.json to stdout instead of the table (for scripts)'),
  ).action(async (flags: CompareFlags) => {
    const policies = listFlag('--policies', flags.policies ?? '').map((p) => policyFlag('--policies', p));
    const seeds = flags.seeds !== undefined ? integerListFlag('--seeds', flags.seeds, 0) : [1, 2, 3];
    const jobs = flags.jobs !== undefined ? integerFlag('--jobs', flags.jobs, 1, 256) : undefined;
    const objective =
      flags.objective !== undefined ? parseObjective('--objective', flags.objective) : undefined;
    const traceName = (flags.trace ?? 'trace').replace(/^.*[\\/]/, '').replace(/\.jsonl(\.gz)?$/, '');
    const out = flags.out ?? join('runs', `compare-${traceName}`);
    const { out: _ignored, ...base } = parseRunFlags({ ...flags, out });
    const total = policies.length * seeds.length;
    let done = 0;
    // Written into a staging folder renamed into place at the end (see run-command.ts).
    const folder = StagedFolder.prepare('--out', out);
    const release = onInterrupt(() => folder.discard());
    let result: Comparison;
    let problem: string | undefined;
    try {
      result = await compare({
        base,
        policies,
        seeds,
        out: folder.staging,
        ...(jobs !== undefined ? { jobs } : {}),
        ...(objective !== undefined ? { objective } : {}),
        onRunDone: (policy, seed, s) => {
          done++;
          process.stderr.write(
            `[${done}/${total}] ${policy} seed ${seed}: ${s.events} events in ${humanDuration(s.wallMs)}\n`,
          );
        },
      });
      // Each run folder is a whole run folder, report included; the comparison links to them.
      for (const r of result.runs) {
        const missing = await writeRunReport(join(folder.staging, r.dir), r.dir);
        if (missing !== undefined)
          process.stderr.write(`borealis: ${r.dir}: report.html not written: ${missing}\n`);
      }
      problem = await writeComparisonReport(folder.staging, basename(folder.final));
      folder.commit();
    } catch (err) {
      folder.discard();
      throw err;
    } finally {
      release();
    }
    process.stdout.write(
      flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatComparison(result)}\n`,
    );
    if (result.seedInsensitive.length > 0) {
      process.stderr.write(
        `warning: seeds ${result.seeds.join(', ')} changed nothing for ${result.seedInsensitive.join(', ')}: ` +
          'the seed only drives random choices (ties, sampling), so its ± shows no noise; ' +
          'vary the trace (e.g. trace generate --seed) to measure spread\n',
      );
    }
    // With --json the verdict is in the comparison (stdout stays exactly comparison.json).
    if (result.verdict && !flags.json) process.stdout.write(`\n${result.verdict.text}\n`);
    const flawed = result.runs.filter((r) => r.summary.violations > 0);
    if (flawed.length > 0) {
      for (const r of flawed) {
        process.stderr.write(`borealis: ${r.dir}: the audit found ${r.summary.violations} violations\n`);
      }
      process.exitCode = 3;
    }
    if (flags.json) {
      if (problem !== undefined) process.stderr.write(`borealis: report.html not written: ${problem}\n`);
      return;
    }
    process.stdout.write(
      problem === undefined
        ? `\nreport: ${join(out, 'report.html')}\n`
        : `\ncomparison: ${join(out, 'comparison.json')} (report.html not written: ${problem})\n`,
    );
  });
}

export function formatComparison(c: Comparison): string {
  const header = ['policy', ...COMPARE_METRICS];
  const rows = c.aggregate.map((a) => [
    a.policy,
    ...COMPARE_METRICS.map((m) => {
      const s = a.metrics[m]!;
      const show = (v: number): string =>
        isDurationMetric(m)
          ? humanDuration(v)
          : m.startsWith('utilization')
            ? `${(v * 100).toFixed(1)}%`
            : `${+v.toFixed(1)}`;
      return c.seeds.length > 1 ? `${show(s.mean)} ±${show(s.stdev)}` : show(s.mean);
    }),
  ]);
  return `${c.policies.length} policies × ${c.seeds.length} seeds (mean ± stdev across seeds)\n${formatTable(header, rows)}`;
}
