import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
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
  writeHostsJson(join(dir, 'hosts.json'), sampler, hosts);
}

/**
 * hosts.json is JSON.stringify of { sampleTimes, hosts, cpu, ramMb }, written in pieces: the two
 * base64 heat maps (tens of megabytes at 10,000 hosts) need no escaping, so they go to the file
 * as they are instead of through JSON.stringify and one more concatenated copy.
 */
export function writeHostsJson(path: string, sampler: Sampler, hosts: HostTable): void {
  const cells = sampler.heatMap.cells(hosts.count);
  const list = hosts.specs.map((s) => ({
    id: s.id,
    ...(s.attributes.rack !== undefined ? { rack: s.attributes.rack } : {}),
    ...(s.attributes.zone !== undefined ? { zone: s.attributes.zone } : {}),
    cpu: s.resources.cpu,
    ramMb: s.resources.ramMb,
    ...(s.resources.gpus > 0 ? { gpus: s.resources.gpus } : {}),
  }));
  const head = JSON.stringify({ sampleTimes: sampler.heatMap.times, hosts: list });
  const base64 = (cells: Uint8Array): Buffer =>
    Buffer.from(Buffer.from(cells.buffer, cells.byteOffset, cells.length).toString('base64'), 'latin1');
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, Buffer.from(`${head.slice(0, -1)},"cpu":"`));
    writeAll(fd, base64(cells.cpu));
    writeAll(fd, Buffer.from('","ramMb":"'));
    writeAll(fd, base64(cells.ramMb));
    if (cells.gpus) {
      writeAll(fd, Buffer.from('","gpus":"'));
      writeAll(fd, base64(cells.gpus));
    }
    writeAll(fd, Buffer.from('"}\n'));
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, data: Buffer): void {
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written);
}

/** The hosts.json text in one string, as JSON.stringify makes it (the reference writeHostsJson matches). */
export function hostsJson(sampler: Sampler, hosts: HostTable): string {
  const cells = sampler.heatMap.cells(hosts.count);
  const list = hosts.specs.map((s) => ({
    id: s.id,
    ...(s.attributes.rack !== undefined ? { rack: s.attributes.rack } : {}),
    ...(s.attributes.zone !== undefined ? { zone: s.attributes.zone } : {}),
    cpu: s.resources.cpu,
    ramMb: s.resources.ramMb,
    ...(s.resources.gpus > 0 ? { gpus: s.resources.gpus } : {}),
  }));
  return `${JSON.stringify({
    sampleTimes: sampler.heatMap.times,
    hosts: list,
    cpu: Buffer.from(cells.cpu).toString('base64'),
    ramMb: Buffer.from(cells.ramMb).toString('base64'),
    ...(cells.gpus ? { gpus: Buffer.from(cells.gpus).toString('base64') } : {}),
  })}\n`;
}

/** markers.jsonl: update and drain intervals for the visualizer's timelines, one per line, by start. */
export function writeMarkers(dir: string, markers: readonly MarkerLine[]): void {
  writeFileSync(join(dir, 'markers.jsonl'), markers.map((m) => `${JSON.stringify(m)}\n`).join(''));
}
