/** Four-vectors in WGSL kernels (the CPU's `exec/compile/p4.ts` semantics in float32): construction, sums, properties, ΔR. */
import { P4_FORMULAS as F, type Formula, printFormula } from '../../../planner/ir/index.js';
import type { Gen } from './gen.js';
import { cast, type NumVal, num, type P4Parts, type RecVal, unsupported, type Val } from './values.js';

const wgsl = (x: Formula) => printFormula(x, 'wgsl');

function numField(v: RecVal, ...names: string[]): string | undefined {
  for (const n of names) {
    const f = v.field(n);
    if (f) {
      if (f.k !== 'num') unsupported(`four-vector field ${n} that is not a number`);
      return cast(f, 'f32');
    }
  }
  return undefined;
}

/** `{'pt','eta','phi','mass'|'m'|'E'}.ToFourMomentum()` (eta and mass default to 0, as for MET). */
export function toP4(g: Gen, v: Val): P4Parts {
  if (v.k !== 'rec') return unsupported('ToFourMomentum of a value that is not a record');
  if (v.p4) return v.p4;
  const bind = (code: string | undefined, p: string) => g.bind(code ?? '0.0', p);
  const px = numField(v, 'px', 'x');
  if (px !== undefined)
    return {
      cart: {
        px: bind(px, 'px'),
        py: bind(numField(v, 'py', 'y'), 'py'),
        pz: bind(numField(v, 'pz', 'z'), 'pz'),
        e: bind(numField(v, 'E', 'e', 'energy', 't'), 'en'),
      },
    };
  const ptc = numField(v, 'pt');
  const phic = numField(v, 'phi');
  if (ptc === undefined || phic === undefined)
    return unsupported('ToFourMomentum of a record without pt and phi');
  const pt = bind(ptc, 'pt');
  const eta = bind(numField(v, 'eta'), 'eta');
  const phi = bind(phic, 'phi');
  const energy = numField(v, 'E', 'e', 'energy', 't');
  if (energy === undefined) return { polar: { pt, eta, phi, m: bind(numField(v, 'mass', 'm'), 'm') } };
  return {
    cart: {
      px: g.bind(wgsl(F.px(pt, phi)), 'px'),
      py: g.bind(wgsl(F.py(pt, phi)), 'py'),
      pz: g.bind(wgsl(F.pz(pt, eta)), 'pz'),
      e: bind(energy, 'en'),
    },
  };
}

/** Cartesian components, computed from polar ones in the current scope where needed. */
export function cart(g: Gen, p: P4Parts): NonNullable<P4Parts['cart']> {
  if (p.cart) return p.cart;
  const { pt, eta, phi, m } = p.polar!;
  const px = g.bind(wgsl(F.px(pt, phi)), 'px');
  const py = g.bind(wgsl(F.py(pt, phi)), 'py');
  const pz = g.bind(wgsl(F.pz(pt, eta)), 'pz');
  const e = g.bind(wgsl(F.energy(px, py, pz, m)), 'en');
  return { px, py, pz, e };
}

export function p4Add(g: Gen, a: P4Parts, b: P4Parts, sign: '+' | '-'): P4Parts {
  const x = cart(g, a);
  const y = cart(g, b);
  const c = (u: string, v: string) => g.bind(`${u} ${sign} ${v}`, 'p');
  return { cart: { px: c(x.px, y.px), py: c(x.py, y.py), pz: c(x.pz, y.pz), e: c(x.e, y.e) } };
}

const ptOf = (g: Gen, p: P4Parts) => p.polar?.pt ?? g.bind(wgsl(F.pt(p.cart!.px, p.cart!.py)), 'pt');
const phiOf = (g: Gen, p: P4Parts) => p.polar?.phi ?? g.bind(wgsl(F.phi(p.cart!.px, p.cart!.py)), 'phi');
const etaOf = (g: Gen, p: P4Parts) => p.polar?.eta ?? g.bind(wgsl(F.eta(p.cart!.pz, ptOf(g, p))), 'eta');

/** A four-vector property (`p.pt`, `p.mass`, …), emitted in the scope where it is read. */
export function p4Property(g: Gen, p: P4Parts, name: string): NumVal | undefined {
  const f = (code: string) => num(code, 'f32');
  switch (name) {
    case 'pt':
      return f(ptOf(g, p));
    case 'eta':
      return f(etaOf(g, p));
    case 'phi':
      return f(phiOf(g, p));
    case 'mass':
    case 'm': {
      if (p.polar) return f(p.polar.m);
      const c = p.cart!;
      const m2 = g.bind(wgsl(F.m2(c.e, c.px, c.py, c.pz)), 'm2');
      return f(g.bind(wgsl(F.mass(m2)), 'mass'));
    }
    case 'E':
    case 'e':
    case 'energy':
    case 't':
      return f(cart(g, p).e);
    case 'px':
    case 'x':
      return f(cart(g, p).px);
    case 'py':
    case 'y':
      return f(cart(g, p).py);
    case 'pz':
    case 'z':
      return f(cart(g, p).pz);
    case 'p': {
      const c = cart(g, p);
      return f(g.bind(wgsl(F.p(c.px, c.py, c.pz)), 'pp'));
    }
    case 'rapidity': {
      const c = cart(g, p);
      return f(g.bind(wgsl(F.rapidity(c.e, c.pz)), 'rap'));
    }
    case 'mt': {
      const c = cart(g, p);
      return f(g.bind(wgsl(F.mt(c.e, c.pz)), 'mt'));
    }
    default:
      return undefined;
  }
}

/** `a.deltaR(b)`, `a.deltaphi(b)`, `a.deltaeta(b)`; undefined for other names. */
export function p4Method(g: Gen, a: P4Parts, name: string, b: P4Parts): NumVal | undefined {
  const dphi = () => {
    const d = g.bind(wgsl(F.difference(phiOf(g, a), phiOf(g, b))), 'dphi');
    // the CPU wraps only outside [−π, π) (H.dphi)
    return g.bind(wgsl(F.wrapPhi(d)), 'dphi');
  };
  switch (name) {
    case 'deltaR':
    case 'DeltaR': {
      const dp = dphi();
      const de = g.bind(wgsl(F.difference(etaOf(g, a), etaOf(g, b))), 'deta');
      return num(g.bind(wgsl(F.deltaR(de, dp)), 'dr'), 'f32');
    }
    case 'deltaphi':
    case 'deltaPhi':
    case 'DeltaPhi':
      return num(dphi(), 'f32');
    case 'deltaeta':
    case 'deltaEta':
      return num(g.bind(wgsl(F.difference(etaOf(g, a), etaOf(g, b))), 'deta'), 'f32');
    default:
      return undefined;
  }
}

/** A four-vector as a record value: its properties resolve as fields. */
export function p4Val(g: Gen, p: P4Parts): RecVal {
  return { k: 'rec', what: 'a four-vector', p4: p, field: (name) => p4Property(g, p, name) };
}
