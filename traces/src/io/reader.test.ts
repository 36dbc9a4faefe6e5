import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '@borealis/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../format/record.js';
import { openTrace, readTrace, TraceError, validateTrace } from './reader.js';
import { TraceWriter } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'borealis-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = '{"format":"borealis-trace","version":1,"name":"t"}';
const HOST = '{"t":0,"type":"host_add","host":"h1","cpu":8,"ramMb":1024,"diskMb":1024}';
const JOB =
  '{"t":10,"type":"job_submit","job":"a/prod/web","kind":"service","instances":2,"task":{"cpu":1,"ramMb":64,"diskMb":0}}';

let n = 0;
function file(...lines: string[]): string {
  const p = join(dir, `t${n++}.jsonl`);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

async function problemsOf(...lines: string[]) {
  return (await validateTrace(file(...lines))).problems;
}

describe('readTrace', () => {
  it('yields typed records with defaults and keeps unknown fields', async () => {
    const p = file(HEADER, HOST, `${JOB.slice(0, -1)},"sourceId":"x1"}`);
    const out: TraceRecord[] = [];
    for await (const r of readTrace(p)) out.push(r);
    expect(out.map((r) => r.type)).toEqual(['host_add', 'job_submit']);
    const job = out[1]!;
    if (job.type !== 'job_submit') throw new Error('expected a job');
    expect(job.tier).toBe('preferred');
    expect(job.priority).toBe(0);
    expect(job.task.gpus).toBe(0);
    expect(job.task.ports).toEqual([]);
    expect((job as unknown as { sourceId: string }).sourceId).toBe('x1');
    const host = out[0]!;
    if (host.type !== 'host_add') throw new Error('expected a host');
    expect(host.ports).toEqual([]);
    expect(host.attributes).toEqual({});
  });

  it('reads gzipped traces the same way', async () => {
    const p = join(dir, 'z.jsonl.gz');
    writeFileSync(p, gzipSync(`${HEADER}\n${HOST}\n${JOB}\n`));
    const types: string[] = [];
    for await (const r of readTrace(p)) types.push(r.type);
    expect(types).toEqual(['host_add', 'job_submit']);
  });

  it('throws a TraceError naming the line and field at the first bad line', async () => {
    const p = file(HEADER, HOST, '{"t":5,"type":"host_down","host":"h9"}', '{"bad');
    const seen: string[] = [];
    const err = await (async () => {
      for await (const r of readTrace(p)) seen.push(r.type);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceError);
    expect((err as TraceError).problem).toMatchObject({ line: 3, field: 'host' });
    expect((err as Error).message).toContain('line 3: host: unknown host "h9"');
    expect(seen).toEqual(['host_add']);
  });

  it('can stop early', async () => {
    const p = file(HEADER, HOST, JOB, '{garbage');
    for await (const r of readTrace(p)) {
      expect(r.type).toBe('host_add');
      break;
    }
  });

  it('openTrace gives the header first', async () => {
    const t = await openTrace(file(HEADER, HOST));
    expect(t.header.name).toBe('t');
    const types: string[] = [];
    for await (const r of t.records) types.push(r.type);
    expect(types).toEqual(['host_add']);
  });

  it('openTrace hands out the same records in batches, the good ones before a bad line', async () => {
    const many = Array.from(
      { length: 20_000 },
      (_, i) => `{"t":${i},"type":"host_add","host":"h${i}","cpu":8,"ramMb":1024,"diskMb":1024}`,
    );
    const p = file(HEADER, ...many);
    const one: string[] = [];
    for await (const r of (await openTrace(p)).records) one.push(r.type === 'host_add' ? r.host : '');
    const batched: string[] = [];
    let batches = 0;
    for await (const b of (await openTrace(p)).batches) {
      batches++;
      for (const r of b) batched.push(r.type === 'host_add' ? r.host : '');
    }
    expect(one).toEqual(many.map((_, i) => `h${i}`));
    expect(batched).toEqual(one);
    // 20,000 lines of ~80 bytes span several 256 kB read chunks.
    expect(batches).toBeGreaterThan(1);

    const headerOnly = await openTrace(file(HEADER));
    expect(headerOnly.header.name).toBe('t');
    for await (const b of headerOnly.batches) expect(b).toEqual([]);

    const bad = await openTrace(file(HEADER, HOST, '{"t":5,"type":"host_down","host":"h9"}'));
    const seen: string[] = [];
    const err = await (async () => {
      for await (const b of bad.batches) for (const r of b) seen.push(r.type);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceError);
    expect(seen).toEqual(['host_add']);
  });

  it('the writer reports an unwritable path as a user error', async () => {
    await expect(TraceWriter.create(dir, { name: 'x' })).rejects.toThrow(/cannot write .*: is a folder/);
    await expect(TraceWriter.create(join(dir, 'no/such/x.jsonl'), { name: 'x' })).rejects.toBeInstanceOf(
      UserError,
    );
  });

  it('round-trips through the writer, plain and gzipped', async () => {
    for (const name of ['w.jsonl', 'w.jsonl.gz']) {
      const p = join(dir, name);
      const w = await TraceWriter.create(p, { name: 'w', source: 'test' });
      const recs: TraceRecord[] = [];
      for await (const r of readTrace(file(HEADER, HOST, JOB))) recs.push(r);
      for (const r of recs) await w.write(r);
      await w.close();
      const back: TraceRecord[] = [];
      for await (const r of readTrace(p)) back.push(r);
      expect(back).toEqual(recs);
    }
  });
});

describe('validateTrace reports each kind of problem with its line and field', () => {
  it('accepts a good file', async () => {
    const r = await validateTrace(file(HEADER, HOST, JOB));
    expect(r.problemCount).toBe(0);
    expect(r.records).toBe(2);
  });

  it.each([
    ['bad header (wrong format)', ['{"format":"x","version":1}'], 1, 'format'],
    ['bad header (wrong version)', ['{"format":"borealis-trace","version":2}'], 1, 'version'],
    ['bad header (not JSON)', ['hello'], 1, 'json'],
    ['malformed JSON', [HEADER, '{"t":0,'], 2, 'json'],
    ['a record that is not an object', [HEADER, '[1,2]'], 2, 'record'],
    ['unknown record type', [HEADER, '{"t":0,"type":"job_frob"}'], 2, 'type'],
    ['negative time', [HEADER, '{"t":-1,"type":"host_up","host":"h"}'], 2, 't'],
    ['out-of-order t', [HEADER, HOST, '{"t":20,"type":"host_down","host":"h1"}', JOB], 4, 't'],
    ['host_down for a host never added', [HEADER, '{"t":0,"type":"host_down","host":"h7"}'], 2, 'host'],
    [
      'drain of an unknown host',
      [HEADER, HOST, '{"t":1,"type":"host_drain","hosts":["h1","h2"]}'],
      3,
      'hosts[1]',
    ],
    ['host added twice', [HEADER, HOST, HOST], 3, 'host'],
    ['job_kill of a job never submitted', [HEADER, '{"t":0,"type":"job_kill","job":"a/b/c"}'], 2, 'job'],
    [
      'job_update of a job never submitted',
      [HEADER, JOB.replace('job_submit', 'job_update').replace('"kind":"service",', '')],
      2,
      'job',
    ],
    [
      'job_kill of an instance out of range',
      [HEADER, JOB, '{"t":11,"type":"job_kill","job":"a/prod/web","instances":[5]}'],
      3,
      'instances[0]',
    ],
    ['job submitted twice', [HEADER, JOB, JOB], 3, 'job'],
    ['bad job key', [HEADER, JOB.replace('a/prod/web', 'a/web')], 2, 'job'],
    [
      'bad constraint',
      [HEADER, JOB.replace('"task"', '"constraints":{"host":"limit:0"},"task"')],
      2,
      'constraints.host',
    ],
    ['negative resources', [HEADER, JOB.replace('"cpu":1', '"cpu":-1')], 2, 'task.cpu'],
    ['missing resources', [HEADER, JOB.replace('"ramMb":64,', '')], 2, 'task.ramMb'],
    ['negative host capacity', [HEADER, HOST.replace('"ramMb":1024', '"ramMb":-5')], 2, 'ramMb'],
    ['bad port range', [HEADER, HOST.replace('}', ',"ports":[32000,31000]}')], 2, 'ports[0]'],
    [
      'durationMs length ≠ instances',
      [HEADER, JOB.replace('}}', '},"durationMs":[1,2,3]}')],
      2,
      'durationMs',
    ],
    ['negative duration', [HEADER, JOB.replace('}}', '},"durationMs":[1,-2]}')], 2, 'durationMs[1]'],
    ['unknown outcome', [HEADER, JOB.replace('}}', '},"outcomes":"exploded"}')], 2, 'outcomes'],
    ['bad tier', [HEADER, JOB.replace('"kind"', '"tier":"gold","kind"')], 2, 'tier'],
    ['bad kind', [HEADER, JOB.replace('service', 'daemon')], 2, 'kind'],
    ['zero instances', [HEADER, JOB.replace('"instances":2', '"instances":0')], 2, 'instances'],
    [
      'cron field out of range',
      [HEADER, JOB.replace('service', 'cron').replace('}}', '},"cron":"61 * * * *"}')],
      2,
      'cron',
    ],
    ['zero cpu', [HEADER, JOB.replace('"cpu":1', '"cpu":0')], 2, 'task.cpu'],
    [
      'update that tolerates every instance failing',
      [
        HEADER,
        JOB,
        JOB.replace('job_submit', 'job_update').replace('}}', '},"settings":{"maxTotalFailures":2}}'),
      ],
      3,
      'settings.maxTotalFailures',
    ],
    [
      'health check on an undeclared port',
      [HEADER, JOB.replace('"diskMb":0}', '"diskMb":0,"healthCheck":{"port":"admin"}}')],
      2,
      'task.healthCheck.port',
    ],
    [
      'cron job without a valid schedule',
      [HEADER, JOB.replace('service', 'cron').replace('}}', '},"cron":"every hour"}')],
      2,
      'cron',
    ],
    [
      'bad update settings',
      [HEADER, JOB, JOB.replace('job_submit', 'job_update').replace('}}', '},"settings":{"batchSize":0}}')],
      3,
      'settings.batchSize',
    ],
    [
      'bad health check',
      [HEADER, JOB.replace('"diskMb":0}', '"diskMb":0,"healthCheck":{"intervalSecs":"x"}}')],
      2,
      'task.healthCheck.intervalSecs',
    ],
    [
      'negative quota',
      [HEADER, '{"t":0,"type":"quota_set","role":"www","cpu":-1,"ramMb":0,"diskMb":0}'],
      2,
      'cpu',
    ],
  ] as const)('%s', async (_name, lines, line, field) => {
    const ps = await problemsOf(...lines);
    expect(ps.length).toBeGreaterThan(0);
    expect(ps[0]).toMatchObject({ line, field });
  });

  it('reports an empty file', async () => {
    const p = join(dir, 'empty.jsonl');
    writeFileSync(p, '');
    const r = await validateTrace(p);
    expect(r.problems[0]).toMatchObject({ line: 1, field: 'header' });
  });

  it('keeps going after a problem, up to the limit, and counts the rest', async () => {
    const bad = Array.from({ length: 30 }, () => '{"t":0,"type":"host_up","host":"nope"}');
    const r = await validateTrace(file(HEADER, ...bad), 10);
    expect(r.problems).toHaveLength(10);
    expect(r.problemCount).toBe(30);
    expect(r.problems[9]!.line).toBe(11);
  });

  it('reports a missing file, a folder and a truncated gzip file as user errors', async () => {
    await expect(validateTrace(join(dir, 'missing.jsonl'))).rejects.toThrow(/no such file/);
    await expect(validateTrace(dir)).rejects.toThrow(/is a folder/);
    const truncated = join(dir, 'cut.jsonl.gz');
    writeFileSync(truncated, gzipSync(`${HEADER}\n${HOST}\n`).subarray(0, 20));
    const err = await validateTrace(truncated).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
  });
});

describe('job_update', () => {
  it('inherits the kind of the submitted job and fills default settings', async () => {
    const upd = JOB.replace('job_submit', 'job_update')
      .replace('"t":10', '"t":20')
      .replace('"kind":"service",', '');
    const out: TraceRecord[] = [];
    for await (const r of readTrace(file(HEADER, JOB, upd))) out.push(r);
    const u = out[1]!;
    if (u.type !== 'job_update') throw new Error('expected an update');
    expect(u.kind).toBe('service');
    expect(u.settings).toEqual({
      strategy: 'queue',
      batchSize: 1,
      autoPause: false,
      watchSecs: 45,
      maxPerInstanceFailures: 0,
      maxTotalFailures: 0,
      rollbackOnFailure: true,
    });
  });
});
