/**
 * Reads a compiled model's modifiers into the GPU's flat element tables by probing each one at a few α values
 * and matching an interpolation code exactly; modifiers no GPU kind reproduces are refused (the CPU runs them).
 */
import { HepqError } from '../../exec/batch/index.js';
import { code4Coefficients, type InterpCode, interpDelta, interpFactor } from '../model/interpolation.js';
import type { CompiledModifier } from '../model/modifier.js';

/** GPU element kinds: 0 factor = θ, 1 normsys code 4, 2 normsys code 1, 3 additive code 0, 4 additive code 4p. */
export const KIND = { factor: 0, code4: 1, code1: 2, add0: 3, add4p: 4 } as const;

export interface ElementTables {
  /** sb, par, kind per element. */
  readonly ints: Int32Array;
  /** up (or du), dn (or dd), then code-4 coefficients a1..a6 per element. */
  readonly floats: Float32Array;
  readonly count: number;
}

const PROBES = [0.37, -0.61, 1.4, -1.7, 0.93];

function probe(m: CompiledModifier, nPars: number, alpha: number): Float64Array {
  m.eval(new Float64Array(nPars).fill(alpha));
  return m.value.slice();
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The GPU kind reproducing element e of `m` at every probe, given its values at α = ±1. */
function matchKind(
  m: CompiledModifier,
  e: number,
  up: number,
  dn: number,
  at: readonly Float64Array[],
): number {
  const out = new Float64Array(2);
  const fits = (f: (alpha: number) => number) => PROBES.every((a, i) => close(f(a), at[i]![e]!));
  if (
    m.type === 'normfactor' ||
    m.type === 'lumi' ||
    m.type === 'shapefactor' ||
    m.type === 'shapesys' ||
    m.type === 'staterror'
  )
    return fits((a) => a) ? KIND.factor : -1;
  if (!m.additive) {
    for (const [code, kind] of [
      ['code4', KIND.code4],
      ['code1', KIND.code1],
    ] as const) {
      if (
        fits((a) => {
          interpFactor(code as InterpCode, a, up, dn, null, out);
          return out[0]!;
        })
      )
        return kind;
    }
    return -1;
  }
  const du = up;
  const dd = -dn;
  for (const [code, kind] of [
    ['code4p', KIND.add4p],
    ['code0', KIND.add0],
  ] as const) {
    if (
      fits((a) => {
        interpDelta(code as InterpCode, a, du, dd, out);
        return out[0]!;
      })
    )
      return kind;
  }
  return -1;
}

/** Flat tables of all modifiers' elements, or HepqError('gpu/unsupported') naming the modifier the GPU cannot evaluate. */
export function elementTables(modifiers: readonly CompiledModifier[], nPars: number): ElementTables {
  const count = modifiers.reduce((a, m) => a + m.sb.length, 0);
  const ints = new Int32Array(3 * count);
  const floats = new Float32Array(8 * count);
  const coeffs = new Float64Array(6);
  let i = 0;
  for (const m of modifiers) {
    const hi = probe(m, nPars, 1);
    const lo = probe(m, nPars, -1);
    const at = PROBES.map((a) => probe(m, nPars, a));
    for (let e = 0; e < m.sb.length; e++, i++) {
      const kind = matchKind(m, e, hi[e]!, lo[e]!, at);
      if (kind < 0)
        throw new HepqError(
          'gpu/unsupported',
          `${m.type} modifier element ${e}: no GPU interpolation reproduces it (normsys codes 4 and 1, histosys 4p and 0 are supported)`,
        );
      ints[3 * i] = m.sb[e]!;
      ints[3 * i + 1] = m.par[e]!;
      ints[3 * i + 2] = kind;
      if (kind === KIND.add0 || kind === KIND.add4p) {
        floats[8 * i] = hi[e]!;
        floats[8 * i + 1] = -lo[e]!;
      } else {
        floats[8 * i] = hi[e]!;
        floats[8 * i + 1] = lo[e]!;
      }
      if (kind === KIND.code4) {
        code4Coefficients(hi[e]!, lo[e]!, coeffs);
        floats.set(coeffs, 8 * i + 2);
      }
    }
  }
  return { ints, floats, count };
}
