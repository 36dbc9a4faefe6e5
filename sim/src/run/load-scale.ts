import type { JobSubmitRecord } from '@borealis/traces';

/**
 * `--load-scale X` scales job arrivals, as `trace generate --load` does: the services already
 * running at t=0 (submitted at t=0) are the cell's standing footprint and stay as they are, unless
 * `standing` is set (`--load-scale-standing`). X ≥ 1: every job_submit is kept and floor(X) − 1 copies
 * are added, plus one more with probability frac(X); each copy arrives up to `jitterMs` later
 * (uniform, seeded) under the name `<name>-x<k>`. X < 1: each job_submit is kept with
 * probability X. Kills and updates of a job apply to its copies; those of a dropped job are
 * ignored (and counted). Decisions use a random stream of their own, so the placement policy's
 * draws are the same at every load scale.
 */
export class LoadScaler {
  constructor(
    private readonly scale: number,
    private readonly jitterMs: number,
    private readonly random: () => number,
    private readonly standing = false,
  ) {}

  get active(): boolean {
    return this.scale !== 1;
  }

  /** Whether the submission is an arrival to scale (not a standing service at t=0). */
  scales(record: JobSubmitRecord): boolean {
    return this.scale !== 1 && (this.standing || record.t > 0 || record.kind !== 'service');
  }

  /** Whether the original submission is kept. */
  keep(): boolean {
    return this.scale >= 1 || this.random() < this.scale;
  }

  /** The extra copies of a submission, with their arrival times. */
  copies(record: JobSubmitRecord): JobSubmitRecord[] {
    if (this.scale <= 1) return [];
    const whole = Math.floor(this.scale);
    let n = whole - 1;
    if (this.random() < this.scale - whole) n++;
    const out: JobSubmitRecord[] = [];
    for (let k = 1; k <= n; k++) {
      const t = record.t + Math.floor(this.random() * this.jitterMs);
      out.push({ ...record, t, job: copyName(record.job, k) });
    }
    return out;
  }
}

export const copyName = (job: string, k: number): string => `${job}-x${k}`;
