/** A small, fast, seedable random number generator (sfc32) with the distributions the event model draws from. */

/** splitmix32: spreads a seed and a stream index over the generator's 128-bit state. */
function splitmix32(x: number): () => number {
  let s = x >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = Number.NaN;

  /** Independent streams for (seed, stream): each cluster of events draws from its own stream. */
  constructor(seed: number, stream = 0) {
    const mix = splitmix32((seed >>> 0) ^ Math.imul(stream + 1, 0x27d4eb2d));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix() | 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** 32 random bits (sfc32). */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform in (0, 1]: safe under a logarithm. */
  open(): number {
    return (this.u32() + 1) / 4294967296;
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal (Marsaglia's polar method, the second value kept). */
  normal(mean = 0, sigma = 1): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = Number.NaN;
      return mean + sigma * v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return mean + sigma * u * f;
  }

  exponential(mean: number): number {
    return -mean * Math.log(this.open());
  }

  /** Poisson by multiplication of uniforms (means here are small). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.open();
    while (p > limit) {
      k++;
      p *= this.open();
    }
    return k;
  }

  /** Relativistic Breit–Wigner (Cauchy in mass) truncated to [lo, hi], by inverting the Cauchy CDF. */
  breitWigner(mass: number, width: number, lo: number, hi: number): number {
    const half = width / 2;
    const a = Math.atan((lo - mass) / half);
    const b = Math.atan((hi - mass) / half);
    return mass + half * Math.tan(a + (b - a) * this.uniform());
  }

  /** Falling power-law spectrum dN/dx ∝ x^-n above `min` (n > 1). */
  powerLaw(min: number, n: number): number {
    return min * this.open() ** (-1 / (n - 1));
  }

  /** -1 or +1. */
  sign(): number {
    return this.u32() & 1 ? 1 : -1;
  }
}
