/** Four-vector values in generated code: construction from records, components, sums, ΔR and Δφ. */
import { HepqError } from '../batch/index.js';
import type { Emitter } from './emitter.js';
import { type P4Value, type RecordValue, scalar, type Value } from './values.js';

type Cart = NonNullable<P4Value['cart']>;

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
  const b = (code: string | undefined, prefix: string) => em.bind(code ?? '0', prefix);
  if (field(v, 'px', 'x') !== undefined) {
    return {
      k: 'p4',
      cart: {
        px: b(field(v, 'px', 'x'), 'px'),
        py: b(field(v, 'py', 'y'), 'py'),
        pz: b(field(v, 'pz', 'z'), 'pz'),
        e: b(field(v, 'E', 'e', 'energy', 't'), 'en'),
      },
    };
  }
  const ptc = field(v, 'pt');
  const phic = field(v, 'phi');
  if (ptc === undefined || phic === undefined)
    throw new HepqError('exec', 'ToFourMomentum needs pt and phi fields');
  const pt = b(ptc, 'pt');
  const eta = b(field(v, 'eta'), 'eta');
  const phi = b(phic, 'phi');
  const energy = field(v, 'E', 'e', 'energy', 't');
  if (energy === undefined) return { k: 'p4', polar: { pt, eta, phi, m: b(field(v, 'mass', 'm'), 'm') } };
  const px = b(`${pt} * Math.cos(${phi})`, 'px');
  const py = b(`${pt} * Math.sin(${phi})`, 'py');
  const pz = eta === '0' ? '0' : b(`${pt} * Math.sinh(${eta})`, 'pz');
  return { k: 'p4', cart: { px, py, pz, e: b(energy, 'en') } };
}

/** Cartesian components, computed from the polar ones where needed. */
export function cartesian(p: P4Value, em: Emitter): Cart {
  if (p.cart) return p.cart;
  p.onCart?.();
  const { pt, eta, phi, m } = p.polar!;
  const px = em.bind(`${pt} * Math.cos(${phi})`, 'px');
  const py = em.bind(`${pt} * Math.sin(${phi})`, 'py');
  const pz = eta === '0' ? '0' : em.bind(`${pt} * Math.sinh(${eta})`, 'pz');
  const e = em.bind(`Math.sqrt(${px} * ${px} + ${py} * ${py} + ${pz} * ${pz} + ${m} * ${m})`, 'en');
  return { px, py, pz, e };
}

export function p4Add(a: P4Value, b: P4Value, sign: '+' | '-', em: Emitter): P4Value {
  const x = cartesian(a, em);
  const y = cartesian(b, em);
  const c = (u: string, v: string) => em.bind(`${u} ${sign} ${v}`, 'p');
  return { k: 'p4', cart: { px: c(x.px, y.px), py: c(x.py, y.py), pz: c(x.pz, y.pz), e: c(x.e, y.e) } };
}

const pt = (p: P4Value, em: Emitter) => {
  if (p.polar) return p.polar.pt;
  const c = p.cart!;
  // Not Math.hypot: its overflow-safe builtin costs ~7× a square root, and a momentum's squares cannot overflow.
  return em.bind(`Math.sqrt(${c.px} * ${c.px} + ${c.py} * ${c.py})`, 'pt');
};
const phi = (p: P4Value, em: Emitter) =>
  p.polar?.phi ?? em.bind(`Math.atan2(${p.cart!.py}, ${p.cart!.px})`, 'phi');
const eta = (p: P4Value, em: Emitter) =>
  p.polar?.eta ?? em.bind(`(${p.cart!.pz} === 0 ? 0 : Math.asinh(${p.cart!.pz} / ${pt(p, em)}))`, 'eta');

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
      const c = p.cart!;
      const m2 = em.bind(`${c.e} * ${c.e} - ${c.px} * ${c.px} - ${c.py} * ${c.py} - ${c.pz} * ${c.pz}`, 'm2');
      return f(em.bind(`(${m2} < 0 ? -Math.sqrt(-${m2}) : Math.sqrt(${m2}))`, 'm'));
    }
    case 'E':
    case 'e':
    case 'energy':
    case 't':
      return f(cartesian(p, em).e);
    case 'px':
    case 'x':
      return f(cartesian(p, em).px);
    case 'py':
    case 'y':
      return f(cartesian(p, em).py);
    case 'pz':
    case 'z':
      return f(cartesian(p, em).pz);
    case 'p': {
      const c = cartesian(p, em);
      return f(em.bind(`Math.sqrt(${c.px} * ${c.px} + ${c.py} * ${c.py} + ${c.pz} * ${c.pz})`, 'p'));
    }
    case 'rapidity': {
      const c = cartesian(p, em);
      return f(em.bind(`0.5 * Math.log((${c.e} + ${c.pz}) / (${c.e} - ${c.pz}))`, 'y'));
    }
    case 'mt': {
      const c = cartesian(p, em);
      return f(em.bind(`Math.sqrt(Math.max(0, ${c.e} * ${c.e} - ${c.pz} * ${c.pz}))`, 'mt'));
    }
    case 'Et': {
      const c = cartesian(p, em);
      const pp = em.bind(`Math.sqrt(${c.px} * ${c.px} + ${c.py} * ${c.py} + ${c.pz} * ${c.pz})`, 'p');
      return f(em.bind(`(${pp} === 0 ? 0 : ${c.e} * ${pt(p, em)} / ${pp})`, 'et'));
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
