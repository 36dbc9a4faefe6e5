/**
 * Requested resources over time, as if every task ran the moment it was submitted: batch tasks
 * hold their request for their `durationMs`, services until killed. Capacity follows host
 * add/remove/down/up. Per-task end times live in a typed-array heap, so a million tasks cost
 * a few megabytes. Partial kills of batch jobs are not tracked per instance (their tasks are
 * released at their recorded end): the curve is demand, not a simulation.
 */
import { instanceDurationMs, type TraceRecord } from '../format/record.js';

export interface DemandSample {
  readonly t: number;
  readonly capacityCpu: number;
  readonly capacityRamMb: number;
  readonly peakCpu: number;
  readonly peakRamMb: number;
}

const R = 4; // cpu, ramMb, diskMb, gpus

export class DemandTracker {
  readonly requested = new Float64Array(R);
  readonly capacity = new Float64Array(R);
  readonly peakRequested = new Float64Array(R);
  readonly peakRatio = new Float64Array(R);
  readonly samples: DemandSample[] = [];

  private heapT = new Float64Array(1024);
  private heapJob = new Int32Array(1024);
  private heapSize = 0;
  private jobRes = new Float64Array(1024 * R);
  private jobLive = new Int32Array(1024);
  private jobCount = 0;
  private readonly jobIndex = new Map<string, number>();
  private readonly hosts = new Map<string, { res: readonly number[]; up: boolean }>();

  private bucket = -1;
  private bucketPeakCpu = 0;
  private bucketPeakRam = 0;

  constructor(readonly bucketMs: number) {}

  add(r: TraceRecord): void {
    this.releaseUntil(r.t);
    this.enterBucket(r.t);
    switch (r.type) {
      case 'host_add':
        this.hosts.set(r.host, { res: [r.cpu, r.ramMb, r.diskMb, r.gpus], up: false });
        this.changeCapacity(r.host, true);
        break;
      case 'host_up':
        this.changeCapacity(r.host, true);
        break;
      case 'host_down':
      case 'host_remove':
        this.changeCapacity(r.host, false);
        if (r.type === 'host_remove') this.hosts.delete(r.host);
        break;
      case 'job_submit':
      case 'job_update': {
        const j = this.jobSlot(r.job);
        this.release(j, this.jobLive[j]!);
        const t = r.task;
        const base = j * R;
        this.jobRes.set([t.cpu, t.ramMb, t.diskMb, t.gpus], base);
        this.jobLive[j] = r.instances;
        for (let k = 0; k < R; k++) this.requested[k]! += this.jobRes[base + k]! * r.instances;
        if (r.durationMs !== undefined && r.kind !== 'service') {
          for (let i = 0; i < r.instances; i++) this.pushEnd(r.t + (instanceDurationMs(r, i) ?? 0), j);
        }
        break;
      }
      case 'job_kill': {
        const j = this.jobIndex.get(r.job);
        if (j === undefined) break;
        this.release(j, r.instances ? Math.min(r.instances.length, this.jobLive[j]!) : this.jobLive[j]!);
        break;
      }
      default:
        break;
    }
    this.atBucketStart(r.t);
    this.observe();
  }

  /** A bucket covers [start, end): what happens at its start instant sets its starting level. */
  private atBucketStart(t: number): void {
    if (t !== this.bucket * this.bucketMs) return;
    this.bucketPeakCpu = this.requested[0]!;
    this.bucketPeakRam = this.requested[1]!;
  }

  /** Closes the last bucket; call once after the last record. */
  finish(endT: number): void {
    this.releaseUntil(endT);
    this.enterBucket(endT);
    if (this.bucket >= 0) this.pushSample();
  }

  private changeCapacity(host: string, up: boolean): void {
    const h = this.hosts.get(host);
    if (!h || h.up === up) return;
    h.up = up;
    for (let k = 0; k < R; k++) this.capacity[k]! += up ? h.res[k]! : -h.res[k]!;
  }

  private jobSlot(name: string): number {
    let j = this.jobIndex.get(name);
    if (j !== undefined) return j;
    j = this.jobCount++;
    if (j >= this.jobLive.length) {
      const live = new Int32Array(this.jobLive.length * 2);
      live.set(this.jobLive);
      this.jobLive = live;
      const res = new Float64Array(this.jobRes.length * 2);
      res.set(this.jobRes);
      this.jobRes = res;
    }
    this.jobIndex.set(name, j);
    return j;
  }

  private release(j: number, n: number): void {
    if (n <= 0) return;
    const base = j * R;
    for (let k = 0; k < R; k++) this.requested[k]! -= this.jobRes[base + k]! * n;
    this.jobLive[j]! -= n;
  }

  private releaseUntil(t: number): void {
    while (this.heapSize > 0 && this.heapT[0]! <= t) {
      const te = this.heapT[0]!;
      const j = this.popEnd();
      this.enterBucket(te);
      this.release(j, Math.min(1, this.jobLive[j]!));
      this.atBucketStart(te);
    }
  }

  private observe(): void {
    for (let k = 0; k < R; k++) {
      const req = this.requested[k]!;
      if (req > this.peakRequested[k]!) this.peakRequested[k] = req;
      const cap = this.capacity[k]!;
      if (cap > 0 && req / cap > this.peakRatio[k]!) this.peakRatio[k] = req / cap;
    }
    if (this.requested[0]! > this.bucketPeakCpu) this.bucketPeakCpu = this.requested[0]!;
    if (this.requested[1]! > this.bucketPeakRam) this.bucketPeakRam = this.requested[1]!;
  }

  private enterBucket(t: number): void {
    const b = Math.floor(t / this.bucketMs);
    if (b === this.bucket) return;
    if (this.bucket >= 0) this.pushSample();
    // Empty buckets in between carry the current level.
    for (let e = this.bucket + 1; e < b; e++) {
      this.bucket = e;
      this.bucketPeakCpu = this.requested[0]!;
      this.bucketPeakRam = this.requested[1]!;
      this.pushSample();
    }
    this.bucket = b;
    this.bucketPeakCpu = this.requested[0]!;
    this.bucketPeakRam = this.requested[1]!;
  }

  private pushSample(): void {
    this.samples.push({
      t: this.bucket * this.bucketMs,
      capacityCpu: this.capacity[0]!,
      capacityRamMb: this.capacity[1]!,
      peakCpu: this.bucketPeakCpu,
      peakRamMb: this.bucketPeakRam,
    });
  }

  private pushEnd(t: number, j: number): void {
    if (this.heapSize === this.heapT.length) {
      const ht = new Float64Array(this.heapT.length * 2);
      ht.set(this.heapT);
      this.heapT = ht;
      const hj = new Int32Array(this.heapJob.length * 2);
      hj.set(this.heapJob);
      this.heapJob = hj;
    }
    let i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.heapT[p]! <= t) break;
      this.heapT[i] = this.heapT[p]!;
      this.heapJob[i] = this.heapJob[p]!;
      i = p;
    }
    this.heapT[i] = t;
    this.heapJob[i] = j;
  }

  private popEnd(): number {
    const top = this.heapJob[0]!;
    const n = --this.heapSize;
    const t = this.heapT[n]!;
    const j = this.heapJob[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && this.heapT[l + 1]! < this.heapT[l]! ? l + 1 : l;
      if (this.heapT[c]! >= t) break;
      this.heapT[i] = this.heapT[c]!;
      this.heapJob[i] = this.heapJob[c]!;
      i = c;
    }
    this.heapT[i] = t;
    this.heapJob[i] = j;
    return top;
  }
}
