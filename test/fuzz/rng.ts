/** The fuzz harness's seeded random numbers: one independent, reproducible stream per (seed, case index). */

/** A random stream (mulberry32 over a splitmix-mixed seed): the same seed always gives the same cases. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = mix(seed >>> 0);
  }

  /** A stream for case `index` of run `seed`, independent of how many cases came before it. */
  static forCase(seed: number, index: number): Rng {
    return new Rng(mix((seed >>> 0) ^ mix(index + 0x9e3779b9)));
  }

  /** A float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

function mix(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
