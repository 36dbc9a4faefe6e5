import { humanDuration, parseDuration, UserError } from '@borealis/core';
import { describe, expect, it } from 'vitest';
import { durationFlag, hostShapeFlag, integerFlag, latencyPairFlag, positiveNumberFlag } from './flags.js';

describe('durations', () => {
  it('parses units and plain milliseconds', () => {
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('36h')).toBe(129_600_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1200')).toBe(1200);
    for (const bad of ['', 'm', '-1s', '1w', '1 h', 'abc']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('formats back', () => {
    expect(humanDuration(1500)).toBe('1.5s');
    expect(humanDuration(3_723_000)).toBe('1h 2m');
  });
});

describe('flag values', () => {
  it('name the flag in errors', () => {
    expect(() => durationFlag('--until', 'soon')).toThrow(UserError);
    expect(() => durationFlag('--until', 'soon')).toThrow(/--until/);
    expect(() => integerFlag('--hosts', '0', 1)).toThrow(/--hosts/);
    expect(() => integerFlag('--hosts', '2.5', 1)).toThrow(/--hosts/);
    expect(() => positiveNumberFlag('--load-scale', '0')).toThrow(/--load-scale/);
  });

  it('parses latency pairs', () => {
    expect(latencyPairFlag('--launch-latency', '1s,2s')).toEqual([1000, 2000]);
    expect(latencyPairFlag('--launch-latency', '500')).toEqual([500, 500]);
    expect(() => latencyPairFlag('--launch-latency', '1s,2s,3s')).toThrow(/--launch-latency/);
  });

  it('parses host shapes', () => {
    expect(hostShapeFlag('--host-shape', 'cpu=16,ramMb=65536')).toEqual({
      cpu: 16,
      ramMb: 65536,
      diskMb: 1048576,
      gpus: 0,
    });
    expect(hostShapeFlag('--host-shape', 'cpu=8,ram=1024,disk=10,gpus=2')).toEqual({
      cpu: 8,
      ramMb: 1024,
      diskMb: 10,
      gpus: 2,
    });
    expect(() => hostShapeFlag('--host-shape', 'cpu=x')).toThrow(/--host-shape/);
    expect(() => hostShapeFlag('--host-shape', 'cores=3')).toThrow(/cores=3/);
    expect(() => hostShapeFlag('--host-shape', 'cpu=0')).toThrow(/--host-shape/);
  });
});
