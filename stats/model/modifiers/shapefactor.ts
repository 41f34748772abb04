/** `shapefactor`: one unconstrained factor per bin of a channel, shared by every sample that names it (init 1, bounds [0, 10]). */
import type { ModifierSpec } from '../../spec/types.js';
import {
  ElementList,
  freeRequirement,
  type ModifierBuilder,
  type ParamRequirement,
  parameterFactor,
  type SampleSlot,
} from '../modifier.js';

export class ShapefactorBuilder implements ModifierBuilder {
  readonly type = 'shapefactor' as const;
  private readonly entries: { name: string; slot: SampleSlot }[] = [];
  add(slot: SampleSlot, mod: ModifierSpec): void {
    this.entries.push({ name: mod.name, slot });
  }
  requirements(): Map<string, ParamRequirement> {
    const out = new Map<string, ParamRequirement>();
    for (const e of this.entries)
      if (!out.has(e.name)) out.set(e.name, freeRequirement(this.type, e.slot.nbins, 1, [0, 10]));
    return out;
  }
  compile(offsetOf: (name: string) => number) {
    if (!this.entries.length) return null;
    const el = new ElementList();
    for (const { name, slot } of this.entries)
      for (let b = 0; b < slot.nbins; b++) el.push(slot.sbStart + b, offsetOf(name) + b);
    return parameterFactor(this.type, this.entries.length, el.sb, el.par);
  }
}
