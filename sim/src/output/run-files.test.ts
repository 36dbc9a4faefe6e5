import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostTable } from '../cluster/host-table.js';
import { Sampler } from '../metrics/sampler.js';
import { TaskTracker } from '../metrics/task-tracker.js';
import { tempDir } from '../testing/trace-text.js';
import { hostsJson, writeHostsJson } from './run-files.js';

describe('writeHostsJson', () => {
  it('writes exactly the JSON.stringify text of hosts.json, heat maps included', () => {
    const hosts = new HostTable();
    const attrs: Record<string, string>[] = [{ rack: 'r1', zone: 'z"1' }, {}, { zone: 'ü' }];
    for (let i = 0; i < 300; i++) {
      hosts.add({
        id: `h${i}`,
        resources: { cpu: 8 + (i % 3), ramMb: 1024, diskMb: 0, gpus: 0 },
        ports: [],
        attributes: attrs[i % 3]!,
      });
    }
    const sampler = new Sampler();
    const tracker = new TaskTracker();
    for (let s = 0; s < 7; s++) {
      for (let h = s; h < 300; h += 5) hosts.hold(h, { cpu: 1, ramMb: 100, diskMb: 0, gpus: 0 }, 1);
      sampler.sample(s * 60_000, {
        hosts,
        allocByTier: new Float64Array(12),
        tracker,
        usableHosts: () => hosts.count,
        pendingShapes: () => [],
        preemptionsInInterval: { events: 0, victims: 0 },
      });
    }
    const path = join(tempDir(), 'hosts.json');
    writeHostsJson(path, sampler, hosts);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(hostsJson(sampler, hosts));
    const parsed = JSON.parse(text) as { hosts: unknown[]; cpu: string; sampleTimes: number[] };
    expect(parsed.hosts).toHaveLength(300);
    expect(parsed.sampleTimes).toHaveLength(7);
    expect(Buffer.from(parsed.cpu, 'base64')).toHaveLength(300 * 7);
    // No GPU hosts: no GPU map (the file is what it was before GPU maps existed).
    expect(text).not.toContain('"gpus"');
  });

  it('adds the GPU heat map and the GPU count of GPU hosts when the cluster has GPUs', () => {
    const hosts = new HostTable();
    hosts.add({
      id: 'cpu',
      resources: { cpu: 8, ramMb: 1024, diskMb: 0, gpus: 0 },
      ports: [],
      attributes: {},
    });
    hosts.add({
      id: 'gpu',
      resources: { cpu: 8, ramMb: 1024, diskMb: 0, gpus: 4 },
      ports: [],
      attributes: {},
    });
    const sampler = new Sampler();
    const tracker = new TaskTracker();
    for (let s = 0; s < 3; s++) {
      hosts.hold(1, { cpu: 1, ramMb: 100, diskMb: 0, gpus: 1 }, 1);
      sampler.sample(s * 60_000, {
        hosts,
        allocByTier: new Float64Array(12),
        tracker,
        usableHosts: () => hosts.count,
        pendingShapes: () => [],
        preemptionsInInterval: { events: 0, victims: 0 },
      });
    }
    const path = join(tempDir(), 'hosts.json');
    writeHostsJson(path, sampler, hosts);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(hostsJson(sampler, hosts));
    const parsed = JSON.parse(text) as { hosts: { id: string; gpus?: number }[]; gpus: string };
    expect(parsed.hosts.map((h) => h.gpus)).toEqual([undefined, 4]);
    // Row-major by host: the CPU host reads 0; the GPU host 1, 2, 3 of 4 GPUs.
    expect([...Buffer.from(parsed.gpus, 'base64')]).toEqual([0, 0, 0, 64, 128, 191]);
  });
});
