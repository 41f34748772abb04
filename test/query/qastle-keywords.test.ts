// Keyword arguments in qastle: `(keyword 'name' value)` for Python's `name=value` (qastle itself drops them), so a
// categorised Hist (category=, weight= dicts, variation=) and bin edges reach hepq from a ServiceX-style client.
// Parsed: the same plan as the Python text; printed: read back to the same plan.
import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { explain, stripSpans } from '../../planner/ir/index.js';
import { parseFuncAdl, parseQastle, parseQuery, planToQastle } from '../../query/index.js';
import { AGC_QUERY } from '../../server/agc/agc-query.js';

const PYTHON = `EventDataset('f.root').Hist(lambda e: e.ht, bins=4, range=(0, 400),
  category={'region': {'low': lambda e: e.nj < 4, 'high': lambda e: e.nj >= 4}},
  weight={'nominal': lambda e: e.w, 'up': lambda e: e.w * 1.1},
  variation={'jes_up': lambda e: {'ht': e.ht * 1.03}})`;
// Written by hand, as a client would send it.
const QASTLE = `(Hist (call EventDataset 'f.root') (lambda (list e) (attr e 'ht')) 4 (list 0 400)
  (keyword 'category' (dict (list 'region') (list (dict (list 'low' 'high')
    (list (lambda (list e) (< (attr e 'nj') 4)) (lambda (list e) (>= (attr e 'nj') 4)))))))
  (keyword 'weight' (dict (list 'nominal' 'up') (list (lambda (list e) (attr e 'w')) (lambda (list e) (* (attr e 'w') 1.1)))))
  (keyword 'variation' (dict (list 'jes_up') (list (lambda (list e) (dict (list 'ht') (list (* (attr e 'ht') 1.03))))))))`;

const error = (f: () => unknown): HepqError => {
  try {
    f();
  } catch (e) {
    if (e instanceof HepqError) return e;
    throw e;
  }
  throw new Error('expected a HepqError');
};

describe('qastle keyword arguments', () => {
  it("a categorised Hist written with (keyword 'name' value) gives the Python text's plan", () => {
    const py = parseFuncAdl(PYTHON);
    expect(explain(parseQastle(QASTLE))).toBe(explain(py));
    expect(stripSpans(parseQuery(QASTLE))).toEqual(stripSpans(py));
    // the (call (attr …)) spelling and bare symbol names too
    const attr = QASTLE.replace(
      /^\(Hist \(call EventDataset 'f\.root'\)/,
      "(call (attr (call EventDataset 'f.root') 'Hist')",
    ).replace(/\(keyword '(\w+)'/g, '(keyword $1');
    expect(stripSpans(parseQastle(attr))).toEqual(stripSpans(py));
  });

  it('prints a categorised Hist with its keywords, read back to the same plan (the AGC query)', () => {
    for (const text of [PYTHON, AGC_QUERY]) {
      const plan = parseFuncAdl(text);
      const q = planToQastle(plan);
      expect(q).toContain("(keyword 'category' (dict (list 'region')");
      expect(q).toContain("(keyword 'weight' (dict (list 'nominal'");
      expect(q).toContain("(keyword 'variation' (dict (list");
      expect(stripSpans(parseQastle(q))).toEqual(stripSpans(plan));
    }
    expect(planToQastle(parseFuncAdl(AGC_QUERY))).toContain(
      "(keyword 'variation' (dict (list 'pt_scale_up' 'pt_res_up')",
    );
  });

  it('prints bin edges and a single weight beside them as keywords', () => {
    for (const text of [
      'EventDataset().Hist(lambda e: e.x, edges=[0, 10, 30, 100], weight=lambda e: e.w)',
      'EventDataset().Hist2D(lambda e: e.x, lambda e: e.y, edges=([0, 1, 5], [-1, 0, 2, 3]))',
    ]) {
      const plan = parseFuncAdl(text);
      const q = planToQastle(plan);
      expect(q).toContain("(keyword 'edges' (list");
      expect(stripSpans(parseQastle(q))).toEqual(stripSpans(plan));
    }
  });

  it('says where a keyword is misplaced or malformed', () => {
    const outside = "(Select (call EventDataset) (lambda (list e) (keyword 'x' 1)))";
    let e = error(() => parseQastle(outside));
    expect(e.message).toMatch(/can only be an argument of a call/);
    expect(outside.slice(e.span!.start, e.span!.end)).toBe("(keyword 'x' 1)");
    const after = "(Hist (call EventDataset) (lambda (list e) (attr e 'x')) (keyword 'bins' 4) (list 0 1))";
    e = error(() => parseQastle(after));
    expect(e.message).toMatch(/positional argument follows keyword argument/);
    expect(after.slice(e.span!.start, e.span!.end)).toBe('(list 0 1)');
    e = error(() => parseQastle("(Hist (call EventDataset) (lambda (list e) (attr e 'x')) (keyword 4 4))"));
    expect(e.message).toMatch(/\(keyword 'name' value\)/);
    e = error(() =>
      parseQastle(
        "(Hist (call EventDataset) (lambda (list e) (attr e 'x')) (keyword 'bins' 4) (keyword 'bins' 5))",
      ),
    );
    expect(e.message).toMatch(/keyword argument bins repeated/);
    // an unknown keyword is the lowering's error, as for the Python text
    e = error(() =>
      parseQastle(
        "(Hist (call EventDataset) (lambda (list e) (attr e 'x')) (keyword 'bins' 4) (keyword 'rnage' (list 0 1)))",
      ),
    );
    expect(e.message).toMatch(/Hist has no keyword rnage/);
    expect(e.hint).toMatch(/did you mean range/);
  });
});
