import { describe, expect, it } from 'vitest';
import type { MachineInfo } from './machine.js';
import { shapeResultFile } from './result-file.js';

const machine: MachineInfo = {
  cpuModel: 'Test CPU',
  cores: 2,
  memoryMb: 1024,
  node: 'v20.0.0',
  platform: 'linux',
  arch: 'x64',
  loadAverage1m: 0.5,
  nodeFlags: '',
};
const date = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));

describe('shapeResultFile', () => {
  it('wraps a record as { suite, date, machine, results }', () => {
    expect(shapeResultFile('core', date, machine, { a: 1 })).toEqual({
      suite: 'core',
      date: '2025-01-02T03:04:05.000Z',
      machine,
      results: { a: 1 },
    });
  });

  it('writes a list as an array with suite, date and machine stamped into every entry', () => {
    const shaped = shapeResultFile('placement', date, machine, [{ policy: 'a' }, { policy: 'b' }]);
    expect(shaped).toEqual([
      { suite: 'placement', date: '2025-01-02T03:04:05.000Z', machine, policy: 'a' },
      { suite: 'placement', date: '2025-01-02T03:04:05.000Z', machine, policy: 'b' },
    ]);
  });

  it('refuses entries that would overwrite a stamped key', () => {
    expect(() => shapeResultFile('placement', date, machine, [{ machine: 'mine' }])).toThrow(
      /reserved key "machine"/,
    );
  });
});
