import type { HostSpec } from '@borealis/core';
import { openTrace } from '@borealis/traces';

/**
 * The hosts a trace starts with: its host_add records before the first job arrives. `--hosts N`
 * scales this population (host-override.ts), and `sim plan` starts its search at its size.
 */
export async function initialHosts(path: string): Promise<HostSpec[]> {
  const trace = await openTrace(path);
  const out: HostSpec[] = [];
  // Breaking out of the loop closes the file.
  for await (const r of trace.records) {
    if (r.type === 'host_add') {
      out.push({
        id: r.host,
        resources: { cpu: r.cpu, ramMb: r.ramMb, diskMb: r.diskMb, gpus: r.gpus },
        ports: r.ports,
        attributes: r.attributes,
      });
    } else if (r.type === 'job_submit') break;
  }
  return out;
}
