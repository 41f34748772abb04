/**
 * `analyzePlan`, `optimize` and the Session's prepared plan give a bound plan: every expression carries its type
 * as an IR field (so it survives JSON, as plans do on their way to workers and cluster processes). Expected types
 * are worked out by hand from the schema of `smallEvents` (Jet_pt list<float32>, Muon_charge list<int32>, nJet
 * uint32) and Python's rules (integers stay integers, `/` gives a float, comparisons give bools).
 */
import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { compilePlan } from '../../exec/index.js';
import { analyzePlan } from '../../planner/analyze/index.js';
import {
  type Expr,
  ex,
  type LogicalPlan,
  mapPlanExprs,
  plan,
  typeOf,
  typeText,
  visitExpr,
} from '../../planner/ir/index.js';
import { optimize } from '../../planner/optimizer.js';
import { parseQuery } from '../../query/index.js';
import { Session } from '../../server/index.js';
import { smallEvents } from '../func-adl/small-events.js';

const schema = smallEvents().schema();

/** Every expression node of a plan (lambdas included), in plan order. */
function nodes(p: LogicalPlan): Expr[] {
  const out: Expr[] = [];
  mapPlanExprs(p, (e) => {
    visitExpr(e, (x) => out.push(x));
    return e;
  });
  return out;
}

/** The selector body of the plan's top Select. */
function selectBody(p: LogicalPlan): Expr {
  if (p.kind !== 'select') throw new Error(`expected a Select, got ${p.kind}`);
  return p.selector.body;
}

/** The field `name` of a dict expression. */
function field(d: Expr, name: string): Expr {
  if (d.kind !== 'dict') throw new Error(`expected a dict, got ${d.kind}`);
  return d.values[d.keys.indexOf(name)]!;
}

const QUERY = `ds.Select(lambda e: {'n': e.Jet_pt.Count(), 'm': e.Jet_pt.Max(), 's': e.Muon_charge.Sum(),
  'q': e.nJet * 2, 'r': e.Jet_pt.Where(lambda j: j > 20).Select(lambda j: j / 2)})`;

