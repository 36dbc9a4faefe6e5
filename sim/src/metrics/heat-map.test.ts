import { describe, expect, it } from 'vitest';
import { CPU, HostTable, RAM, RES } from '../cluster/host-table.js';
import { HeatMap } from './heat-map.js';

function hosts(n: number): HostTable {
  const t = new HostTable();
  for (let i = 0; i < n; i++)
    t.add({ id: `h${i}`, resources: { cpu: 10, ramMb: 100, diskMb: 0, gpus: 0 }, ports: [], attributes: {} });
  return t;
}

/** Sets a host's usage through hold(), the way the cluster changes it. */
function setUsed(table: HostTable, h: number, cpu: number, ramMb: number): void {
  const o = h * RES;
  table.hold(
    h,
    { cpu: cpu - table.used[o + CPU]!, ramMb: ramMb - table.used[o + RAM]!, diskMb: 0, gpus: 0 },
    1,
  );
}

describe('HeatMap', () => {
  it('lays cells out row-major by host; hosts added later read 0 before they existed', () => {
    const table = hosts(150);
    const map = new HeatMap();
    const samples = 5;
    for (let s = 0; s < samples; s++) {
      if (s === 2)
        table.add({
          id: 'late',
          resources: { cpu: 10, ramMb: 100, diskMb: 0, gpus: 0 },
          ports: [],
          attributes: {},
        });
      // Only some hosts change at each sample: the rest must carry over unchanged.
      for (let h = 0; h < table.count; h++) {
        if ((h + s) % 3 !== 0 || s === 0) setUsed(table, h, (h * 7 + s) % 11, ((h + s * 3) % 5) * 20);
      }
      map.sample(s * 1000, table);
    }
    const { cpu, ramMb } = map.cells(table.count);
    expect(map.times).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(cpu.length).toBe(151 * samples);
    const at = (h: number, s: number): number => {
      let k = s;
      while (k > 0 && (h + k) % 3 === 0) k--;
      return k;
    };
    const cpuCell = (h: number, s: number): number =>
      h === 150 && s < 2 ? 0 : Math.round((255 * ((h * 7 + s) % 11)) / 10);
    const ramCell = (h: number, s: number): number =>
      h === 150 && s < 2 ? 0 : Math.round((255 * ((h + s * 3) % 5) * 20) / 100);
    for (let h = 0; h < 151; h++) {
      for (let s = 0; s < samples; s++) {
        expect(cpu[h * samples + s]).toBe(Math.min(255, cpuCell(h, at(h, s))));
        expect(ramMb[h * samples + s]).toBe(ramCell(h, at(h, s)));
      }
    }
  });

  it('shows a host that went down as 0 and back at its load once up again', () => {
    const table = hosts(3);
    setUsed(table, 1, 5, 50);
    const map = new HeatMap();
    map.sample(0, table);
    table.setUp(1, 0);
    map.sample(1, table);
    map.sample(2, table);
    table.setUp(1, 1);
    map.sample(3, table);
    expect([...map.cells(3).cpu.subarray(4, 8)]).toEqual([128, 0, 0, 128]);
  });

  it('keeps every other sample once over budget', () => {
    const table = hosts(10);
    const map = new HeatMap(40);
    for (let s = 0; s < 8; s++) map.sample(s, table);
    expect(map.times).toEqual([0, 2, 4, 6]);
    expect(map.cells(10).cpu.length).toBe(40);
  });
});
