/**
 * What a record means depends on the lines before it: time must not go backwards, host events
 * need a host that was added, kills and updates need a job that was submitted. TraceContext
 * carries that state through one pass over a file. It holds one entry per known host and job,
 * never per record, so memory stays bounded by the cluster and job count.
 */
import type { JobKind } from '@borealis/core';
import type { FieldProblem } from './field-checks.js';
import type { TraceRecord } from './record.js';

interface JobState {
  kind: JobKind;
  instances: number;
}

export class TraceContext {
  private lastT = 0;
  /** host → true while present (added and not removed). */
  private readonly hosts = new Set<string>();
  private readonly jobs = new Map<string, JobState>();

  get hostCount(): number {
    return this.hosts.size;
  }

  /** Checks `r` against what came before and, if it is consistent, applies it. */
  accept(r: TraceRecord): FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (r.t < this.lastT) {
      problems.push({
        field: 't',
        message: `time ${r.t} is earlier than the previous record's ${this.lastT}`,
      });
    }
    switch (r.type) {
      case 'host_add':
        if (this.hosts.has(r.host))
          problems.push({ field: 'host', message: `host "${r.host}" was already added` });
        break;
      case 'host_remove':
      case 'host_down':
      case 'host_up':
        this.knownHost(r.host, 'host', problems);
        break;
      case 'host_drain':
      case 'host_activate':
        r.hosts.forEach((h, i) => {
          this.knownHost(h, `hosts[${i}]`, problems);
        });
        break;
      case 'job_submit': {
        if (this.jobs.has(r.job))
          problems.push({ field: 'job', message: `job "${r.job}" was already submitted and not killed` });
        break;
      }
      case 'job_update': {
        const known = this.knownJob(r.job, problems);
        if (known && r.kind === undefined) (r as { kind: JobKind }).kind = known.kind;
        else if (known && r.kind !== known.kind)
          problems.push({ field: 'kind', message: `job "${r.job}" is a ${known.kind} job, not ${r.kind}` });
        break;
      }
      case 'job_kill': {
        const known = this.knownJob(r.job, problems);
        if (known && r.instances) {
          r.instances.forEach((i, n) => {
            if (i >= known.instances)
              problems.push({
                field: `instances[${n}]`,
                message: `job "${r.job}" has instances 0..${known.instances - 1}, not ${i}`,
              });
          });
        }
        break;
      }
      case 'quota_set':
        break;
    }
    if (problems.length === 0) this.apply(r);
    return problems;
  }

  private apply(r: TraceRecord): void {
    this.lastT = r.t;
    switch (r.type) {
      case 'host_add':
        this.hosts.add(r.host);
        break;
      case 'host_remove':
        this.hosts.delete(r.host);
        break;
      case 'job_submit':
      case 'job_update':
        this.jobs.set(r.job, { kind: r.kind, instances: r.instances });
        break;
      case 'job_kill':
        // A job killed whole is gone and its key may be submitted again.
        if (!r.instances) this.jobs.delete(r.job);
        break;
      default:
        break;
    }
  }

  private knownHost(host: string, field: string, problems: FieldProblem[]): void {
    if (!this.hosts.has(host))
      problems.push({ field, message: `unknown host "${host}" (never added, or removed)` });
  }

  private knownJob(job: string, problems: FieldProblem[]): JobState | undefined {
    const known = this.jobs.get(job);
    if (!known) problems.push({ field: 'job', message: `unknown job "${job}" (never submitted, or killed)` });
    return known;
  }
}
