import { join } from 'node:path';
import { type HostSpec, humanDuration, type Resources, UserError } from '@borealis/core';
import type { Command } from 'commander';
import { isDurationMetric } from '../analysis/metric-names.js';
import { evaluateSlo, type ObjectiveResult, parseSlo } from '../analysis/slo.js';
import { DEFAULT_HOST_SHAPE, hostShapeKeys, integerFlag } from '../options/flags.js';
import { parseRunFlags, type RunFlags } from '../options/run-options.js';
import { type SearchResult, searchCapacity } from '../plan/capacity-search.js';
import { explainMiss, type PlanTrial } from '../plan/explain-miss.js';
import { runSimulation } from '../run/run-sim.js';
import { initialHosts } from '../run/trace-hosts.js';
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
    // --hosts is what plan searches over: the trace's starting hosts scaled (their mix of kinds and
    // attributes kept), with the resources --host-shape names when given.
    const base = parseRunFlags({ ...flags, hosts: undefined, hostShape: undefined, out: undefined });
    const templates = await initialHosts(base.trace);
    const shape: Partial<Resources> | undefined =
      flags.hostShape !== undefined
        ? hostShapeKeys('--host-shape', flags.hostShape)
        : templates.length === 0
          ? DEFAULT_HOST_SHAPE
          : undefined;
    const start =
      flags.start !== undefined
        ? integerFlag('--start', flags.start, 1)
        : Math.max(min, templates.length || 16);
    const objectives = slo.value;
    const search = await searchCapacity(
      async (hosts) => {
        const summary = await runSimulation({
          ...base,
          hosts,
          ...(shape !== undefined ? { hostShape: shape } : {}),
          eventLog: flags.out !== undefined && base.eventLog,
          ...(flags.out !== undefined ? { out: join(flags.out, `hosts-${hosts}`) } : {}),
        });
        const results = evaluateSlo(objectives, summary);
        const met = results.every((r) => r.met);
        process.stderr.write(`plan: ${hosts} hosts → ${met ? 'meets' : 'misses'} the objectives\n`);
        return {
          met,
          result: {
            results,
            wallMs: summary.wallMs,
            pendingAtEnd: summary.tasks.pendingAtEnd,
            pendingReasons: summary.pendingReasons,
          },
        };
      },
      start,
      min,
      max,
      (a, b) => a.results.every((r, i) => r.actual === b.results[i]?.actual),
    );
    const shapeText = describeHosts(templates, shape);
    const largest = [...search.trials].sort((a, b) => b.hosts - a.hosts)[0];
    if (flags.json) {
      const explanation =
        search.hosts === undefined && largest
          ? explainMiss(largest.hosts, largest.result, search.stalled === true)
              .split('\n')
              .filter(Boolean)
          : [];
      process.stdout.write(
        `${JSON.stringify(planJson(flags.slo ?? '', shape, shapeText, search, explanation), null, 2)}\n`,
      );
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
      process.stdout.write(
        search.stalled
          ? `no answer: adding hosts of ${shapeText} changes nothing (tried up to ${largest?.hosts}); ${flags.slo} is out of reach\n`
          : `no answer: even ${max} hosts of ${shapeText} miss ${flags.slo}\n`,
      );
      if (largest)
        process.stdout.write(`${explainMiss(largest.hosts, largest.result, search.stalled === true)}\n`);
      process.exitCode = 1;
    }
  });
}

/**
 * `sim plan --json`: the answer (null when none) with the same explanation lines the table gets
 * when there is none, the hosts added (`hostShape`: the resources --host-shape names, null when
 * they are the trace's own kinds) and every trial with its objectives.
 */
function planJson(
  slo: string,
  shape: Partial<Resources> | undefined,
  hostsText: string,
  search: SearchResult<PlanTrial & { results: ObjectiveResult[] }>,
  explanation: readonly string[],
) {
  return {
    slo,
    hostShape: shape ?? null,
    hostsAdded: hostsText,
    answer: search.hosts ?? null,
    stalled: search.stalled === true,
    explanation,
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
        pendingAtEnd: t.result.pendingAtEnd,
        pendingReasons: t.result.pendingReasons,
      })),
  };
}

function show(r: ObjectiveResult): string {
  const v = isDurationMetric(r.objective.metric) ? humanDuration(r.actual) : String(+r.actual.toFixed(4));
  return `${v}${r.met ? '' : ' ✗'}`;
}

/** What the hosts plan adds are, for its answer. */
function describeHosts(templates: readonly HostSpec[], shape: Partial<Resources> | undefined): string {
  const keys = [...new Set(templates.flatMap((t) => Object.keys(t.attributes)))];
  const mix =
    templates.length > 0
      ? ` in the mix of the trace's ${templates.length} hosts${keys.length > 0 ? ` (attributes ${keys.join(', ')} kept)` : ''}`
      : '';
  if (shape === undefined) return `the trace's kinds${mix}`;
  const named = Object.entries(shape).map(([k, v]) => `${k}=${v}`);
  return `${named.join(',')}${mix}`;
}
