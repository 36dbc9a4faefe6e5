import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('metrics factory', () => {
  it('gives the daemon handles whose values reach the exposition', async () => {
    const m = createMetrics();
    m.offersReceived.inc(5);
    m.offersDeclined.inc(2);
    m.launchLatency.observe(0.3);
    m.storageWriteLatency.observe(0.002);
    m.storageLogBytes.set(4096);
    m.leader.set(1);
    m.setMesosState('subscribed');
    m.mesosReconnects.inc();
    const text = await m.registry.metrics();
    expect(text).toMatch(/^borealis_offers_received_total 5$/m);
    expect(text).toMatch(/^borealis_launch_latency_seconds_bucket\{le="0\.5"\} 1$/m);
    expect(text).toMatch(/^borealis_mesos_subscription\{state="subscribed"\} 1$/m);
    expect(text).toMatch(/^borealis_mesos_subscription\{state="disconnected"\} 0$/m);
    expect(text).toMatch(/^borealis_storage_log_bytes 4096$/m);
  });

  it('keeps one registry per factory call (no global default registry)', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.leader.set(1);
    expect(await b.registry.metrics()).toMatch(/^borealis_leader 0$/m);
  });

  it('the Grafana dashboard only queries metrics the factory exports', async () => {
    const dashboard = readFileSync(new URL('../../../grafana/borealis.json', import.meta.url), 'utf8');
    const names = new Set((await createMetrics().registry.getMetricsAsJSON()).map((x) => x.name));
    const used = new Set(
      [...dashboard.matchAll(/borealis_[a-z_]+/g)].map((x) => x[0].replace(/_bucket$/, '')),
    );
    for (const name of used) expect(names, name).toContain(name);
    expect(used.size).toBeGreaterThan(8);
  });
});
