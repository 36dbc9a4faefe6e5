import { join } from 'node:path';
import { humanDuration, type Resources, UserError } from '@borealis/core';
import { openTrace } from '@borealis/traces';
import type { Command } from 'commander';
import { isDurationMetric } from '../analysis/metric-names.js';
import { evaluateSlo, type ObjectiveResult, parseSlo } from '../analysis/slo.js';
import { DEFAULT_HOST_SHAPE, hostShapeFlag, integerFlag } from '../options/flags.js';
import { parseRunFlags, type RunFlags } from '../options/run-options.js';
import { type SearchResult, searchCapacity } from '../plan/capacity-search.js';
import { runSimulation } from '../run/run-sim.js';
import { addSimulationOptions } from './run-command.js';
import { formatTable } from './table.js';

interface PlanFlags extends RunFlags {
  readonly slo?: string;
  readonly min?: string;
  readonly max?: string;
  readonly start?: string;
  readonly json?: boolean;
}

export function registerPlan(sim: Command): void {
  addSimulationOptions(
    sim
      .command('plan')
      .description('find the smallest number of hosts that meets service-level objectives')
      .requiredOption(
        '--slo <expr>',
        'objectives, e.g. "delay.p99<=60s,pending.end==0" (combine with , or &&)',
      )
      .option('--policy <name>', 'placement policy')
      .option('--seed <n>', 'random seed (default 1)')
      .option('--min <n>', 'fewest hosts to consider (default 1)')
      .option('--max <n>', 'most hosts to consider (default 100000)')
      .option('--start <n>', "first host count tried (default: the trace's host count)")
      .option('--out <dir>', 'keep each run folder under DIR/hosts-<n>')
      .option('--json', 'print the answer and every run tried as JSON (for scripts)'),
  ).action(async (flags: PlanFlags) => {
    if (flags.hosts !== undefined) {
      throw new UserError(
        '--hosts: sim plan searches the host count itself (bound it with --min, --max, --start)',
        2,
      );
    }
    const slo = parseSlo(flags.slo ?? '');
    if (!slo.ok) throw new UserError(UserError.fromProblems('--slo: bad objective', slo.problems).message, 2);
    const min = flags.min !== undefined ? integerFlag('--min', flags.min, 1) : 1;
    const max = flags.max !== undefined ? integerFlag('--max', flags.max, 1) : 100_000;
    if (max < min) throw new UserError(`--max (${max}) is smaller than --min (${min})`, 2);
    // --hosts is what plan searches over; the shape defaults to the trace's first host.
    const base = parseRunFlags({ ...flags, hosts: undefined, hostShape: undefined, out: undefined });
    const traceHosts = await firstHosts(base.trace);
    const shape =
      flags.hostShape !== undefined
        ? hostShapeFlag('--host-shape', flags.hostShape, traceHosts.shape)
        : (traceHosts.shape ?? DEFAULT_HOST_SHAPE);
    const start =
      flags.start !== undefined
        ? integerFlag('--start', flags.start, 1)
        : Math.max(min, traceHosts.count || 16);
    const objectives = slo.value;
    const search = await searchCapacity(
      async (hosts) => {
        const summary = await runSimulation({
          ...base,
          hosts,
          hostShape: shape,
          eventLog: flags.out !== undefined && base.eventLog,
          ...(flags.out !== undefined ? { out: join(flags.out, `hosts-${hosts}`) } : {}),
        });
        const results = evaluateSlo(objectives, summary);
        const met = results.every((r) => r.met);
        process.stderr.write(`plan: ${hosts} hosts → ${met ? 'meets' : 'misses'} the objectives\n`);
        return { met, result: { results, wallMs: summary.wallMs, pendingReasons: summary.pendingReasons } };
      },
      start,
      min,
      max,
      (a, b) => a.results.every((r, i) => r.actual === b.results[i]?.actual),
    );
    const shapeText = `cpu=${shape.cpu},ramMb=${shape.ramMb},diskMb=${shape.diskMb},gpus=${shape.gpus}`;
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(planJson(flags.slo ?? '', shape, search), null, 2)}\n`);
      if (search.hosts === undefined) process.exitCode = 1;
      return;
    }
    const header = ['hosts', 'met', ...objectives.map((o) => o.text), 'wall'];
    const rows = [...search.trials]
      .sort((a, b) => a.hosts - b.hosts)
      .map((t) => [
        String(t.hosts),
        t.met ? 'yes' : 'no',
        ...t.result.results.map(show),
        humanDuration(t.result.wallMs),
      ]);
    process.stdout.write(`${formatTable(header, rows)}\n\n`);
    if (search.hosts !== undefined) {
      process.stdout.write(`answer: ${search.hosts} hosts of ${shapeText} meet ${flags.slo}\n`);
    } else {
      const last = search.trials[search.trials.length - 1];
      const largest = Math.max(...search.trials.map((t) => t.hosts));
      process.stdout.write(
        search.stalled
          ? `no answer: adding hosts of ${shapeText} changes nothing (tried up to ${largest}); ${flags.slo} is out of reach\n`
          : `no answer: even ${max} hosts of ${shapeText} miss ${flags.slo}\n`,
      );
      const reasons = Object.entries(last?.result.pendingReasons ?? {});
      if (reasons.length > 0) {
        process.stdout.write(
          `pending at the end because: ${reasons.map(([r, n]) => `${r} (${n})`).join(', ')}\n`,
        );
      }
      process.exitCode = 1;
    }
  });
}

/** `sim plan --json`: the answer (null when none), the host shape and every trial with its objectives. */
function planJson(
  slo: string,
  shape: Resources,
  search: SearchResult<{ results: ObjectiveResult[]; pendingReasons: Readonly<Record<string, number>> }>,
) {
  return {
    slo,
    hostShape: shape,
    answer: search.hosts ?? null,
    stalled: search.stalled === true,
    trials: [...search.trials]
      .sort((a, b) => a.hosts - b.hosts)
      .map((t) => ({
        hosts: t.hosts,
        met: t.met,
        objectives: t.result.results.map((r) => ({
          objective: r.objective.text,
          actual: r.actual,
          met: r.met,
        })),
        pendingReasons: t.result.pendingReasons,
      })),
  };
}

function show(r: ObjectiveResult): string {
  const v = isDurationMetric(r.objective.metric) ? humanDuration(r.actual) : String(+r.actual.toFixed(4));
  return `${v}${r.met ? '' : ' ✗'}`;
}

/** The trace's host count and first host shape, read from the records before the first job. */
async function firstHosts(path: string): Promise<{ count: number; shape?: Resources }> {
  const trace = await openTrace(path);
  let count = 0;
  let shape: Resources | undefined;
  for await (const r of trace.records) {
    if (r.type === 'host_add') {
      count++;
      shape ??= { cpu: r.cpu, ramMb: r.ramMb, diskMb: r.diskMb, gpus: r.gpus };
    } else if (r.type === 'job_submit' && count > 0) break;
  }
  return shape ? { count, shape } : { count };
}
