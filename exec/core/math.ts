/** Numerical functions the kernel's users share: ln Γ (the likelihood, the toys' Poisson sampler). */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~1e-15 relative), with reflection below 0.5. */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  // exact small factorials keep integer-data NLLs bit-stable
  if (Number.isInteger(x) && x <= 30) {
    let f = 0;
    for (let k = 2; k < x; k++) f += Math.log(k);
    return f;
  }
  const z = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS_G + 2; i++) a += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln k! for integer k ≥ 0. */
export function logFactorial(k: number): number {
  return lgamma(k + 1);
}
