import type { HostSpec } from '@borealis/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostNameMap, scaleHosts } from './host-override.js';

const template = (id: string, zone: string, cpu = 16): HostSpec => ({
  id,
  resources: { cpu, ramMb: 65536, diskMb: 1000, gpus: 0 },
  ports: [[31000, 31100]],
  attributes: { rack: `r-${id}`, zone },
});

describe('scaleHosts', () => {
  it('grows the trace population in its mix, keeping attributes, and each trace host stands in by its first copy', () => {
    const trace = [template('a', 'x', 8), template('b', 'y'), template('c', 'y')];
    const { specs, standIns } = scaleHosts(6, trace);
    expect(specs.map((s) => [s.attributes.zone, s.resources.cpu])).toEqual([
      ['x', 8],
      ['x', 8],
      ['y', 16],
      ['y', 16],
      ['y', 16],
      ['y', 16],
    ]);
    expect(standIns).toEqual(['h00001', 'h00003', 'h00005']);
  });

  it('shrinks to an evenly spread sample; hosts left out have no stand-in', () => {
    const trace = ['a', 'b', 'c', 'd'].map((id) => template(id, id));
    const { specs, standIns } = scaleHosts(2, trace);
    expect(specs.map((s) => s.attributes.zone)).toEqual(['a', 'c']);
    expect(standIns).toEqual(['h00001', undefined, 'h00002', undefined]);
  });

  it('gives every host the resources --host-shape names, keeps the rest and the attributes', () => {
    const { specs } = scaleHosts(3, [template('a', 'x')], { cpu: 32, ramMb: 131072 });
    for (const s of specs) {
      expect(s.resources).toEqual({ cpu: 32, ramMb: 131072, diskMb: 1000, gpus: 0 });
      expect(s.attributes.zone).toBe('x');
    }
  });

  it('falls back to uniform hosts in racks of 40 for a trace without hosts', () => {
    const { specs } = scaleHosts(41, []);
    expect(specs[40]?.attributes).toEqual({ rack: 'r002' });
  });

  it('keeps each kind of host within one host of its share, at any size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 300 }),
        (zones, n) => {
          const trace = zones.map((z, i) => template(`t${i}`, z));
          const { specs } = scaleHosts(n, trace);
          expect(specs).toHaveLength(n);
          for (const z of new Set(zones)) {
            const share = (zones.filter((x) => x === z).length * n) / zones.length;
            const got = specs.filter((s) => s.attributes.zone === z).length;
            expect(Math.abs(got - share)).toBeLessThanOrEqual(zones.length);
          }
        },
      ),
    );
  });
});

describe('HostNameMap', () => {
  it('maps the k-th trace host to its stand-in, and none to hosts without one', () => {
    const m = new HostNameMap(['h1', undefined, 'h2']);
    expect([m.add('a'), m.add('b'), m.add('c'), m.add('d')]).toEqual(['h1', undefined, 'h2', undefined]);
    expect(m.resolve('c')).toBe('h2');
    expect(m.resolve('b')).toBeUndefined();
  });
});
