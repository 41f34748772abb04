/** `lumi`: the luminosity factor, Gaussian-constrained with auxdata and width taken from the measurement config. */
import type { ModifierSpec } from '../../spec/types.js';
import {
  ElementList,
  type ModifierBuilder,
  type ParamRequirement,
  parameterFactor,
  type SampleSlot,
} from '../modifier.js';

export class LumiBuilder implements ModifierBuilder {
  readonly type = 'lumi' as const;
  private readonly entries: { name: string; slot: SampleSlot }[] = [];
  add(slot: SampleSlot, mod: ModifierSpec): void {
    this.entries.push({ name: mod.name, slot });
  }
  requirements(): Map<string, ParamRequirement> {
    const out = new Map<string, ParamRequirement>();
    for (const e of this.entries)
      if (!out.has(e.name))
        out.set(e.name, {
          type: this.type,
          n: 1,
          inits: [1],
          bounds: [[0, 10]],
          fixed: [false],
          constraint: 'normal',
          auxdata: [1],
          sigmas: [Number.NaN],
          factors: [],
          sigmaFromConfig: true,
        });
    return out;
  }
  compile(offsetOf: (name: string) => number) {
    if (!this.entries.length) return null;
    const el = new ElementList();
    for (const { name, slot } of this.entries)
      for (let b = 0; b < slot.nbins; b++) el.push(slot.sbStart + b, offsetOf(name));
    return parameterFactor(this.type, this.entries.length, el.sb, el.par);
  }
}
