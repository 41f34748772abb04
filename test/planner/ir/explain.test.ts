import { describe, expect, it } from 'vitest';
import {
  ex,
  explain,
  freeNames,
  plan,
  rewriteExpr,
  stripSpans,
  substituteNames,
} from '../../../planner/ir/index.js';

const e = ex.name('e');
const ptCut = ex.lambda(['j'], ex.compare('>', ex.name('j'), ex.lit(30, undefined, true)));

describe('explain', () => {
  it('prints one node per line, inputs indented', () => {
    const p = plan.select(
      plan.where(
        plan.source(['f.root'], 'Events'),
        ex.lambda(['e'], ex.compare('>=', ex.attr(e, 'nMuon'), ex.lit(2, undefined, true))),
      ),
      ex.lambda(['e'], ex.op('Count', ex.op('Where', ex.attr(e, 'Jet_pt'), [ptCut]), [])),
    );
    expect(explain(p)).toBe(
      [
        'Select lambda e: e.Jet_pt.Where(lambda j: j > 30).Count()',
        '  Where lambda e: e.nMuon >= 2',
        "    Source files=['f.root'] tree='Events'",
      ].join('\n'),
    );
  });

  it('parenthesises by precedence only', () => {
    const a = ex.name('a');
    const b = ex.name('b');
    const sum = ex.binary('+', a, b);
    expect(explain(plan.select(plan.source(), ex.lambda(['a'], ex.binary('*', sum, b))))).toContain(
      '(a + b) * b',
    );
    expect(
      explain(plan.select(plan.source(), ex.lambda(['a'], ex.binary('**', a, ex.binary('**', a, b))))),
    ).toContain('a ** a ** b');
    expect(
      explain(plan.select(plan.source(), ex.lambda(['a'], ex.unary('-', ex.binary('**', a, b))))),
    ).toContain('-a ** b');
    const dict = ex.dict(['x', 'y'], [ex.lit(1.5), ex.tuple([a])]);
    expect(explain(plan.select(plan.source(), ex.lambda(['a'], dict)))).toContain("{'x': 1.5, 'y': (a,)}");
  });

  it('prints a histogram terminal', () => {
    const p = plan.hist(plan.source(), [
      { value: ex.lambda(['x'], ex.name('x')), bins: 100, lo: 0, hi: 200 },
    ]);
    expect(explain(p)).toBe('Hist lambda x: x bins=100 range=(0, 200)\n  Source files=[]');
  });
});

describe('walk', () => {
  it('finds free names and substitutes them', () => {
    const body = ex.compare('>', ex.name('j'), ex.name('cut'));
    const lam = ex.lambda(['j'], body);
    expect([...freeNames(lam)]).toEqual(['cut']);
    const sub = substituteNames(lam, new Map([['cut', ex.lit(30, undefined, true)]]));
    expect(explain(plan.select(plan.source(), sub as never))).toContain('lambda j: j > 30');
  });

  it('rewrites bottom-up and strips spans', () => {
    const x = ex.binary('+', ex.lit(1, { start: 0, end: 1 }, true), ex.lit(2, { start: 4, end: 5 }, true));
    const folded = rewriteExpr(x, (n) =>
      n.kind === 'binary' && n.left.kind === 'literal' && n.right.kind === 'literal'
        ? ex.lit((n.left.value as number) + (n.right.value as number), undefined, true)
        : n,
    );
    expect(folded).toEqual({ kind: 'literal', value: 3, integer: true });
    expect(JSON.stringify(stripSpans(x))).not.toContain('span');
  });
});
