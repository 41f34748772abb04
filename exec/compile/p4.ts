/** Four-vector values in generated code: construction from records, components, sums, ΔR and Δφ. */
import { HepqError } from '../batch/index.js';
import type { Emitter } from './emitter.js';
import { type P4Value, type RecordValue, scalar, type Value } from './values.js';

function field(r: RecordValue, ...names: string[]): string | undefined {
  for (const n of names) {
    const i = r.names.indexOf(n);
    if (i >= 0) {
      const v = r.values[i]!;
      if (v.k !== 'scalar') throw new HepqError('exec', `four-vector field ${n} must be a number`);
      return v.code;
    }
  }
  return undefined;
}

/** `{'pt','eta','phi','mass'|'m'|'E'}.ToFourMomentum()` (eta and mass default to 0, as for MET). */
export function toP4(v: Value, em: Emitter): P4Value {
  if (v.k === 'p4') return v;
  if (v.k !== 'record') throw new HepqError('exec', 'ToFourMomentum needs a record of pt, eta, phi, mass');
  const px0 = field(v, 'px', 'x');
  if (px0 !== undefined) {
    const c = (names: string[]) => em.bind(field(v, ...names) ?? '0', 'p');
    return {
      k: 'p4',
      px: c(['px', 'x']),
      py: c(['py', 'y']),
      pz: c(['pz', 'z']),
      e: c(['E', 'e', 'energy', 't']),
    };
  }
  const ptc = field(v, 'pt');
  const phic = field(v, 'phi');
  if (ptc === undefined || phic === undefined)
    throw new HepqError('exec', 'ToFourMomentum needs pt and phi fields');
  const pt = em.bind(ptc, 'pt');
  const eta = em.bind(field(v, 'eta') ?? '0', 'eta');
  const phi = em.bind(phic, 'phi');
  const energy = field(v, 'E', 'e', 'energy', 't');
  const px = em.bind(`${pt} * Math.cos(${phi})`, 'px');
  const py = em.bind(`${pt} * Math.sin(${phi})`, 'py');
  const pz = eta === '0' ? '0' : em.bind(`${pt} * Math.sinh(${eta})`, 'pz');
  if (energy !== undefined) return { k: 'p4', px, py, pz, e: em.bind(energy, 'en') };
  const m = em.bind(field(v, 'mass', 'm') ?? '0', 'm');
  const e = em.bind(`Math.sqrt(${px} * ${px} + ${py} * ${py} + ${pz} * ${pz} + ${m} * ${m})`, 'en');
  return { k: 'p4', px, py, pz, e, polar: { pt, eta, phi, m } };
}

export function p4Add(a: P4Value, b: P4Value, sign: '+' | '-', em: Emitter): P4Value {
  const c = (x: string, y: string) => em.bind(`${x} ${sign} ${y}`, 'p');
  return { k: 'p4', px: c(a.px, b.px), py: c(a.py, b.py), pz: c(a.pz, b.pz), e: c(a.e, b.e) };
}

const pt = (p: P4Value, em: Emitter) => p.polar?.pt ?? em.bind(`Math.hypot(${p.px}, ${p.py})`, 'pt');
const phi = (p: P4Value, em: Emitter) => p.polar?.phi ?? em.bind(`Math.atan2(${p.py}, ${p.px})`, 'phi');
const eta = (p: P4Value, em: Emitter) => p.polar?.eta ?? em.bind(`Math.asinh(${p.pz} / ${pt(p, em)})`, 'eta');

/** A four-vector property (`p.pt`, `p.mass`, …) as a scalar. */
export function p4Property(p: P4Value, name: string, em: Emitter): Value {
  const f = (code: string) => scalar(code, 'float64');
  switch (name) {
    case 'pt':
      return f(pt(p, em));
    case 'eta':
      return f(eta(p, em));
    case 'phi':
      return f(phi(p, em));
    case 'mass':
    case 'm': {
      if (p.polar) return f(p.polar.m);
      const m2 = em.bind(`${p.e} * ${p.e} - ${p.px} * ${p.px} - ${p.py} * ${p.py} - ${p.pz} * ${p.pz}`, 'm2');
      return f(em.bind(`(${m2} < 0 ? -Math.sqrt(-${m2}) : Math.sqrt(${m2}))`, 'm'));
    }
    case 'E':
    case 'e':
    case 'energy':
    case 't':
      return f(p.e);
    case 'px':
    case 'x':
      return f(p.px);
    case 'py':
    case 'y':
      return f(p.py);
    case 'pz':
    case 'z':
      return f(p.pz);
    case 'p':
      return f(em.bind(`Math.sqrt(${p.px} * ${p.px} + ${p.py} * ${p.py} + ${p.pz} * ${p.pz})`, 'p'));
    case 'rapidity':
      return f(em.bind(`0.5 * Math.log((${p.e} + ${p.pz}) / (${p.e} - ${p.pz}))`, 'y'));
    case 'mt':
      return f(em.bind(`Math.sqrt(Math.max(0, ${p.e} * ${p.e} - ${p.pz} * ${p.pz}))`, 'mt'));
    case 'Et': {
      const pp = em.bind(`Math.sqrt(${p.px} * ${p.px} + ${p.py} * ${p.py} + ${p.pz} * ${p.pz})`, 'p');
      return f(em.bind(`(${pp} === 0 ? 0 : ${p.e} * ${pt(p, em)} / ${pp})`, 'et'));
    }
    default:
      throw new HepqError('exec', `a four-vector has no property ${name}`);
  }
}

/** `a.deltaR(b)`, `a.deltaphi(b)`, `a.deltaeta(b)`. */
export function p4Method(a: P4Value, name: string, b: P4Value, em: Emitter): Value {
  const dphi = () => em.bind(`H.dphi(${phi(a, em)}, ${phi(b, em)})`, 'dphi');
  const deta = () => em.bind(`${eta(a, em)} - ${eta(b, em)}`, 'deta');
  switch (name) {
    case 'deltaR':
    case 'DeltaR': {
      const dp = dphi();
      const de = deta();
      return scalar(em.bind(`Math.sqrt(${de} * ${de} + ${dp} * ${dp})`, 'dr'), 'float64');
    }
    case 'deltaphi':
    case 'deltaPhi':
    case 'DeltaPhi':
      return scalar(dphi(), 'float64');
    case 'deltaeta':
    case 'deltaEta':
      return scalar(deta(), 'float64');
    default:
      throw new HepqError('exec', `a four-vector has no method ${name}`);
  }
}
