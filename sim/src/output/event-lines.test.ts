import { describe, expect, it } from 'vitest';
import { EVENTS } from '../testing/task-events.js';
import { taskEventLine } from './event-lines.js';

describe('taskEventLine', () => {
  it('is JSON.stringify of the same fields, in a fixed order', () => {
    const expected = EVENTS.map((e) => `${taskEventLine(e)}\n`).join('');
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
});
