/** The HEP built-ins, as plain functions and as scalar functions for a registry (func_adl and SQL). */
import type { DataType } from '../../exec/batch/index.js';
import type { FunctionRegistry, ScalarFunction } from '../api.js';
import { deltaPhi, deltaR } from './angles.js';
import { add, fromPtEtaPhiM, invariantMass, mass, transverseMass } from './four-vector.js';
import { rand, randn } from './random.js';

export * from './angles.js';
export * as fourVector from './four-vector.js';
export { rand, randn } from './random.js';

const f64: DataType = { kind: 'primitive', type: 'float64' };

/** The HEP scalar functions under the names users write in queries. */
export const HEP_SCALARS: readonly ScalarFunction[] = [
  { name: 'DeltaPhi', arity: [2], returns: f64, description: 'φ₁ − φ₂ wrapped into [−π, π)', fn: deltaPhi },
  { name: 'DeltaR', arity: [4], returns: f64, description: 'ΔR from (η₁, φ₁, η₂, φ₂)', fn: deltaR },
  {
    name: 'InvariantMass2',
    arity: [8],
    returns: f64,
    description: 'invariant mass of two objects from (pt, η, φ, m) each',
    fn: (pt1, eta1, phi1, m1, pt2, eta2, phi2, m2) =>
      mass(add(fromPtEtaPhiM(pt1!, eta1!, phi1!, m1!), fromPtEtaPhiM(pt2!, eta2!, phi2!, m2!))),
  },
  {
    name: 'InvariantMass3',
    arity: [12],
    returns: f64,
    description: 'invariant mass of three objects from (pt, η, φ, m) each',
    fn: (...a) =>
      invariantMass(
        [a[0]!, a[4]!, a[8]!],
        [a[1]!, a[5]!, a[9]!],
        [a[2]!, a[6]!, a[10]!],
        [a[3]!, a[7]!, a[11]!],
      ),
  },
  {
    name: 'TransverseMass',
    arity: [4],
    returns: f64,
    description: 'transverse mass from (pt₁, φ₁, pt₂, φ₂)',
    fn: transverseMass,
  },
  {
    name: 'rand',
    arity: [2, 3, 4],
    returns: f64,
    description:
      'uniform in [0, 1) from (seed, key1[, key2[, key3]]): a hash of its arguments, the same in every run, thread and file order',
    fn: rand,
  },
  {
    name: 'randn',
    arity: [2, 3, 4],
    returns: f64,
    description: 'standard normal from (seed, key1[, key2[, key3]]), reproducible like rand',
    fn: randn,
  },
];

/** Register the HEP built-ins. */
export function registerHepFunctions(registry: FunctionRegistry): FunctionRegistry {
  for (const f of HEP_SCALARS) registry.registerScalar(f);
  return registry;
}
