/** Angular separations: Δφ wrapped into [−π, π) and ΔR = √(Δη² + Δφ²). */

const TWO_PI = 2 * Math.PI;

/** φ₁ − φ₂ wrapped into [−π, π). */
export function deltaPhi(phi1: number, phi2: number): number {
  let d = phi1 - phi2;
  if (d >= Math.PI || d < -Math.PI) d -= TWO_PI * Math.floor((d + Math.PI) / TWO_PI);
  return d;
}

/** ΔR between two directions given as (η, φ). */
export function deltaR(eta1: number, phi1: number, eta2: number, phi2: number): number {
  const de = eta1 - eta2;
  const dp = deltaPhi(phi1, phi2);
  return Math.sqrt(de * de + dp * dp);
}
