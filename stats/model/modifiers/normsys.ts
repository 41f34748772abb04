/** `normsys`: a normalisation uncertainty, factor interpolated between lo and hi (pyhf default code 4), α ~ N(0, 1). */
import type { ModifierSpec, NormsysData } from '../../spec/types.js';
import { code4Coefficients, type InterpCode, interpFactor } from '../interpolation.js';
import type { CompiledModifier, ModifierBuilder, ParamRequirement, SampleSlot } from '../modifier.js';

/** Requirement of a Gaussian-constrained scalar α (normsys and histosys share it). */
export function alphaRequirement(type: 'normsys' | 'histosys'): ParamRequirement {
  return {
    type,
    n: 1,
    inits: [0],
    bounds: [[-5, 5]],
    fixed: [false],
    constraint: 'normal',
    auxdata: [0],
    sigmas: [1],
    factors: [],
  };
}

export class NormsysBuilder implements ModifierBuilder {
  readonly type = 'normsys' as const;
  private readonly entries: { name: string; slot: SampleSlot; hi: number; lo: number }[] = [];
  constructor(private readonly code: InterpCode) {}
  add(slot: SampleSlot, mod: ModifierSpec): void {
    const d = mod.data as NormsysData;
    this.entries.push({ name: mod.name, slot, hi: d.hi, lo: d.lo });
  }
  requirements(): Map<string, ParamRequirement> {
    const out = new Map<string, ParamRequirement>();
    for (const e of this.entries) if (!out.has(e.name)) out.set(e.name, alphaRequirement('normsys'));
    return out;
  }
  compile(offsetOf: (name: string) => number): CompiledModifier | null {
    const k = this.entries.length;
    if (!k) return null;
    const code = this.code;
    const entryPar = new Int32Array(k);
    const up = new Float64Array(k);
    const dn = new Float64Array(k);
    const coeffs = new Float64Array(6 * k);
    const start = new Int32Array(k + 1);
    let n = 0;
    this.entries.forEach((e, i) => {
      entryPar[i] = offsetOf(e.name);
      up[i] = e.hi;
      dn[i] = e.lo;
      if (code === 'code4') code4Coefficients(e.hi, e.lo, coeffs.subarray(6 * i, 6 * i + 6));
      start[i] = n;
      n += e.slot.nbins;
    });
    start[k] = n;
    const sb = new Int32Array(n);
    const par = new Int32Array(n);
    this.entries.forEach((e, i) => {
      for (let b = 0; b < e.slot.nbins; b++) {
        sb[start[i]! + b] = e.slot.sbStart + b;
        par[start[i]! + b] = entryPar[i]!;
      }
    });
    const value = new Float64Array(n);
    const deriv = new Float64Array(n);
    const tmp = new Float64Array(2);
    return {
      type: 'normsys',
      additive: false,
      count: k,
      sb,
      par,
      value,
      deriv,
      eval(theta) {
        for (let i = 0; i < k; i++) {
          interpFactor(
            code,
            theta[entryPar[i]!]!,
            up[i]!,
            dn[i]!,
            code === 'code4' ? coeffs.subarray(6 * i, 6 * i + 6) : null,
            tmp,
          );
          const f = tmp[0]!;
          const df = tmp[1]!;
          for (let e = start[i]!; e < start[i + 1]!; e++) {
            value[e] = f;
            deriv[e] = df;
          }
        }
      },
    };
  }
}
