/**
 * Alibaba cluster-trace-gpu-v2023 ("openb", Weng et al., USENIX ATC 2023) → trace v1.
 *
 * nodes: sn,cpu_milli,memory_mib,gpu,model           → host_add at t=0, `gpuModel` attribute
 * pods:  name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,
 *        creation_time,deletion_time,scheduled_time (seconds)
 *   creation_time → job_submit (one job per pod, one instance)
 *   scheduled → deletion → durationMs; pod_phase Succeeded → finished, Failed → failed,
 *                          Running (still running when deleted) → killed
 *   Pending (never scheduled) → submitted, then job_kill at deletion_time
 *   gpus = num_gpu × gpu_milli / 1000 (a shared GPU stays fractional, e.g. 0.46)
 *   gpu_spec "A|B" → constraint gpuModel: "A,B"
 *   qos LS / Guaranteed → preferred, Burstable → preemptible, BE → revocable
 * Columns are found by the header's names. Pod lists published without the time columns
 * (creation_time, deletion_time, scheduled_time) import too: every pod arrives at t=0 and runs
 * until the end of the run (a service), as the FGD simulator replays them.
 */
import type { Tier } from '@borealis/core';
import type { JobSubmitRecord, Outcome } from '../format/record.js';
import { csvRows, identifier, num } from './csv-rows.js';
import { ImportSummary } from './import-summary.js';
import { checkInputs, type InputSpec } from './input-check.js';
import { SortedOutput } from './sorted-output.js';

export interface AlibabaGpu2023Options {
  readonly nodes: string;
  readonly pods: string;
  readonly out: string;
  /** The node list has no disk; hosts get this much (default 1 TiB). */
  readonly hostDiskMb?: number;
}

const QOS_TIER: Readonly<Record<string, Tier>> = {
  LS: 'preferred',
  Guaranteed: 'preferred',
  Burstable: 'preemptible',
  BE: 'revocable',
};
const PHASE_OUTCOME: Readonly<Record<string, Outcome>> = {
  Succeeded: 'finished',
  Failed: 'failed',
  Running: 'killed',
};

export const NODE_COLUMNS = ['sn', 'cpu_milli', 'memory_mib', 'gpu'] as const;
export const POD_COLUMNS = ['name', 'cpu_milli', 'memory_mib', 'num_gpu', 'gpu_milli'] as const;
const POD_OPTIONAL = ['gpu_spec', 'qos', 'pod_phase', 'creation_time', 'deletion_time', 'scheduled_time'];
const TIME_COLUMNS = ['creation_time', 'deletion_time', 'scheduled_time'];

/** The two inputs' column specs (exported for the command's --help and the swap check). */
export function alibabaGpu2023Inputs(nodes: string, pods: string): InputSpec[] {
  return [
    {
      flag: '--nodes',
      path: nodes,
      what: 'openb node list',
      columns: NODE_COLUMNS,
      optional: ['model'],
      header: true,
    },
    {
      flag: '--pods',
      path: pods,
      what: 'openb pod list',
      columns: POD_COLUMNS,
      optional: POD_OPTIONAL,
      header: true,
    },
  ];
}

/** A row's field by column name ('' when the column is absent or the row is short). */
const field =
  (index: ReadonlyMap<string, number>, fields: readonly string[]) =>
  (name: string): string => {
    const i = index.get(name);
    return i === undefined ? '' : (fields[i] ?? '');
  };

