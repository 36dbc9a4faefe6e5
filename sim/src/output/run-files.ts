import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTable } from '../cluster/host-table.js';
import type { MarkerLine } from '../metrics/lifecycle-markers.js';
import type { Sampler } from '../metrics/sampler.js';
import type { RunSummary } from './summary.js';

/**
 * Writes the files of a run folder that are complete only at the end: summary.json,
 * timeseries.csv and hosts.json (events.jsonl and preemptions.jsonl are streamed during the run).
 */
export function writeRunFiles(dir: string, summary: RunSummary, sampler: Sampler, hosts: HostTable): void {
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(dir, 'timeseries.csv'), sampler.csv());
  writeFileSync(join(dir, 'hosts.json'), hostsJson(sampler, hosts));
}

function hostsJson(sampler: Sampler, hosts: HostTable): string {
  const cells = sampler.heatMap.cells(hosts.count);
  const list = hosts.specs.map((s) => ({
    id: s.id,
    ...(s.attributes.rack !== undefined ? { rack: s.attributes.rack } : {}),
    ...(s.attributes.zone !== undefined ? { zone: s.attributes.zone } : {}),
    cpu: s.resources.cpu,
    ramMb: s.resources.ramMb,
  }));
  return `${JSON.stringify({
    sampleTimes: sampler.heatMap.times,
    hosts: list,
    cpu: Buffer.from(cells.cpu).toString('base64'),
    ramMb: Buffer.from(cells.ramMb).toString('base64'),
  })}\n`;
}

/** markers.jsonl: update and drain intervals for the visualizer's timelines, one per line, by start. */
export function writeMarkers(dir: string, markers: readonly MarkerLine[]): void {
  writeFileSync(join(dir, 'markers.jsonl'), markers.map((m) => `${JSON.stringify(m)}\n`).join(''));
}
