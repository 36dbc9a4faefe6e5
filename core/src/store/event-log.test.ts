import { describe, expect, it } from 'vitest';
import { STATE_INDEX } from '../lifecycle/transitions.js';
import { EventLog } from './event-log.js';

describe('EventLog', () => {
  it('keeps each slot its own history, oldest first', () => {
    const log = new EventLog();
    log.append(0, 1, STATE_INDEX.PENDING, 'created');
    log.append(5000, 2, STATE_INDEX.PENDING, undefined);
    log.append(0, 3, STATE_INDEX.ASSIGNED, 'to h1');
    expect(log.events(0)).toEqual([
      { time: 1, state: 'PENDING', message: 'created' },
      { time: 3, state: 'ASSIGNED', message: 'to h1' },
    ]);
    expect(log.events(5000)).toEqual([{ time: 2, state: 'PENDING', message: undefined }]);
    expect(log.events(7)).toEqual([]);
  });

  it('drops forgotten histories and compacts without disturbing live ones', () => {
    const log = new EventLog(10);
    for (let slot = 0; slot < 20; slot++) {
      for (let k = 0; k < 3; k++) log.append(slot, slot * 10 + k, STATE_INDEX.RUNNING, `s${slot}e${k}`);
    }
    for (let slot = 0; slot < 20; slot++) if (slot % 4 !== 3) log.forget(slot);
    expect(log.size).toBe(15); // 45 of 60 entries were garbage: the log has been rewritten
    log.append(0, 999, STATE_INDEX.PENDING, 'reused slot');
    expect(log.events(0)).toEqual([{ time: 999, state: 'PENDING', message: 'reused slot' }]);
    expect(log.events(7).map((e) => e.message)).toEqual(['s7e0', 's7e1', 's7e2']);
    expect(log.events(19).map((e) => e.time)).toEqual([190, 191, 192]);
  });
});
