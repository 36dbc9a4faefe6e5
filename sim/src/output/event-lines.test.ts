import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskEvent } from '@borealis/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/trace-text.js';
import { taskEventLine, writeTaskEvent } from './event-lines.js';
import { LineFile } from './line-file.js';

const base: TaskEvent = {
  time: 0,
  taskId: 'r/prod/web/0/1',
  job: 'r/prod/web',
  instance: 0,
  state: 'PENDING',
};

/** Events whose strings and numbers take every path of the direct encoder. */
const EVENTS: TaskEvent[] = [
  base,
  { ...base, time: 86_400_000, instance: 1234, state: 'ASSIGNED', host: 'h00001' },
  { ...base, time: 10, state: 'KILLING', host: 'h1', reason: 'preempted by r/prod/db/0' },
  { ...base, time: 1.5, instance: 10, state: 'RUNNING', host: 'h"quoted"' },
  { ...base, time: -0, taskId: 'back\\slash/0', job: 'ctrl\u0001\n\t', state: 'LOST', reason: 'héllo ✓' },
  { ...base, time: 1e21, taskId: 'lone \ud800 surrogate', job: 'pair 😀', instance: 9, state: 'FAILED' },
  { ...base, time: Number.MAX_SAFE_INTEGER, instance: 99_999, state: 'FINISHED', host: 'del\u007f' },
];

function written(bufferBytes: number, events: readonly TaskEvent[]): string {
  const path = join(tempDir(), 'events.jsonl');
  const f = new LineFile(path, bufferBytes);
  for (const e of events) writeTaskEvent(f, e);
  f.close();
  expect(f.lines).toBe(events.length);
  return readFileSync(path, 'utf8');
}

describe('writeTaskEvent', () => {
  it('writes exactly the bytes of taskEventLine, which is JSON.stringify of the same fields', () => {
    const expected = EVENTS.map((e) => `${taskEventLine(e)}\n`).join('');
    expect(written(1 << 16, EVENTS)).toBe(expected);
    for (const line of expected.trimEnd().split('\n')) {
      const o = JSON.parse(line) as Record<string, unknown>;
      const e = EVENTS.find((x) => x.taskId === o.task && x.state === o.state)!;
      expect(line).toBe(
        JSON.stringify({
          t: e.time,
          task: e.taskId,
          job: e.job,
          instance: e.instance,
          state: e.state,
          host: e.host,
          reason: e.reason,
        }),
      );
    }
  });

  it('flushes between lines when the buffer fills and falls back for lines larger than the buffer', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...base, time: i * 7919, instance: i }));
    const huge = { ...base, taskId: 'x'.repeat(5000), host: 'h1' };
    const events = [...many, huge, ...many];
    expect(written(1024, events)).toBe(events.map((e) => `${taskEventLine(e)}\n`).join(''));
  });
});
