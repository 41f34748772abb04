/** The modifier contract: a builder collects one modifier type's instances, then compiles them into one vectorised apply. */
import type { ModifierSpec, ModifierType } from '../spec/types.js';

/** Where a sample sits in the model's flat sample-bin arrays. */
export interface SampleSlot {
  readonly channel: string;
  readonly sample: string;
  /** index of the sample's first bin in the flat sample-bin arrays */
  readonly sbStart: number;
  readonly nbins: number;
  readonly nominal: readonly number[];
  /** JSON path of the modifier, for error messages */
  readonly path: string;
}

export type ConstraintKind = 'normal' | 'poisson' | null;

/** What a modifier needs of its parameter set (pyhf's "required paramset"), before the measurement config overrides it. */
export interface ParamRequirement {
  readonly type: ModifierType;
  readonly n: number;
  inits: number[];
  bounds: [number, number][];
  fixed: boolean[];
  readonly constraint: ConstraintKind;
  auxdata: number[];
  /** widths of normal constraints */
  sigmas: number[];
  /** scale factors of Poisson constraints (the τ of Barlow–Beeston-lite) */
  factors: number[];
  /** the constraint width must be given by the measurement config (lumi) */
  readonly sigmaFromConfig?: boolean;
}

/** One modifier type's instances flattened: per element (one affected sample-bin), its sample-bin and parameter index. */
export interface CompiledModifier {
  readonly type: ModifierType;
  /** additive (Δ added to the nominal) or multiplicative (a factor) */
  readonly additive: boolean;
  /** number of modifier instances (modifier × sample) */
  readonly count: number;
  readonly sb: Int32Array;
  readonly par: Int32Array;
  /** per element: Δ or factor, filled by `eval` */
  readonly value: Float64Array;
  /** per element: derivative of `value` with respect to θ[par] */
  readonly deriv: Float64Array;
  eval(theta: Float64Array): void;
}

export interface ModifierBuilder {
  readonly type: ModifierType;
  add(slot: SampleSlot, mod: ModifierSpec): void;
  /** the parameter sets this type needs, keyed by parameter name */
  requirements(): Map<string, ParamRequirement>;
  /** the vectorised apply, given each parameter set's offset in θ; null when no instance was added */
  compile(offsetOf: (name: string) => number): CompiledModifier | null;
}

/** Growable element lists used by builders. */
export class ElementList {
  sb: number[] = [];
  par: number[] = [];
  push(sb: number, par: number): void {
    this.sb.push(sb);
    this.par.push(par);
  }
}

/** A factor equal to its parameter (normfactor, lumi, shapefactor, shapesys, staterror): value = θ[par], derivative 1. */
export function parameterFactor(
  type: ModifierType,
  count: number,
  sb: number[],
  par: number[],
): CompiledModifier {
  const n = sb.length;
  const parA = Int32Array.from(par);
  const value = new Float64Array(n);
  const deriv = new Float64Array(n).fill(1);
  return {
    type,
    additive: false,
    count,
    sb: Int32Array.from(sb),
    par: parA,
    value,
    deriv,
    eval(theta) {
      for (let e = 0; e < n; e++) value[e] = theta[parA[e]!]!;
    },
  };
}

/** Requirement of one free scalar (normfactor-like) parameter. */
export function freeRequirement(
  type: ModifierType,
  n: number,
  init: number,
  bounds: [number, number],
): ParamRequirement {
  return {
    type,
    n,
    inits: Array(n).fill(init),
    bounds: Array.from({ length: n }, () => [bounds[0], bounds[1]] as [number, number]),
    fixed: Array(n).fill(false),
    constraint: null,
    auxdata: [],
    sigmas: [],
    factors: [],
  };
}
