import { basename, join } from 'node:path';
import { DEFAULT_MAX_INSTANCES } from '@borealis/core';
import type { Command } from 'commander';
import { parseRunFlags, type RunFlags } from '../options/run-options.js';
import { RESTART_LOOP_EXITS } from '../run/restart-loops.js';
import { runSimulation } from '../run/run-sim.js';
import { OPEN_END_HORIZON_MS } from '../run/simulation.js';
import { onInterrupt } from './interrupt.js';
import { progressReporter } from './progress.js';
import { writeRunReport } from './report.js';
import { StagedFolder } from './staged-folder.js';
import { formatSummary } from './summary-table.js';

/** Options shared by run, compare and plan: everything that shapes one simulation. */
export function addSimulationOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--trace <file>', 'trace file (format v1, .jsonl or .jsonl.gz)')
    .option(
      '--hosts <n>',
      "replace the trace's hosts by N: its starting hosts scaled to N, keeping their mix of kinds " +
        'and attributes (zone, platform, rack); a trace without hosts gets N of --host-shape in racks of 40',
    )
    .option(
      '--host-shape <shape>',
      'with --hosts: every host gets these resources, e.g. cpu=32,ramMb=131072,diskMb=1048576,gpus=0',
    )
    .option('--sample-interval <duration>', 'metrics sample interval (default 60s)')
    .option(
      '--until <duration>',
      'stop at this simulated time (90m, 36h, 2d or ms). Without it a run ends once the trace is ' +
        'exhausted and no finite work is left: running services, instances that ended on their own ' +
        `${RESTART_LOOP_EXITS} times in a row and come back for ever, and tasks that can never be placed ` +
        `do not keep it going (at most ${OPEN_END_HORIZON_MS / 86_400_000} days after the last record). ` +
        'Cron jobs need it',
    )
    .option(
      '--load-scale <x>',
      'scale job arrivals: >1 adds jittered copies, <1 samples jobs (seeded); services running at t=0 stay as they are',
    )
    .option('--load-scale-standing', 'let --load-scale also copy or sample the services submitted at t=0')
    .option('--load-jitter <duration>', 'arrival spread of --load-scale copies (default 60s)')
    .option('--audit', 'check capacity, ports, constraints and lifecycle legality as the run goes')
    .option('--queue-order <order>', 'pending queue order: fifo, priority or drf')
    .option('--no-preemption', 'never preempt')
    .option('--preemption-delay <duration>', 'how long a task waits before it may preempt')
    .option('--launch-latency <d1,d2>', 'ASSIGNED→STARTING and STARTING→RUNNING latencies (default 1s,2s)')
    .option('--kill-latency <duration>', 'kill → KILLED latency (default 1s)')
    .option('--offers [interval,hold,refuse]', 'simulate the Mesos offer cycle (default 1s,5m,5s)')
    .option(
      '--max-instances <n>',
      `per-job instance limit (default ${DEFAULT_MAX_INSTANCES}, as Aurora); larger jobs are rejected and listed`,
    )
    .option(
      '--fail <spec>',
      'take hosts down at a time: SELECTOR@START[+DURATION], e.g. rack=r03@2h+1h, zone=a@90m, ' +
        'host=h0001@30m (no +DURATION: down for the rest of the run); repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--no-event-log', 'do not write events.jsonl (very large runs)');
}

export function registerRun(sim: Command): void {
  addSimulationOptions(
    sim
      .command('run')
      .description('replay a trace through the scheduling core and write a run folder')
      .option('--policy <name>', 'placement policy (see `borealis policies`)')
      .option('--seed <n>', 'random seed (default 1)')
      .option('--out <dir>', 'run output folder (default runs/<trace name>)')
      .option('--json', 'print summary.json to stdout instead of the table (for scripts)'),
  ).action(async (flags: RunFlags & { json?: boolean }) => {
    const defaultOut = join(
      'runs',
      (flags.trace ?? 'run').replace(/^.*[\\/]/, '').replace(/\.jsonl(\.gz)?$/, ''),
    );
    const { json, ...runFlags } = flags;
    const options = parseRunFlags({ ...runFlags, out: flags.out ?? defaultOut });
    const out = options.out!;
    // The run writes into a hidden staging folder renamed into place at the end: an interrupted
    // run leaves nothing that looks complete, and the previous run there stays whole until then.
    const folder = StagedFolder.prepare('--out', out);
    const progress = progressReporter('sim');
    const release = onInterrupt(() => {
      progress.stop();
      folder.discard();
    });
    let summary: Awaited<ReturnType<typeof runSimulation>>;
    const notices: string[] = [];
    let problem: string | undefined;
    try {
      try {
        summary = await runSimulation(
          { ...options, out: folder.staging },
          {
            onProgress: (p) => progress.update(p),
            onNotice: (message) => notices.push(message),
          },
        );
      } finally {
        progress.stop();
      }
      problem = await writeRunReport(folder.staging, basename(folder.final));
      folder.commit();
    } catch (err) {
      folder.discard();
      throw err;
    } finally {
      release();
    }
    for (const n of notices) process.stderr.write(`note: ${n}\n`);
    if (json) {
      // Exactly summary.json; where the report is goes to stderr.
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      if (problem !== undefined) process.stderr.write(`borealis: report.html not written: ${problem}\n`);
    } else {
      process.stdout.write(`${formatSummary(summary)}\n`);
      if (problem === undefined) process.stdout.write(`\nreport: ${join(out, 'report.html')}\n`);
      else process.stdout.write(`\nrun folder: ${out} (report.html not written: ${problem})\n`);
    }
    if (options.audit && summary.violations > 0) {
      process.stderr.write(`borealis: the audit found ${summary.violations} violations:\n`);
      for (const v of summary.violationSamples.slice(0, 10)) process.stderr.write(`  ${v}\n`);
      process.exitCode = 3;
    }
  });
}
