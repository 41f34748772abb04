/** `histosys`: a shape uncertainty, each bin interpolated between lo_data and hi_data (pyhf default code 4p), α ~ N(0, 1). */
import type { HistosysData, ModifierSpec } from '../../spec/types.js';
import { code4Coefficients, type InterpCode, interpDelta, interpFactor } from '../interpolation.js';
import type { CompiledModifier, ModifierBuilder, ParamRequirement, SampleSlot } from '../modifier.js';
import { alphaRequirement } from './normsys.js';

export class HistosysBuilder implements ModifierBuilder {
  readonly type = 'histosys' as const;
  private readonly entries: { name: string; slot: SampleSlot; data: HistosysData }[] = [];
  constructor(private readonly code: InterpCode) {}
  add(slot: SampleSlot, mod: ModifierSpec): void {
    this.entries.push({ name: mod.name, slot, data: mod.data as HistosysData });
  }
  requirements(): Map<string, ParamRequirement> {
    const out = new Map<string, ParamRequirement>();
    for (const e of this.entries) if (!out.has(e.name)) out.set(e.name, alphaRequirement('histosys'));
    return out;
  }
  compile(offsetOf: (name: string) => number): CompiledModifier | null {
    if (!this.entries.length) return null;
    const code = this.code;
    const multiplicative = code === 'code1' || code === 'code4';
    let n = 0;
    for (const e of this.entries) n += e.slot.nbins;
    const sb = new Int32Array(n);
    const par = new Int32Array(n);
    const nom = new Float64Array(n);
    const du = new Float64Array(n);
    const dd = new Float64Array(n);
    const coeffs = code === 'code4' ? new Float64Array(6 * n) : null;
    let e = 0;
    for (const { name, slot, data } of this.entries) {
      const p = offsetOf(name);
      for (let b = 0; b < slot.nbins; b++, e++) {
        sb[e] = slot.sbStart + b;
        par[e] = p;
        const x = slot.nominal[b]!;
        nom[e] = x;
        if (multiplicative) {
          // relative variations; a zero nominal gives no change
          du[e] = x === 0 ? 1 : data.hi_data[b]! / x;
          dd[e] = x === 0 ? 1 : data.lo_data[b]! / x;
          if (coeffs) code4Coefficients(du[e]!, dd[e]!, coeffs.subarray(6 * e, 6 * e + 6));
        } else {
          du[e] = data.hi_data[b]! - x;
          dd[e] = x - data.lo_data[b]!;
        }
      }
    }
    const value = new Float64Array(n);
    const deriv = new Float64Array(n);
    const tmp = new Float64Array(2);
    return {
      type: 'histosys',
      additive: true,
      count: this.entries.length,
      sb,
      par,
      value,
      deriv,
      eval(theta) {
        if (multiplicative) {
          for (let i = 0; i < n; i++) {
            interpFactor(
              code,
              theta[par[i]!]!,
              du[i]!,
              dd[i]!,
              coeffs ? coeffs.subarray(6 * i, 6 * i + 6) : null,
              tmp,
            );
            value[i] = nom[i]! * (tmp[0]! - 1);
            deriv[i] = nom[i]! * tmp[1]!;
          }
        } else {
          for (let i = 0; i < n; i++) {
            interpDelta(code, theta[par[i]!]!, du[i]!, dd[i]!, tmp);
            value[i] = tmp[0]!;
            deriv[i] = tmp[1]!;
          }
        }
      },
    };
  }
}
