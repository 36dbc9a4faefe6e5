import { afterAll, describe, expect, it } from 'vitest';
import type { HostAddRecord, JobSubmitRecord } from '../format/record.js';
import { computeTraceStats } from '../stats/trace-stats.js';
import { importAlibabaGpu2023 } from './alibaba-gpu-2023.js';
import { haveShared, readAll, sharedTrace, skipNote, TempDir } from './test-support.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

// Columns as published in alibaba/clusterdata cluster-trace-gpu-v2023 (openb_node_list / openb_pod_list).
const NODES = `sn,cpu_milli,memory_mib,gpu,model
openb-node-0000,32000,262144,0,
openb-node-0001,96000,786432,8,V100M32
openb-node-0002,64000,393216,2,T4
bad-node,abc,1,0,
`;
const PODS = `name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
openb-pod-0001,6000,12288,1,460,T4,BE,Succeeded,100,400,150
openb-pod-0002,8000,24576,2,1000,V100M16|V100M32,Burstable,Failed,200,900,300
openb-pod-0003,4000,8192,0,0,,BE,Pending,250,500,
openb-pod-0004,4000,8192,0,0,,XX,Running,260,500,270
openb-pod-0005,4000,8192,0,0,,LS,Succeeded,300,200,310
openb-pod-0006,4000,8192,0,0,,Guaranteed,Running,320,600,330
`;

describe('alibaba-gpu-2023 import', () => {
  it('maps nodes, pods, qos, fractional GPUs, gpu_spec and times', async () => {
    const out = tmp.out('gpu.jsonl');
    const s = await importAlibabaGpu2023({
      nodes: tmp.file('nodes.csv', NODES),
      pods: tmp.file('pods.csv', PODS),
      out,
    });
    expect(s.rowsRead).toBe(4 + 7);
    expect(s.skippedTotal).toBe(3);
    expect(s.skippedBy('node: missing or negative capacity')).toBe(1);
    expect(s.skippedBy('pod: unknown qos "XX"')).toBe(1);
    expect(s.skippedBy('pod: times out of order (created ≤ scheduled ≤ deleted)')).toBe(1);
    expect(s.format()).toMatch(/^skipped: 3$/m);

    const recs = await readAll(out);
    expect(s.recordsWritten).toBe(recs.length);
    const hosts = recs.filter((r): r is HostAddRecord => r.type === 'host_add');
    expect(hosts.map((h) => [h.host, h.cpu, h.ramMb, h.gpus, h.attributes.gpuModel])).toEqual([
      ['openb-node-0000', 32, 262144, 0, undefined],
      ['openb-node-0001', 96, 786432, 8, 'V100M32'],
      ['openb-node-0002', 64, 393216, 2, 'T4'],
    ]);
    const jobs = new Map(
      recs.filter((r): r is JobSubmitRecord => r.type === 'job_submit').map((j) => [j.job, j]),
    );
    const ls = jobs.get('openb/ls/openb-pod-0000')!;
    expect(ls).toMatchObject({ t: 0, tier: 'preferred', durationMs: 12537496000, outcomes: 'killed' });
    expect(ls.task).toMatchObject({ cpu: 12, ramMb: 16384, gpus: 1 });
    const shared = jobs.get('openb/be/openb-pod-0001')!;
    expect(shared.task.gpus).toBeCloseTo(0.46, 10);
    expect(shared).toMatchObject({
      t: 100_000,
      tier: 'revocable',
      durationMs: 250_000,
      constraints: { gpuModel: 'T4' },
    });
    expect(shared.outcomes).toBeUndefined();
    const burst = jobs.get('openb/burstable/openb-pod-0002')!;
    expect(burst).toMatchObject({ tier: 'preemptible', outcomes: 'failed', durationMs: 600_000 });
    expect(burst.task.gpus).toBe(2);
    expect(burst.constraints).toEqual({ gpuModel: 'V100M16,V100M32' });
    // Never scheduled: submitted, then killed at deletion.
    expect(jobs.get('openb/be/openb-pod-0003')).toMatchObject({ kind: 'service', t: 250_000 });
    expect(recs).toContainEqual({ t: 500_000, type: 'job_kill', job: 'openb/be/openb-pod-0003' });
    expect(jobs.get('openb/guaranteed/openb-pod-0006')?.tier).toBe('preferred');
  });
});

const NODES_FILE = 'alibaba-gpu-2023/openb_node_list_all_node.csv';
const PODS_FILE = 'alibaba-gpu-2023/openb_pod_list_gpuspec33.csv';
describe.skipIf(!haveShared(NODES_FILE))(
  `alibaba-gpu-2023 import of the real openb lists${skipNote(NODES_FILE)}`,
  () => {
    it('imports 1,523 hosts and all 8,152 pods with exact resource totals', async () => {
      const out = tmp.out('openb.jsonl');
      const s = await importAlibabaGpu2023({
        nodes: sharedTrace(NODES_FILE),
        pods: sharedTrace(PODS_FILE),
        out,
      });
      expect(s.rowsRead).toBe(1523 + 8152);
      expect(s.skippedTotal).toBe(0);
      const stats = await computeTraceStats(out);
      expect(stats.hosts.added).toBe(1523);
      expect(stats.jobs.total).toBe(8152);
      expect(stats.tasks.total).toBe(8152);
      // Sums of the node list's cpu_milli/1000, memory_mib and gpu columns.
      expect(stats.hosts.capacity).toMatchObject({ cpu: 125514, ramMb: 612028416, gpus: 6212 });
      // qos counts: LS 4647 + Guaranteed 7 preferred, Burstable 100, BE 3398.
      expect(stats.jobs.byTier).toEqual({ preferred: 4654, preemptible: 100, revocable: 3398 });
      // 897 pods never scheduled (Pending) are submitted and killed at their deletion time.
      expect(stats.recordsByType.job_kill).toBe(897);
      // Requested totals over all pods (awk over the pod list): gpus = Σ num_gpu × gpu_milli / 1000.
      const jobs = (await readAll(out)).filter((r): r is JobSubmitRecord => r.type === 'job_submit');
      expect(jobs.reduce((a, j) => a + j.task.gpus, 0)).toBeCloseTo(6086.8, 6);
      expect(jobs.reduce((a, j) => a + j.task.cpu, 0)).toBeCloseTo(85436.012, 6);
      expect(jobs.filter((j) => j.task.gpus % 1 !== 0)).toHaveLength(3078);
    });
  },
);
