/** A small seeded random generator (sfc32, 53-bit uniforms) with normal and Poisson samplers, for reproducible toys. */
import { lgamma } from '../math/special.js';

/** splitmix32 step: spreads a 32-bit seed over the state. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  /** A generator for stream `stream` of seed `seed`: each (seed, stream) pair is an independent sequence. */
  constructor(seed: number, stream = 0) {
    let s = splitmix32((seed >>> 0) ^ Math.imul(stream + 1, 0x27d4eb2d));
    this.a = s;
    s = splitmix32(s ^ stream);
    this.b = s;
    s = splitmix32(s ^ (seed >>> 0));
    this.c = s;
    this.d = 1;
    for (let i = 0; i < 16; i++) this.next32();
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** uniform in [0, 1) with 53 random bits */
  uniform(): number {
    const hi = this.next32() >>> 5;
    const lo = this.next32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson(λ): inversion for λ < 10, Hörmann's transformed rejection (PTRS) above. */
  poisson(lam: number): number {
    if (!(lam > 0)) return 0;
    if (lam < 10) {
      const L = Math.exp(-lam);
      let k = 0;
      let p = this.uniform();
      while (p > L) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    const slam = Math.sqrt(lam);
    const loglam = Math.log(lam);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.uniform() - 0.5;
      const V = this.uniform();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - lgamma(k + 1))
        return k;
    }
  }
}
