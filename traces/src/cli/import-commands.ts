/**
 * `borealis trace import FORMAT … -o OUT`: one subcommand per source format. Each prints the
 * import summary (rows read, records written, `skipped: N` and the count per reason), and exits
 * 1 with the reason when the import wrote nothing or skipped most rows. Input files are checked
 * against their expected columns before anything is written (see import/input-check.ts).
 */
import { UserError } from '@borealis/core';
import type { Command } from 'commander';
import { importAlibaba2017 } from '../import/alibaba-2017.js';
import { importAlibaba2018 } from '../import/alibaba-2018.js';
import { importAlibabaGpu2023 } from '../import/alibaba-gpu-2023.js';
import { importGoogle2011 } from '../import/google-2011.js';
import type { ImportSummary } from '../import/import-summary.js';
import { importSwf } from '../import/swf.js';
import { positiveInt, positiveNumber } from './flag-parsers.js';

async function report(out: string, run: Promise<ImportSummary>): Promise<void> {
  const started = performance.now();
  const summary = await run;
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(`${out}: imported in ${secs} s\n${summary.format()}\n`);
  const failure = summary.failure();
  if (failure !== undefined) throw new UserError(`${out}: import failed: ${failure}`);
}

export function registerImportCommands(trace: Command): void {
  const imp = trace.command('import').description('Convert a public trace into trace format v1');

  imp
    .command('google-2011')
    .description('Google clusterdata-2011-2 task_events + machine_events (files or folders of part-*.csv.gz)')
    .requiredOption('--task-events <path>', 'task_events file or folder')
    .requiredOption('--machine-events <path>', 'machine_events file or folder')
    .option(
      '--machine-cpu <n>',
      'cores of a machine with normalized CPU 1.0',
      positiveNumber('--machine-cpu'),
      32,
    )
    .option(
      '--machine-ram-mb <n>',
      'RAM of a machine with normalized memory 1.0',
      positiveNumber('--machine-ram-mb'),
      131072,
    )
    .option(
      '--machine-disk-mb <n>',
      'disk of a machine (normalized disk 1.0)',
      positiveNumber('--machine-disk-mb'),
      1048576,
    )
    .requiredOption('-o, --out <file>', 'output trace (.jsonl or .jsonl.gz)')
    .action(
      async (o: {
        taskEvents: string;
        machineEvents: string;
        machineCpu: number;
        machineRamMb: number;
        machineDiskMb: number;
        out: string;
      }) => {
        await report(o.out, importGoogle2011(o));
      },
    );

  imp
    .command('alibaba-2018')
    .description('Alibaba cluster-trace-v2018 machine_meta, batch_task and (optionally) container_meta')
    .requiredOption('--machines <file>', 'machine_meta.csv(.gz)')
    .requiredOption('--batch-tasks <file>', 'batch_task.csv(.gz)')
    .option('--containers <file>', 'container_meta.csv(.gz): containers run as services')
    .option(
      '--machine-ram-mb <n>',
      'RAM of a machine with mem_size 100',
      positiveNumber('--machine-ram-mb'),
      98304,
    )
    .requiredOption('-o, --out <file>', 'output trace (.jsonl or .jsonl.gz)')
    .action(
      async (o: {
        machines: string;
        batchTasks: string;
        containers?: string;
        machineRamMb: number;
        out: string;
      }) => {
        await report(o.out, importAlibaba2018(o));
      },
    );

  imp
    .command('alibaba-2017')
    .description(
      'Alibaba cluster-trace-v2017 batch_task (task_create_time,task_end_time,job_id,task_id,' +
        'number_of_instances,status,plan_cpu,plan_mem; no header) and optionally server_event',
    )
    .requiredOption('--batch-tasks <file>', 'batch_task.csv(.gz)')
    .option('--server-events <file>', 'server_event.csv(.gz): machines added, failing, removed')
    .option('--hosts <n>', 'without --server-events: machines added at t=0', positiveInt('--hosts'))
    .option('--machine-cpu <n>', 'cores per machine (default 64)', positiveNumber('--machine-cpu'), 64)
    .option(
      '--machine-ram-mb <n>',
      'RAM of a machine with normalized memory 1.0',
      positiveNumber('--machine-ram-mb'),
      98304,
    )
    .requiredOption('-o, --out <file>', 'output trace (.jsonl or .jsonl.gz)')
    .action(
      async (o: {
        batchTasks: string;
        serverEvents?: string;
        hosts?: number;
        machineCpu: number;
        machineRamMb: number;
        out: string;
      }) => {
        if (o.serverEvents === undefined && o.hosts === undefined)
          throw new UserError(
            'alibaba-2017: give --server-events FILE or --hosts N (the machines to run on)',
            2,
          );
        await report(o.out, importAlibaba2017(o));
      },
    );

  imp
    .command('alibaba-gpu-2023')
    .description('Alibaba cluster-trace-gpu-v2023 (openb) node list and pod list')
    .requiredOption('--nodes <file>', 'openb_node_list*.csv')
    .requiredOption('--pods <file>', 'openb_pod_list*.csv')
    .option(
      '--host-disk-mb <n>',
      'disk per host (the node list has none)',
      positiveNumber('--host-disk-mb'),
      1048576,
    )
    .requiredOption('-o, --out <file>', 'output trace (.jsonl or .jsonl.gz)')
    .action(async (o: { nodes: string; pods: string; hostDiskMb: number; out: string }) => {
      await report(o.out, importAlibabaGpu2023(o));
    });

  imp
    .command('swf')
    .description('Standard Workload Format log (.swf or .swf.gz) from the Parallel Workloads Archive')
    .argument('<file>', 'the SWF log')
    .option(
      '--host-ram-mb <n>',
      'RAM per host (SWF does not record it)',
      positiveNumber('--host-ram-mb'),
      4096,
    )
    .option('--hosts <n>', 'host count when the header has no MaxNodes/MaxProcs', positiveInt('--hosts'))
    .requiredOption('-o, --out <file>', 'output trace (.jsonl or .jsonl.gz)')
    .action(async (file: string, o: { hostRamMb: number; hosts?: number; out: string }) => {
      await report(o.out, importSwf({ file, ...o }));
    });
}
