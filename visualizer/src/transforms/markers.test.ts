import { describe, expect, it } from 'vitest';
import { hostsDownMarkers } from './markers.js';

describe('hostsDownMarkers', () => {
  it('finds each interval with hosts missing, ending when they are back', () => {
    const t = [0, 10, 20, 30, 40, 50];
    const up = [100, 100, 60, 70, 100, 90];
    expect(hostsDownMarkers(t, up)).toEqual([
      { kind: 'hosts-down', start: 20, end: 40, label: '40 of 100 hosts down' },
      { kind: 'hosts-down', start: 50, end: 50, label: '10 of 100 hosts down' },
    ]);
  });

  it('finds nothing when every host stays up', () => {
    expect(hostsDownMarkers([0, 1], [5, 5])).toEqual([]);
  });
});
