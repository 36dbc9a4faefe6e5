import { join } from 'node:path';
import { type HostSpec, humanDuration, type Resources, UserError } from '@borealis/core';
import type { Command } from 'commander';
import { isDurationMetric } from '../analysis/metric-names.js';
import { evaluateSlo, type ObjectiveResult, parseSlo } from '../analysis/slo.js';
import { DEFAULT_HOST_SHAPE, hostShapeKeys, integerFlag } from '../options/flags.js';
import { parseRunFlags, type RunFlags } from '../options/run-options.js';
import { searchCapacity } from '../plan/capacity-search.js';
import { explainMiss } from '../plan/explain-miss.js';
import { runSimulation } from '../run/run-sim.js';
import { initialHosts } from '../run/trace-hosts.js';
import { addSimulationOptions } from './run-command.js';
import { formatTable } from './table.js';

interface PlanFlags extends RunFlags {
  readonly slo?: string;
  readonly min?: string;
  readonly max?: string;
  readonly start?: string;
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
      .option('--out <dir>', 'keep each run folder under DIR/hosts-<n>'),
  ).action(async (flags: PlanFlags) => {
    if (flags.hosts !== undefined) {
      throw new UserError(
        '--hosts: sim plan searches the host count itself (bound it with --min, --max, --start)',
      );
    }
    const slo = parseSlo(flags.slo ?? '');
    if (!slo.ok) throw UserError.fromProblems('--slo: bad objective', slo.problems);
    const min = flags.min !== undefined ? integerFlag('--min', flags.min, 1) : 1;
    const max = flags.max !== undefined ? integerFlag('--max', flags.max, 1) : 100_000;
    if (max < min) throw new UserError(`--max (${max}) is smaller than --min (${min})`);
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
      const largest = [...search.trials].sort((a, b) => b.hosts - a.hosts)[0];
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
