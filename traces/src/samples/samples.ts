/**
 * The bundled sample traces in traces/samples/, all generated (deterministically) by this
 * package; `npm run samples -w @borealis/traces` rewrites them and samples.test.ts checks that
 * regenerating gives the same bytes.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrace } from '../generate/generate-trace.js';
import type { GenerateOptions } from '../generate/generator.js';
import { PRESETS } from '../generate/presets.js';
import { TraceWriter } from '../io/writer.js';
import { lifecycleRecords } from './lifecycle.js';

export const SAMPLES_DIR = fileURLToPath(new URL('../../samples', import.meta.url));

export interface Sample {
  readonly file: string;
  readonly description: string;
  write(path: string): Promise<void>;
}

const generated = (
  file: string,
  preset: string,
  hosts: number,
  days: number,
  description: string,
  tuning: Pick<GenerateOptions, 'loadFactor' | 'serviceShare' | 'maxDurationMs'> = {},
): Sample => ({
  file,
  description,
  write: async (path) => {
    await generateTrace(
      { preset: PRESETS[preset]!, hosts, days, seed: 1, ...tuning },
      path,
      file.replace(/\.jsonl$/, ''),
    );
  },
});

export const SAMPLES: readonly Sample[] = [
  // A busy cell, so the first run shows what the scheduler is for: production services hold 70 %
  // of CPU, batch arrives at 4.5× the preset's rate and fills the rest until tasks queue, arriving
  // services preempt batch work, a host fails. Batch run times are capped at 2 h so the run ends
  // about two hours after the last arrival instead of days later with the heavy tail.
  generated(
    'sample.jsonl',
    'google-2011',
    200,
    0.25,
    'what `npm start` simulates: 200 hosts, 6 hours of a busy Google-2011-like mixed cell',
    { loadFactor: 4.5, serviceShare: 0.7, maxDurationMs: 2 * 3_600_000 },
  ),
  generated(
    'web-services.jsonl',
    'web-services',
    60,
    1,
    'a day of a 60-host web-serving cluster with rolling deploys',
  ),
  generated('hpc-batch.jsonl', 'hpc-batch', 64, 1, 'a day of a 64-node HPC batch queue'),
  {
    file: 'lifecycle.jsonl',
    description: 'every record type: updates and rollback, cron, health checks, drains, kills, quotas',
    write: async (path) => {
      const w = await TraceWriter.create(path, {
        name: 'lifecycle',
        source: 'traces/src/samples/lifecycle.ts',
      });
      for (const r of lifecycleRecords()) await w.write(r);
      await w.close();
    },
  },
];

/** Writes every sample into `dir` (default: traces/samples). */
export async function writeSamples(dir = SAMPLES_DIR): Promise<string[]> {
  const paths: string[] = [];
  for (const s of SAMPLES) {
    const path = join(dir, s.file);
    await s.write(path);
    paths.push(path);
  }
  return paths;
}
