/**
 * The bundled sample traces in traces/samples/, all generated (deterministically) by this
 * package; `npm run samples -w @borealis/traces` rewrites them and samples.test.ts checks that
 * regenerating gives the same bytes.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrace } from '../generate/generate-trace.js';
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
): Sample => ({
  file,
  description,
  write: async (path) => {
    await generateTrace(
      { preset: PRESETS[preset]!, hosts, days, seed: 1 },
      path,
      file.replace(/\.jsonl$/, ''),
    );
  },
});

export const SAMPLES: readonly Sample[] = [
  generated(
    'sample.jsonl',
    'google-2011',
    200,
    0.25,
    'what `npm start` simulates: 200 hosts, 6 hours of a Google-2011-like mixed cell',
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
