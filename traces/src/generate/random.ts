/**
 * Seeded random variates for the generator. One stream (seedrandom's Alea: fast and with a
 * well-defined sequence for a given seed string) feeds every draw, in a fixed order, which is
 * what makes generated traces byte-identical for a seed.
 */
import seedrandom from 'seedrandom';

/** A lognormal given by its median (e^mu) and the sigma of the underlying normal, clamped to [min, max]. */
export interface LogNormal {
  readonly median: number;
  readonly sigma: number;
  readonly min: number;
  readonly max: number;
}

/** A Pareto (type I) with scale xm and shape alpha, truncated at max. */
export interface Pareto {
  readonly xm: number;
  readonly alpha: number;
  readonly max: number;
}

export class Random {
  private readonly next: () => number;
  private spare: number | undefined;

  constructor(seed: string | number) {
    this.next = seedrandom.alea(String(seed));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks an index with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal by Box–Muller, caching the second variate. */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  logNormal(d: LogNormal): number {
    const x = d.median * Math.exp(d.sigma * this.normal());
    return Math.min(Math.max(x, d.min), d.max);
  }

  pareto(d: Pareto): number {
    const x = d.xm / (1 - this.next()) ** (1 / d.alpha);
    return Math.min(x, d.max);
  }

  /** Poisson-distributed count (Knuth for small means, normal approximation above 50). */
  poisson(mean: number): number {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}
