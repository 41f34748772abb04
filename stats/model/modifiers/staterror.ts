/**
 * `staterror`: MC statistical uncertainty, one γ per channel bin shared by all samples naming it, Gaussian-constrained with
 * σᵢ = sqrt(Σ δ²)/Σ nom over those samples; bins with σ = 0 are fixed (σ set to 1), as pyhf 0.7 does.
 */
import type { ModifierSpec } from '../../spec/types.js';
import {
  ElementList,
  type ModifierBuilder,
  type ParamRequirement,
  parameterFactor,
  type SampleSlot,
} from '../modifier.js';

export class StaterrorBuilder implements ModifierBuilder {
  readonly type = 'staterror' as const;
  private readonly entries: { name: string; slot: SampleSlot; data: number[] }[] = [];
  add(slot: SampleSlot, mod: ModifierSpec): void {
    this.entries.push({ name: mod.name, slot, data: mod.data as number[] });
  }
  requirements(): Map<string, ParamRequirement> {
    const sums = new Map<string, { nom: number[]; var: number[] }>();
    for (const e of this.entries) {
      let s = sums.get(e.name);
      if (!s) {
        s = { nom: Array(e.slot.nbins).fill(0), var: Array(e.slot.nbins).fill(0) };
        sums.set(e.name, s);
      }
      for (let b = 0; b < Math.min(e.slot.nbins, s.nom.length); b++) {
        s.nom[b] += e.slot.nominal[b]!;
        s.var[b] += e.data[b]! ** 2;
      }
    }
    const out = new Map<string, ParamRequirement>();
    for (const [name, s] of sums) {
      const n = s.nom.length;
      const sigmas = s.nom.map((x, b) => (x > 0 ? Math.sqrt(s.var[b]!) / x : 0));
      const fixed = sigmas.map((x) => x === 0);
      out.set(name, {
        type: this.type,
        n,
        inits: Array(n).fill(1),
        bounds: Array.from({ length: n }, () => [1e-10, 10] as [number, number]),
        fixed,
        constraint: 'normal',
        auxdata: Array(n).fill(1),
        sigmas: sigmas.map((x) => (x === 0 ? 1 : x)),
        factors: [],
      });
    }
    return out;
  }
  compile(offsetOf: (name: string) => number) {
    if (!this.entries.length) return null;
    const el = new ElementList();
    for (const e of this.entries) {
      const p = offsetOf(e.name);
      for (let b = 0; b < e.slot.nbins; b++) el.push(e.slot.sbStart + b, p + b);
    }
    return parameterFactor(this.type, this.entries.length, el.sb, el.par);
  }
}
