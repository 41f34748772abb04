/** The event model's generator: hepq's one seeded generator plus the spectra the physics draws from. */
import { Rng as CoreRng } from '../../exec/core/index.js';

export class Rng extends CoreRng {
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
}