export async function importAlibabaGpu2023(opts: AlibabaGpu2023Options): Promise<ImportSummary> {
  const [nodeInput, podInput] = await checkInputs(alibabaGpu2023Inputs(opts.nodes, opts.pods));
  const summary = new ImportSummary();
  const out = await SortedOutput.create(opts.out, {
    name: 'alibaba-gpu-2023',
    source: `alibaba cluster-trace-gpu-v2023: ${opts.nodes}, ${opts.pods}`,
  });
  const hosts = new Set<string>();
  const nodeWidth = nodeInput!.index.size;
  for await (const row of csvRows(opts.nodes, { header: true })) {
    summary.rowsRead++;
    const f = field(nodeInput!.index, row.fields);
    const sn = f('sn');
    const model = f('model');
    const cpu = num(f('cpu_milli'));
    const ram = num(f('memory_mib'));
    const gpus = num(f('gpu'));
    if (row.fields.length < nodeWidth || !sn)
      summary.skip('node: malformed row (fewer columns than the header)');
    else if (cpu === undefined || ram === undefined || gpus === undefined || cpu < 0 || ram < 0 || gpus < 0)
      summary.skip('node: missing or negative capacity');
    else if (hosts.has(sn)) summary.skip('node: duplicate node name');
    else {
      hosts.add(sn);
      await out.add({
        t: 0,
        type: 'host_add',
        host: sn,
        cpu: cpu / 1000,
        ramMb: ram,
        diskMb: opts.hostDiskMb ?? 1_048_576,
        gpus,
        ports: [[31000, 32000]],
        attributes: model ? { gpuModel: model } : {},
      });
    }
  }

  const names = new Set<string>();
  const timed = TIME_COLUMNS.every((c) => podInput!.index.has(c));
  const podWidth = Math.max(...podInput!.index.values()) + 1;
  for await (const row of csvRows(opts.pods, { header: true })) {
    summary.rowsRead++;
    if (row.fields.length < podWidth) {
      summary.skip('pod: malformed row (fewer columns than the header)');
      continue;
    }
    const f = field(podInput!.index, row.fields);
    const name = f('name');
    const gpuSpec = f('gpu_spec');
    const qos = podInput!.index.has('qos') ? f('qos') : 'LS';
    const phase = f('pod_phase');
    const [cpuMilli, memMib, numGpu, gpuMilli] = [
      f('cpu_milli'),
      f('memory_mib'),
      f('num_gpu'),
      f('gpu_milli'),
    ];
    const [created, deleted, scheduled] = timed
      ? [f('creation_time'), f('deletion_time'), f('scheduled_time')]
      : ['0', '', '0'];
    const tier = QOS_TIER[qos];
    const cpu = num(cpuMilli);
    const ram = num(memMib);
    const nGpu = num(numGpu) ?? 0;
    const milli = num(gpuMilli) ?? 0;
    const createdS = num(created);
    const deletedS = num(deleted);
    const scheduledS = num(scheduled);
    const job = `openb/${identifier(qos.toLowerCase())}/${identifier(name)}`;
    if (!tier) summary.skip(`pod: unknown qos "${qos}"`);
    else if (cpu === undefined || ram === undefined || cpu <= 0 || ram < 0)
      summary.skip('pod: missing or zero cpu/memory');
    else if (createdS === undefined || createdS < 0) summary.skip('pod: no creation time');
    else if (names.has(job)) summary.skip('pod: duplicate pod name');
    else if (!timed) {
      // No times in the list: every pod is there from the start and stays (FGD's replay).
      names.add(job);
      await out.add({ ...podJob(job, 0, cpu, ram, nGpu, milli, gpuSpec, tier), kind: 'service' });
    } else if (phase === 'Pending' || scheduledS === undefined) {
      if (deletedS === undefined || deletedS < createdS)
        summary.skip('pod: never scheduled and no deletion time');
      else {
        names.add(job);
        const submit = podJob(job, createdS, cpu, ram, nGpu, milli, gpuSpec, tier);
        // Never scheduled in the source: the user gave up at deletion; replay that as a kill.
        await out.add({ ...submit, kind: 'service' });
        await out.add({ t: Math.round(deletedS * 1000), type: 'job_kill', job });
      }
    } else if (!PHASE_OUTCOME[phase]) summary.skip(`pod: unknown phase "${phase}"`);
    else if (deletedS === undefined || deletedS < scheduledS || scheduledS < createdS)
      summary.skip('pod: times out of order (created ≤ scheduled ≤ deleted)');
    else {
      names.add(job);
      const outcome = PHASE_OUTCOME[phase]!;
      await out.add({
        ...podJob(job, createdS, cpu, ram, nGpu, milli, gpuSpec, tier),
        durationMs: Math.round((deletedS - scheduledS) * 1000),
        ...(outcome !== 'finished' ? { outcomes: outcome } : {}),
      });
    }
  }
  summary.recordsWritten = await out.close();
  return summary;
}

function podJob(
  job: string,
  createdS: number,
  cpuMilli: number,
  ramMib: number,
  numGpu: number,
  gpuMilli: number,
  gpuSpec: string,
  tier: Tier,
): JobSubmitRecord {
  const constraints: Record<string, string> = {};
  const models = gpuSpec.split('|').filter((m) => m.length > 0);
  if (models.length) constraints.gpuModel = models.join(',');
  return {
    t: Math.round(createdS * 1000),
    type: 'job_submit',
    job,
    kind: 'adhoc',
    instances: 1,
    tier,
    priority: 0,
    task: {
      cpu: cpuMilli / 1000,
      ramMb: ramMib,
      diskMb: 0,
      // gpu_milli is each GPU's share: a pod on a shared GPU asks for a fraction of one.
      gpus: numGpu > 0 ? (numGpu * gpuMilli) / 1000 : 0,
      ports: [],
    },
    constraints,
    maxTaskFailures: 1,
  };
}
