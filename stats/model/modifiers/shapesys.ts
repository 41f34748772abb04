/**
 * `shapesys`: uncorrelated per-bin uncertainty with a Poisson (Barlow–Beeston-lite) constraint: γᵢ with auxdata τᵢ = (nomᵢ/σᵢ)²;
 * bins with zero nominal or zero uncertainty get a fixed γ = 1 with τ = 1, as pyhf 0.7 does.
 */
import type { ModifierSpec } from '../../spec/types.js';
import {
  ElementList,
  type ModifierBuilder,
  type ParamRequirement,
  parameterFactor,
  type SampleSlot,
} from '../modifier.js';

export class ShapesysBuilder implements ModifierBuilder {
  readonly type = 'shapesys' as const;
  private readonly entries: { name: string; slot: SampleSlot; data: number[] }[] = [];
  add(slot: SampleSlot, mod: ModifierSpec): void {
    this.entries.push({ name: mod.name, slot, data: mod.data as number[] });
  }
  private static mask(e: { slot: SampleSlot; data: number[] }, b: number): boolean {
    return e.slot.nominal[b]! > 0 && e.data[b]! > 0;
  }
  requirements(): Map<string, ParamRequirement> {
    const out = new Map<string, ParamRequirement>();
    for (const e of this.entries) {
      if (out.has(e.name)) continue;
      const n = e.slot.nbins;
      const tau: number[] = [];
      const fixed: boolean[] = [];
      for (let b = 0; b < n; b++) {
        const ok = ShapesysBuilder.mask(e, b);
        tau.push(ok ? (e.slot.nominal[b]! / e.data[b]!) ** 2 : 1);
        fixed.push(!ok);
      }
      out.set(e.name, {
        type: this.type,
        n,
        inits: Array(n).fill(1),
        bounds: Array.from({ length: n }, () => [1e-10, 10] as [number, number]),
        fixed,
        constraint: 'poisson',
        auxdata: tau.slice(),
        sigmas: [],
        factors: tau,
      });
    }
    return out;
  }
  compile(offsetOf: (name: string) => number) {
    if (!this.entries.length) return null;
    const el = new ElementList();
    for (const e of this.entries) {
      const p = offsetOf(e.name);
      for (let b = 0; b < e.slot.nbins; b++)
        if (ShapesysBuilder.mask(e, b)) el.push(e.slot.sbStart + b, p + b);
    }
    return parameterFactor(this.type, this.entries.length, el.sb, el.par);
  }
}
