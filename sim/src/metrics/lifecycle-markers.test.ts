import type { MaintenanceEvent, UpdateEvent, UpdateStatus } from '@borealis/core';
import { describe, expect, it } from 'vitest';
import { LifecycleMarkers } from './lifecycle-markers.js';

const status = (
  time: number,
  updateId: string,
  s: UpdateStatus,
  operation: 'update' | 'restart' = 'update',
) => ({ time, updateId, job: 'www/prod/web', operation, kind: 'status', status: s }) satisfies UpdateEvent;
const mode = (time: number, host: string, m: MaintenanceEvent['mode']): MaintenanceEvent => ({
  time,
  host,
  mode: m,
});

describe('LifecycleMarkers', () => {
  it('makes one interval per update and a nested one for its rollback', () => {
    const m = new LifecycleMarkers();
    m.onUpdate(status(100, 'u1', 'ROLLING_FORWARD'));
    m.onUpdate({ ...status(150, 'u1', 'ROLLING_FORWARD'), kind: 'instance', instance: 0 });
    m.onUpdate(status(200, 'u1', 'ROLLED_FORWARD'));
    m.onUpdate(status(300, 'u2', 'ROLLING_FORWARD'));
    m.onUpdate(status(350, 'u2', 'ROLLING_BACK'));
    m.onUpdate(status(360, 'u2', 'ROLL_BACK_PAUSED'));
    m.onUpdate(status(370, 'u2', 'ROLLING_BACK'));
    m.onUpdate(status(400, 'u2', 'ROLLED_BACK'));
    expect(m.lines(1000).map((l) => [l.kind, l.start, l.end, l.status])).toEqual([
      ['update', 100, 200, 'ROLLED_FORWARD'],
      ['update', 300, 400, 'ROLLED_BACK'],
      ['rollback', 350, 400, 'ROLLED_BACK'],
    ]);
    expect(m.lines(1000)[2]!.label).toBe('rollback www/prod/web: ROLLED_BACK');
  });

  it('closes what is still active at the end of the run and says so', () => {
    const m = new LifecycleMarkers();
    m.onUpdate(status(100, 'r1', 'ROLLING_FORWARD', 'restart'));
    m.onMaintenance(mode(50, 'h1', 'DRAINING'));
    const lines = m.lines(900);
    expect(lines.map((l) => [l.kind, l.start, l.end, l.open])).toEqual([
      ['drain', 50, 900, true],
      ['restart', 100, 900, true],
    ]);
    expect(lines[0]!.outcome).toBe('DRAINING');
    expect(lines[1]!.label).toBe('restart www/prod/web: still ROLLING_FORWARD at the end');
  });

  it('groups hosts drained together until the last is DRAINED, and activations into instants', () => {
    const m = new LifecycleMarkers();
    m.onMaintenance(mode(10, 'h1', 'DRAINING'));
    m.onMaintenance(mode(10, 'h2', 'DRAINING'));
    m.onMaintenance(mode(20, 'h3', 'DRAINING'));
    m.onMaintenance(mode(30, 'h1', 'DRAINED'));
    m.onMaintenance(mode(40, 'h3', 'NONE'));
    m.onMaintenance(mode(55, 'h2', 'DRAINED'));
    m.onMaintenance(mode(70, 'h1', 'NONE'));
    m.onMaintenance(mode(70, 'h2', 'NONE'));
    expect(m.lines(100).map((l) => [l.kind, l.start, l.end, l.hosts, l.outcome])).toEqual([
      ['drain', 10, 55, ['h1', 'h2'], 'DRAINED'],
      ['drain', 20, 40, ['h3'], 'NONE'],
      ['activate', 40, 40, ['h3'], undefined],
      ['activate', 70, 70, ['h1', 'h2'], undefined],
    ]);
    expect(m.lines(100)[0]!.label).toBe('drain h1, h2: drained');
    expect(m.lines(100)[1]!.label).toBe('drain h3: activated before drained');
  });
});
