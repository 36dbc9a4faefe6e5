import { formatDuration } from '@borealis/core';
import { TraceWriter } from '../io/writer.js';
import { type GenerateOptions, generateRecords } from './generator.js';

export interface GenerateSummary {
  readonly records: number;
  readonly jobs: number;
  readonly tasks: number;
  readonly hosts: number;
}

/** Generates a trace into `path` (gzipped if it ends in .gz), streaming. */
export async function generateTrace(
  opts: GenerateOptions,
  path: string,
  name?: string,
): Promise<GenerateSummary> {
  // The header names the command that regenerates this file; options left at their defaults are
  // omitted, so traces generated before they existed keep their exact bytes.
  const load = opts.loadFactor !== undefined && opts.loadFactor !== 1 ? opts.loadFactor : undefined;
  const extra =
    (load !== undefined ? ` --load ${load}` : '') +
    (opts.serviceShare !== undefined ? ` --service-share ${opts.serviceShare}` : '') +
    (opts.maxDurationMs !== undefined ? ` --max-duration ${formatDuration(opts.maxDurationMs)}` : '');
  const writer = await TraceWriter.create(path, {
    name:
      name ??
      `${opts.preset.name}-${opts.hosts}h-${opts.days}d-s${opts.seed}${load !== undefined ? `-x${load}` : ''}`,
    source: `borealis trace generate --preset ${opts.preset.name} --hosts ${opts.hosts} --days ${opts.days} --seed ${opts.seed}${extra}`,
  });
  let jobs = 0;
  let tasks = 0;
  let hosts = 0;
  for (const r of generateRecords(opts)) {
    if (r.type === 'job_submit') {
      jobs++;
      tasks += r.instances;
    } else if (r.type === 'host_add') hosts++;
    await writer.write(r);
  }
  await writer.close();
  return { records: writer.recordsWritten, jobs, tasks, hosts };
}
