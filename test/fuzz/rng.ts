/** The fuzz harness's seeded random numbers: one independent, reproducible stream per (seed, case index). */
import { Rng as CoreRng } from '../../exec/core/index.js';

/** Integer-range helpers over hepq's one seeded generator: the same seed always gives the same cases. */
export class Rng {
  private readonly r: CoreRng;

  constructor(seed: number, index = 0) {
    this.r = new CoreRng(seed, index);
  }

  /** A stream for case `index` of run `seed`, independent of how many cases came before it. */
  static forCase(seed: number, index: number): Rng {
    return new Rng(seed, index);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.r.uniform();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return this.r.int(n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.r.chance(p);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}
