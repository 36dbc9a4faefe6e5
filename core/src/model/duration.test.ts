import { describe, expect, it } from 'vitest';
import { formatDuration, humanDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('parses every unit and plain milliseconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('36h')).toBe(129_600_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration(' 1200 ')).toBe(1200);
  });

  it('rejects what is not a duration', () => {
    for (const bad of ['', 'm', '-5m', '5 m', '5w', '1e3', 'abc', '9'.repeat(400)]) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });

  it('formats to the shortest exact spelling, which parses back', () => {
    for (const ms of [1, 999, 1000, 90_000, 5_400_000, 7_200_000, 86_400_000, 90_061_001]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(5_400_000)).toBe('90m');
  });

  it('reads humanly', () => {
    expect(humanDuration(250)).toBe('250ms');
    expect(humanDuration(1500)).toBe('1.5s');
    expect(humanDuration(723_000)).toBe('12m 3s');
    expect(humanDuration(187_200_000)).toBe('2d 4h');
  });
});
