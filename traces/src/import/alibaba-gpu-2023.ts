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
 */
import type { Tier } from '@borealis/core';
import type { JobSubmitRecord, Outcome } from '../format/record.js';
import { csvRows, identifier, num } from './csv-rows.js';
import { ImportSummary } from './import-summary.js';
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

export async function importAlibabaGpu2023(opts: AlibabaGpu2023Options): Promise<ImportSummary> {
  const summary = new ImportSummary();
  const out = await SortedOutput.create(opts.out, {
    name: 'alibaba-gpu-2023',
    source: `alibaba cluster-trace-gpu-v2023: ${opts.nodes}, ${opts.pods}`,
  });
  const hosts = new Set<string>();
  for await (const row of csvRows(opts.nodes, { header: true })) {
    summary.rowsRead++;
    const [sn, cpuMilli, memMib, gpu, model] = row.fields;
    const cpu = num(cpuMilli);
    const ram = num(memMib);
    const gpus = num(gpu);
    if (row.fields.length < 4 || !sn) summary.skip('node: malformed row');
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
  for await (const row of csvRows(opts.pods, { header: true })) {
    summary.rowsRead++;
    const f = row.fields;
    if (f.length < 11) {
      summary.skip('pod: malformed row');
      continue;
    }
    const [name, cpuMilli, memMib, numGpu, gpuMilli, gpuSpec, qos, phase, created, deleted, scheduled] =
      f as [string, string, string, string, string, string, string, string, string, string, string];
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
    else if (phase === 'Pending' || scheduledS === undefined) {
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
