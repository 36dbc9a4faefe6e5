import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkRecord,
  generateRecords,
  generateTrace,
  importGoogle2011,
  importSwf,
  normalizeTraceJob,
  PRESETS,
  readTrace,
  type TraceRecord,
  toJobConfig,
  validateTrace,
} from '@borealis/traces';
import { z } from 'zod';
import type { BenchSuite, Figures } from '../index.js';
import { micro, timed } from '../index.js';
import { writeGoogleTaskEvents, writeSwf } from './traces-inputs.js';

/**
 * Trace I/O at simulator scale.
 * - generate: the google-2011 preset at 10,000 hosts for one day (~1M tasks, the simulator
 *   benchmark's input), and at 10,000 hosts × 5 days, the 1M-line trace the rest reads.
 * - validate / read: lines per second through validateTrace (every check, problems collected) and
 *   readTrace (what the simulator consumes), plain and gzipped.
 * - import: rows per second of the google-2011 importer (task_events: SUBMIT, SCHEDULE, FINISH per
 *   task) and the SWF importer, each on a 1M-row input derived from the generated trace.
 * - checkRecord vs zod: the hand-written record check against an equivalent zod 4 schema on the
 *   same parsed job_submit objects (why the reader does not use zod).
 * - toJobConfig vs normalizeTraceJob: jobs per second mapped onto the core model directly and
 *   through core's normalizeJob (zod).
 */
