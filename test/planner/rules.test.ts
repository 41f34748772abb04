/**
 * Plan-text tests of each optimizer rule: build the plan with parseQuery, optimize with that rule (and the
 * few it needs), compare the explain() text with the plan written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { explain } from '../../planner/ir/index.js';
import { describeRules, optimize } from '../../planner/optimizer.js';
import { parseQuery } from '../../query/index.js';
import { context, optimized, planText } from './plan-text.js';

describe('constant-folding', () => {
  const rules = ['constant-folding'];
  it('folds arithmetic, comparisons, `and True`, and a field of a record literal', () => {
    expect(
      optimized(
        "ds.Where(lambda e: e.nJet >= 1 + 1 and True).Select(lambda e: {'a': e.MET_pt * 2 ** 2, 'b': 7 // 2}['a'])",
        rules,
      ),
    ).toBe(planText('Select lambda e: e.MET_pt * 4.0', 'Where lambda e: e.nJet >= 2'));
  });
  it('removes a Where that is always true and folds a conditional with a constant test', () => {
    expect(
      optimized('ds.Where(lambda e: 2 > 1).Select(lambda e: e.MET_pt if 3 < 2 else -e.MET_pt)', rules),
    ).toBe(planText('Select lambda e: -e.MET_pt'));
  });
  it('keeps Python number types: 7 // 2 is the integer 3, 7 / 2 the float 3.5, -7 % 3 is 2', () => {
    expect(optimized('ds.Select(lambda e: (7 // 2, 7 / 2, -7 % 3, 2 ** -1, 1.5 * 2))', rules)).toBe(
      planText('Select lambda e: (3, 3.5, 2, 0.5, 3.0)'),
    );
  });
  it('leaves what would fail or drop a failing field: 1 / 0, and {…, "b": First()}.a', () => {
    const q = "ds.Select(lambda e: ({'a': e.MET_pt, 'b': e.Jet_pt.First()}.a, 1 / 0))";
    expect(optimized(q, rules)).toBe(explain(parseQuery(q)));
  });
});

describe('common-subexpressions', () => {
  const rules = ['common-subexpressions'];
  it('evaluates a repeated conjunct once', () => {
    expect(optimized('ds.Where(lambda e: e.nJet > 2 and e.nMuon > 0 and e.nJet > 2)', rules)).toBe(
      planText('Where lambda e: e.nJet > 2 and e.nMuon > 0'),
    );
  });
  it('drops a Where that repeats an adjacent one under another parameter name, not across a Select', () => {
    expect(optimized('ds.Where(lambda e: e.nJet > 2).Where(lambda x: x.nJet > 2)', rules)).toBe(
      planText('Where lambda e: e.nJet > 2'),
    );
    const across =
      "ds.Where(lambda e: e.nJet > 2).Select(lambda e: {'nJet': e.nJet}).Where(lambda e: e.nJet > 2)";
    expect(optimized(across, rules)).toBe(explain(parseQuery(across)));
  });
});

describe('split-conjunction', () => {
  it('splits a conjunction into one Where per operand, in the written order', () => {
    expect(
      optimized('ds.Where(lambda e: e.nJet > 2 and e.MET_pt > 20 and e.nMuon == 1)', ['split-conjunction']),
    ).toBe(
      planText('Where lambda e: e.nMuon == 1', 'Where lambda e: e.MET_pt > 20', 'Where lambda e: e.nJet > 2'),
    );
  });
  it('leaves a disjunction whole', () => {
    const q = 'ds.Where(lambda e: e.nJet > 2 or e.MET_pt > 20)';
    expect(optimized(q, ['split-conjunction'])).toBe(explain(parseQuery(q)));
  });
});

describe('predicate-pushdown', () => {
  const rules = ['split-conjunction', 'predicate-pushdown'];
  it('rewrites a Where after a dict Select into Wheres on the event before it', () => {
    expect(
      optimized(
        "ds.Select(lambda e: {'n': e.nMuon, 'pt': e.Muon_pt, 'met': e.MET_pt}).Where(lambda r: r.met > 20 and r.n >= 2)",
        rules,
      ),
    ).toBe(
      planText(
        "Select lambda e: {'n': e.nMuon, 'pt': e.Muon_pt, 'met': e.MET_pt}",
        'Where lambda e: e.nMuon >= 2',
        'Where lambda e: e.MET_pt > 20',
      ),
    );
  });
  it('pushes through a tuple Select, two Selects, and MetaData', () => {
    expect(
      optimized(
        "ds.Select(lambda e: (e.MET_pt, e.nJet)).MetaData({'k': 1}).Select(lambda t: {'n': t[1]}).Where(lambda r: r.n >= 2)",
        rules,
      ),
    ).toBe(
      planText(
        "Select lambda t: {'n': t[1]}",
        "MetaData {'k': 1}",
        'Select lambda e: (e.MET_pt, e.nJet)',
        'Where lambda e: e.nJet >= 2',
      ),
    );
  });
  it('does not move a Where below a Select that may fail, below a Take, or where a name would be captured', () => {
    for (const q of [
      "ds.Select(lambda e: {'j': e.Jet_pt.First(), 'm': e.MET_pt}).Where(lambda r: r.m > 20)",
      'ds.Select(lambda e: e.MET_pt).Take(5).Where(lambda m: m > 20)',
      "ds.Select(lambda e: {'pt': e.Jet_pt, 'm': e.MET_pt}).Where(lambda r: r.pt.Where(lambda e: e > r.m).Count() > 0)",
    ])
      expect(optimized(q, rules)).toBe(explain(parseQuery(q)));
  });
});

describe('filter-order', () => {
  const rules = ['split-conjunction', 'filter-order'];
  it('puts a cheap selective comparison before an expensive one', () => {
    expect(
      optimized('ds.Where(lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 2 and e.nMuon >= 2)', rules),
    ).toBe(
      planText(
        'Where lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 2',
        'Where lambda e: e.nMuon >= 2',
      ),
    );
  });
  it('counts a Choose(k) by its expected combinations (λ^k / k!), so it goes after a cheap count', () => {
    expect(
      optimized(
        'ds.Where(lambda e: e.Jet.Choose(3).Any(lambda t: t[0].pt + t[1].pt + t[2].pt > 150) and e.nMuon >= 3)',
        rules,
      ),
    ).toBe(
      planText(
        'Where lambda e: e.Jet.Choose(3).Any(lambda t: t[0].pt + t[1].pt + t[2].pt > 150)',
        'Where lambda e: e.nMuon >= 3',
      ),
    );
  });
  it('follows the sampled selectivities the session supplies', () => {
    const q = 'ds.Where(lambda e: e.MET_pt > 20 and e.run > 5)';
    const met = (keep: number) => (p: { body: { kind: string; left?: { name?: string } } }) =>
      p.body.kind === 'compare' && p.body.left?.name === 'MET_pt' ? keep : 0.5;
    expect(optimized(q, rules, met(0.01) as never)).toBe(
      planText('Where lambda e: e.run > 5', 'Where lambda e: e.MET_pt > 20'),
    );
    expect(optimized(q, rules, met(0.99) as never)).toBe(
      planText('Where lambda e: e.MET_pt > 20', 'Where lambda e: e.run > 5'),
    );
  });
  it('never moves a filter across one that may fail (First() guarded by the filters before it)', () => {
    expect(
      optimized(
        'ds.Where(lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 2 and e.nMuon >= 2 and e.Jet_pt.First() > 50 and e.Jet_pt.Where(lambda j: j > 40).Count() >= 1 and e.MET_pt > 0)',
        rules,
      ),
    ).toBe(
      planText(
        'Where lambda e: e.Jet_pt.Where(lambda j: j > 40).Count() >= 1',
        'Where lambda e: e.MET_pt > 0',
        'Where lambda e: e.Jet_pt.First() > 50',
        'Where lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 2',
        'Where lambda e: e.nMuon >= 2',
      ),
    );
  });
  it('leaves a nearly-always-true cheap filter after a selective expensive one (rank, not cost alone)', () => {
    // nJet > 0 keeps P(N > 0) = 1 − e^−6 of events (6 jets on average): it rejects almost nothing.
    expect(
      optimized('ds.Where(lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 5 and e.nJet > 0)', rules),
    ).toBe(
      planText('Where lambda e: e.nJet > 0', 'Where lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 5'),
    );
  });
});

describe('projection-pruning', () => {
  const rules = ['projection-pruning'];
  it('drops dict fields no later stage reads', () => {
    expect(
      optimized(
        "ds.Select(lambda e: {'a': e.MET_pt, 'b': e.Jet_pt.Where(lambda j: j > 30), 'c': e.nJet}).Where(lambda r: r.c > 1).Select(lambda r: r.a)",
        rules,
      ),
    ).toBe(
      planText(
        'Select lambda r: r.a',
        'Where lambda r: r.c > 1',
        "Select lambda e: {'a': e.MET_pt, 'c': e.nJet}",
      ),
    );
  });
  it('keeps the fields of the result, of a row passed on whole, and fields that may fail', () => {
    for (const q of [
      "ds.Select(lambda e: {'a': e.MET_pt, 'b': e.nJet})",
      "ds.Select(lambda e: {'a': e.MET_pt, 'b': e.nJet}).Select(lambda r: (r, r.a))",
      "ds.Select(lambda e: {'a': e.MET_pt, 'b': e.Jet_pt.First()}).Select(lambda r: r.a)",
    ])
      expect(optimized(q, rules)).toBe(explain(parseQuery(q)));
  });
});

describe('select-fusion', () => {
  const rules = ['select-fusion'];
  it('fuses two Selects by substitution', () => {
    expect(
      optimized("ds.Select(lambda e: {'a': e.MET_pt, 'n': e.nJet}).Select(lambda r: r.a * r.n)", rules),
    ).toBe(planText('Select lambda e: e.MET_pt * e.nJet'));
  });
  it('does not recompute a field used twice or inside a per-item lambda', () => {
    for (const q of [
      "ds.Select(lambda e: {'s': e.Jet_pt.Sum()}).Select(lambda r: r.s * r.s)",
      "ds.Select(lambda e: {'j': e.Jet_pt, 'm': e.Muon_pt.Where(lambda m: m > 5)}).Select(lambda r: r.j.Where(lambda j: r.m.Count() > 0))",
    ])
      expect(optimized(q, rules)).toBe(explain(parseQuery(q)));
  });
});

describe('limit-pushdown', () => {
  const rules = ['limit-pushdown'];
  it('merges Take(10).Skip(2) into one limit and moves it below the Select', () => {
    expect(optimized('ds.Select(lambda e: e.MET_pt).Take(10).Skip(2)', rules)).toBe(
      planText('Select lambda e: e.MET_pt', 'Limit skip=2 take=8'),
    );
  });
  it('does not move a limit below a Where or a Select that may fail', () => {
    for (const q of [
      'ds.Where(lambda e: e.nJet > 0).Take(3)',
      'ds.Select(lambda e: e.Jet_pt.First()).Take(3)',
    ])
      expect(optimized(q, rules)).toBe(explain(parseQuery(q)));
  });
});

describe('count-simplification', () => {
  const rules = ['count-simplification'];
  it('counts a Select or a concatenation from the collections themselves', () => {
    expect(
      optimized(
        'ds.Where(lambda e: e.Electron.Select(lambda l: l.pt * 2).Concat(e.Muon.OrderBy(lambda m: m.eta).Select(lambda m: m.pt)).Count() >= 3)',
        rules,
      ),
    ).toBe(planText('Where lambda e: e.Electron.Count() + e.Muon.Count() >= 3'));
  });
  it('keeps a Select that may fail, and a Where (which changes the count)', () => {
    for (const q of [
      'ds.Where(lambda e: e.Jet.Select(lambda j: e.Muon_pt.First()).Count() >= 1)',
      'ds.Where(lambda e: e.Jet.Where(lambda j: j.pt > 30).Count() >= 1)',
    ])
      expect(optimized(q, rules)).toBe(explain(parseQuery(q)));
  });
});

describe('the driver', () => {
  it('runs all rules to a fixpoint and traces each rewrite', () => {
    const r = optimize(
      parseQuery(
        "ds.Select(lambda e: {'n': e.nMuon, 'pt': e.Muon_pt, 'met': e.MET_pt}).Where(lambda r: r.met > 2 * 10 and r.n >= 2).Select(lambda r: r.pt).Take(5)",
      ),
      context(),
    );
    expect(explain(r.plan)).toBe(
      planText(
        'Select lambda e: e.Muon_pt',
        'Limit skip=0 take=5',
        'Where lambda e: e.MET_pt > 20',
        'Where lambda e: e.nMuon >= 2',
      ),
    );
    expect(r.trace.map((t) => t.rule)).toEqual([
      'constant-folding',
      'split-conjunction',
      'predicate-pushdown',
      'predicate-pushdown',
      'projection-pruning',
      'select-fusion',
      'limit-pushdown',
      'filter-order',
    ]);
    expect(optimize(r.plan, context()).trace).toEqual([]);
  });
  it('disables rules by name', () => {
    const q = 'ds.Where(lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 2 and e.nMuon >= 2)';
    const r = optimize(parseQuery(q), context({ disable: ['filter-order'] }));
    expect(r.trace.map((t) => t.rule)).toEqual(['split-conjunction']);
    expect(explain(r.plan)).toBe(
      planText(
        'Where lambda e: e.nMuon >= 2',
        'Where lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 2',
      ),
    );
  });
  it('refuses an unknown rule name with the list of rules', () => {
    const e = (() => {
      try {
        optimize(parseQuery('ds.Select(lambda e: e.MET_pt)'), context({ rules: ['constant-foldin'] }));
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(HepqError);
    expect((e as HepqError).hint).toContain('constant-folding');
    expect(describeRules().map((r) => r.name)).toContain('count-simplification');
  });
});
