import { describe, expect, it } from 'vitest';
import { fmtClock, fmtDuration, fmtNumber, fmtResource } from './format.js';

describe('formats', () => {
  it('formats simulated clock time', () => {
    expect(fmtClock(0)).toBe('00:00');
    expect(fmtClock(14 * 3_600_000 + 5 * 60_000)).toBe('14:05');
    expect(fmtClock(86_400_000 + 3_600_000 + 1000, true)).toBe('d1 01:00:01');
  });

  it('picks a duration unit', () => {
    expect(fmtDuration(850)).toBe('850 ms');
    expect(fmtDuration(12_400)).toBe('12.4 s');
    expect(fmtDuration(90_000)).toBe('1.5 min');
    expect(fmtDuration(2.25 * 3_600_000)).toBe('2.25 h');
  });

  it('formats numbers and resources', () => {
    expect(fmtNumber(1234567)).toBe('1,234,567');
    expect(fmtNumber(0.12345)).toBe('0.123');
    expect(fmtResource('ramMb', 2048)).toBe('2 GiB');
    expect(fmtResource('ramMb', 3 * 1024 * 1024)).toBe('3 TiB');
  });
});