export const traces: BenchSuite = {
  name: 'traces',
  description:
    'generate 1M tasks, validate/read a 1M-line trace, import 1M rows (google-2011, swf), zod vs hand checks',
  async run({ quick, log }) {
    const dir = mkdtempSync(join(tmpdir(), 'borealis-bench-traces-'));
    try {
      const preset = PRESETS['google-2011']!;
      const hosts = quick ? 500 : 10_000;

      log(`generating google-2011, ${hosts} hosts, 1 day`);
      const oneDay = join(dir, 'one-day.jsonl');
      const gen1 = await timed(() => generateTrace({ preset, hosts, days: 1, seed: 1 }, oneDay));
      const days = quick ? 1 : 5;
      log(`generating the ${quick ? 'quick' : '1M-line'} trace (${hosts} hosts × ${days} days)`);
      const big = join(dir, 'big.jsonl');
      const gen5 = await timed(() => generateTrace({ preset, hosts, days, seed: 1 }, big));
      const bigGz = join(dir, 'big.jsonl.gz');
      await generateTrace({ preset, hosts, days, seed: 1 }, bigGz);
      const lines = gen5.value.records + 1;

      log('validating');
      const validate = await timed(() => validateTrace(big));
      if (validate.value.problemCount > 0) throw new Error('generated trace is invalid');
      const validateGz = await timed(() => validateTrace(bigGz));
      log('reading');
      const read = await timed(async () => {
        let n = 0;
        for await (const _ of readTrace(big)) n++;
        return n;
      });

      log('writing import inputs');
      const taskEvents = join(dir, 'task_events.csv');
      const machineEvents = join(dir, 'machine_events.csv');
      const swfFile = join(dir, 'log.swf');
      const rowTarget = quick ? 50_000 : 1_000_000;
      const googleRows = await writeGoogleTaskEvents(big, taskEvents, machineEvents, rowTarget);
      const swfRows = await writeSwf(big, swfFile, rowTarget);
      log(`importing google-2011 (${googleRows.toLocaleString('en-US')} rows)`);
      const google = await timed(() =>
        importGoogle2011({
          taskEvents,
          machineEvents,
          out: join(dir, 'google.jsonl'),
          machineCpu: 32,
          machineRamMb: 131072,
          machineDiskMb: 1048576,
        }),
      );
      log(`importing swf (${swfRows.toLocaleString('en-US')} rows)`);
      const swf = await timed(() => importSwf({ file: swfFile, out: join(dir, 'swf.jsonl') }));

      log('checkRecord vs zod, toJobConfig');
      const samples = jobSamples(preset, quick);
      let i = 0;
      const nextText = (): string => samples[i++ % samples.length]!;
      const checks = await micro(
        {
          handWritten: { fn: () => checkRecord(JSON.parse(nextText())) },
          zod: { fn: () => zodJobSubmit.safeParse(JSON.parse(nextText())) },
          jsonParseOnly: { fn: () => JSON.parse(nextText()) },
          // Both include JSON.parse and checkRecord (their inputs must be checked records).
          toJobConfig: {
            fn: () => {
              const o = JSON.parse(nextText());
              checkRecord(o);
              return toJobConfig(o);
            },
          },
          normalizeTraceJob: {
            fn: () => {
              const o = JSON.parse(nextText());
              checkRecord(o);
              return normalizeTraceJob(o);
            },
          },
        },
        { timeMs: quick ? 100 : 1000 },
      );

      const rate = (n: number, f: Figures & { wallMs: number }): Figures => ({
        operations: n,
        opsPerSec: Math.round((n / Math.max(f.wallMs, 0.001)) * 1000),
        ...f,
      });
      return {
        generateOneDay: {
          ...rate(gen1.value.tasks, gen1.figures),
          unit: 'tasks',
          hosts,
          records: gen1.value.records,
          fileMb: mb(oneDay),
        },
        generate1MLines: {
          ...rate(lines, gen5.figures),
          unit: 'lines',
          tasks: gen5.value.tasks,
          fileMb: mb(big),
        },
        validate: { ...rate(validate.value.lines, validate.figures), unit: 'lines' },
        validateGzip: {
          ...rate(validateGz.value.lines, validateGz.figures),
          unit: 'lines',
          fileMb: mb(bigGz),
        },
        readTrace: { ...rate(read.value, read.figures), unit: 'records' },
        importGoogle2011: {
          ...rate(google.value.rowsRead, google.figures),
          unit: 'rows',
          recordsWritten: google.value.recordsWritten,
          skipped: google.value.skippedTotal,
        },
        importSwf: {
          ...rate(swf.value.rowsRead, swf.figures),
          unit: 'rows',
          recordsWritten: swf.value.recordsWritten,
          skipped: swf.value.skippedTotal,
        },
        checkHandWritten: checks.handWritten!,
        checkZod: checks.zod!,
        jsonParseOnly: checks.jsonParseOnly!,
        toJobConfig: checks.toJobConfig!,
        normalizeTraceJob: checks.normalizeTraceJob!,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const mb = (path: string): number => Math.round((statSync(path).size / 2 ** 20) * 10) / 10;

/** job_submit lines as the generator writes them (a mix of batch and service jobs). */
function jobSamples(preset: (typeof PRESETS)[string], quick: boolean): string[] {
  const out: string[] = [];
  for (const r of generateRecords({ preset: preset!, hosts: 200, days: quick ? 0.1 : 0.5, seed: 2 })) {
    if ((r as TraceRecord).type === 'job_submit') out.push(JSON.stringify(r));
  }
  return out;
}

/** The job_submit checks of check-record.ts written in zod 4 (constraints and keys by regex). */
const nonNeg = z.number().min(0);
const zodJobSubmit = z.looseObject({
  t: z.number().int().min(0),
  type: z.literal('job_submit'),
  job: z.string().regex(/^[\w\-.]+\/[\w\-.]+\/[\w\-.]+$/),
  kind: z.enum(['service', 'adhoc', 'cron']),
  instances: z.number().int().min(1),
  tier: z.enum(['preferred', 'preemptible', 'revocable']).default('preferred'),
  priority: z.number().int().default(0),
  maxTaskFailures: z.number().int().min(-1).default(1),
  constraints: z.record(z.string(), z.string().regex(/^(limit:[1-9]\d*|!?[^,]+(,[^,]+)*)$/)).default({}),
  task: z.looseObject({
    cpu: z.number().gt(0),
    ramMb: nonNeg,
    diskMb: nonNeg,
    gpus: nonNeg.default(0),
    ports: z.array(z.string().regex(/^[\w\-.]+$/)).default([]),
    failAfterMs: z.number().int().min(0).optional(),
    unhealthy: z.boolean().optional(),
  }),
  durationMs: z.union([z.number().int().min(0), z.array(z.number().int().min(0))]).optional(),
  outcomes: z
    .union([z.enum(['finished', 'failed', 'killed']), z.array(z.enum(['finished', 'failed', 'killed']))])
    .optional(),
});
