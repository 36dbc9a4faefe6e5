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
  const writer = await TraceWriter.create(path, {
    name: name ?? `${opts.preset.name}-${opts.hosts}h-${opts.days}d-s${opts.seed}`,
    source: `borealis trace generate --preset ${opts.preset.name} --hosts ${opts.hosts} --days ${opts.days} --seed ${opts.seed}`,
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