describe('the bound plan', () => {
  it('types every expression the analyzer reads, as Python would', () => {
    const bound = analyzePlan(parseQuery(QUERY), schema).plan;
    for (const x of nodes(bound)) if (x.kind !== 'lambda') expect(x.type, x.kind).toBeDefined();
    const d = selectBody(bound);
    const t = (name: string) => typeText(typeOf(field(d, name)));
    expect(t('n')).toBe('int64');
    expect(t('m')).toBe('float32');
    expect(t('s')).toBe('int64');
    expect(t('q')).toBe('int64');
    expect(t('r')).toBe('collection<float64>');
    const r = field(d, 'r');
    if (r.kind !== 'op' || r.source.kind !== 'op') throw new Error('expected Select of Where');
    expect(typeText(typeOf(r.source))).toBe('collection<float32>');
    const pred = r.source.args[0]!;
    if (pred.kind !== 'lambda') throw new Error('expected a lambda');
    expect(typeText(typeOf(pred.body))).toBe('bool');
    expect(typeText(typeOf(d))).toBe('{n: int64, m: float32, s: int64, q: int64, r: collection<float64>}');
  });

  it('keeps its types through JSON (the worker and cluster wire)', () => {
    const bound = analyzePlan(parseQuery(QUERY), schema).plan;
    const wire = JSON.parse(JSON.stringify(bound)) as LogicalPlan;
    expect(wire).toEqual(bound);
    expect(typeText(typeOf(field(selectBody(wire), 'm')))).toBe('float32');
  });

  it('gives a node shared by two scopes the type of each place', () => {
    // One name node `v`: the event in the outer lambda, a float32 jet pt in the inner one that rebinds it.
    const v = ex.name('v');
    const inner = ex.op('Select', ex.attr(v, 'Jet_pt'), [ex.lambda(['v'], v)]);
    const p = plan.select(plan.source(), ex.lambda(['v'], ex.tuple([ex.attr(v, 'nJet'), inner])));
    const t = selectBody(analyzePlan(p, schema).plan);
    if (t.kind !== 'tuple') throw new Error('expected a tuple');
    const [n, sel] = t.items;
    if (
      n?.kind !== 'attr' ||
      sel?.kind !== 'op' ||
      sel.source.kind !== 'attr' ||
      sel.args[0]?.kind !== 'lambda'
    )
      throw new Error('unexpected shape');
    expect(typeText(typeOf(n))).toBe('uint32');
    expect(typeText(typeOf(n.target))).toBe('event');
    expect(typeText(typeOf(sel.source.target))).toBe('event');
    expect(typeText(typeOf(sel.args[0].body))).toBe('float32');
    // The input plan is left as it was.
    expect(v.type).toBeUndefined();
  });

  it("is the Session's prepared plan", async () => {
    const session = new Session({ threads: 1, device: 'cpu' });
    try {
      const p = await session.prepare(
        `EventDataset('../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root', 'Events')
          .Select(lambda e: e.Muon_pt.Where(lambda pt: pt > 10).Count())`,
      );
      for (const x of nodes(p.plan)) if (x.kind !== 'lambda') expect(x.type, x.kind).toBeDefined();
      expect(typeText(typeOf(selectBody(p.plan)))).toBe('int64');
    } finally {
      await session.close();
    }
  });

  it('is what the optimizer returns: nodes its rules made are bound too', () => {
    const text = `ds.Where(lambda e: e.Jet_pt.Count() > 0 and 1 + 1 == 2).Where(lambda e: e.nJet > 1)
      .Select(lambda e: e.Jet_pt.Where(lambda j: j > 20).Where(lambda j: j < 100).Count())`;
    const o = optimize(parseQuery(text), { schema });
    expect(o.trace.length).toBeGreaterThan(0);
    for (const x of nodes(o.plan)) if (x.kind !== 'lambda') expect(x.type, x.kind).toBeDefined();
    expect(typeText(typeOf(selectBody(o.plan)))).toBe('int64');
  });

  it('types what the engine computes: float32 arithmetic in doubles, wide integers, negated unsigned ints', () => {
    const q = `ds.Select(lambda e: {'a': e.Jet_pt.First() * 2, 'b': -e.nJet, 'c': abs(e.Jet_pt.First()),
      'd': e.nJet * 3000000000, 'e': e.nJet * 3, 'f': (e.Jet_pt.First() if e.nJet > 0 else 0),
      'g': e.Muon_charge.Select(lambda c: c > 0).Concat(e.Muon_charge), 'h': e.Jet_pt.Sum()})`;
    const d = selectBody(analyzePlan(parseQuery(q), schema).plan);
    const t = (name: string) => typeOf(field(d, name));
    expect(typeText(t('a'))).toBe('float64');
    expect(typeText(t('b'))).toBe('int64');
    expect(typeText(t('c'))).toBe('float64');
    expect(t('d')).toEqual({ kind: 'scalar', type: 'int64', wide: true });
    expect(t('e')).toEqual({ kind: 'scalar', type: 'int64' });
    // A choice between a float32 and an int is not computed: it stays float32.
    expect(typeText(t('f'))).toBe('float32');
    // A bool meets an int as the int.
    expect(typeText(t('g'))).toBe('collection<int32>');
    expect(typeText(t('h'))).toBe('float64');
  });

  it('is what the JS code generator needs: an unbound plan is refused as a bug', () => {
    let err: unknown;
    try {
      compilePlan(parseQuery('ds.Select(lambda e: e.nJet + 1)'), schema);
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(HepqError);
    expect((err as HepqError).kind).toBe('internal');
  });

  it('refuses to give the type of an unbound node', () => {
    const e = parseQuery('ds.Select(lambda e: e.nJet)');
    let err: unknown;
    try {
      typeOf(selectBody(e));
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(HepqError);
    expect((err as HepqError).code).toBe('planner/internal');
  });
});
