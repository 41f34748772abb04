import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { explain } from '../../planner/ir/index.js';
import { from, parseFuncAdl, parseQastle, parseQuery } from '../../query/index.js';

const TEXT =
  "EventDataset('f.root', 'Events').Where(lambda e: e.Jet_pt.Where(lambda j: j > 40).Count() >= 2).Select(lambda e: {'met': e.MET_pt, 'pts': (e.Jet_pt, -e.x)})";
const SPELLINGS = {
  bare: "(Select (Where (call EventDataset 'f.root' 'Events') (lambda (list e) (>= (Count (Where (attr e 'Jet_pt') (lambda (list j) (> j 40)))) 2))) (lambda (list e) (dict (list 'met' 'pts') (list (attr e 'MET_pt') (list (attr e 'Jet_pt') (- (attr e 'x')))))))",
  call: "(call Select (call Where (call EventDataset 'f.root' 'Events') (lambda (list e) (>= (call Count (call Where (attr e 'Jet_pt') (lambda (list j) (> j 40)))) 2))) (lambda (list e) (dict (list 'met' 'pts') (list (attr e 'MET_pt') (list (attr e 'Jet_pt') (- (attr e 'x')))))))",
  attr: "(call (attr (call (attr (call EventDataset 'f.root' 'Events') 'Where') (lambda (list e) (>= (call (attr (call (attr (attr e 'Jet_pt') 'Where') (lambda (list j) (> j 40))) 'Count')) 2))) 'Select') (lambda (list e) (dict (list 'met' 'pts') (list (attr e 'MET_pt') (list (attr e 'Jet_pt') (- (attr e 'x')))))))",
};

describe('qastle', () => {
  const expected = explain(parseFuncAdl(TEXT));
  for (const [name, q] of Object.entries(SPELLINGS)) {
    it(`the ${name} spelling gives the func_adl text's plan`, () => {
      expect(explain(parseQastle(q))).toBe(expected);
      expect(explain(parseQuery(q))).toBe(expected);
    });
  }

  it("qastle's Contains node and func_adl_uproot's dataset spellings give the func_adl text's plan", () => {
    const pairs: [string, string][] = [
      [
        "(Contains (Select (call UprootDataset 'f.root' 'tree') (lambda (list e) (attr e 'x'))) 0)",
        "UprootDataset('f.root', 'tree').Select(lambda e: e.x).Contains(0)",
      ],
      [
        "(Select (call EventDataset 'f.root') (lambda (list e) (Contains (attr e 'v') (+ (attr e 'x') 4))))",
        "EventDataset('f.root').Select(lambda e: e.v.Contains(e.x + 4))",
      ],
      [
        "(Select (call EventDataset 'f.root') (lambda (list e) (subscript (attr e 'v') -1)))",
        "EventDataset('f.root').Select(lambda e: e.v[-1])",
      ],
    ];
    for (const [q, text] of pairs) expect(explain(parseQastle(q))).toBe(explain(parseFuncAdl(text)));
  });

  it('parses if, not, and/or, subscript and literals', () => {
    const q =
      "(Select (call EventDataset) (lambda (list e) (if (and (not (attr e 'a')) (or True False)) (subscript (attr e 'v') 0) 1.5)))";
    expect(explain(parseQastle(q))).toBe(
      'Select lambda e: e.v[0] if not e.a and (True or False) else 1.5\n  Source files=[]',
    );
  });

  it('reports an unbalanced s-expression with a caret', () => {
    const err = (() => {
      try {
        parseQastle("(Select (call EventDataset 'f.root')");
      } catch (e) {
        return e as HepqError;
      }
    })();
    expect(err).toBeInstanceOf(HepqError);
    expect(err!.render()).toContain('qastle syntax error');
  });

  it('reports an unknown operator with a suggestion', () => {
    expect(() => parseQastle("(Selct (call EventDataset 'f.root') (lambda (list e) e))")).toThrow(
      /unknown query operator Selct/,
    );
  });
});

describe('TypeScript lambdas', () => {
  it('build the same plan as func_adl text', () => {
    const q = from('f.root', 'Events')
      .Where((e) => e.Jet_pt.Where((j: number) => j > 40).Count() >= 2)
      .Select((e) => ({ met: e.MET_pt, pts: [e.Jet_pt, -e.x] }));
    expect(explain(q.plan)).toBe(explain(parseFuncAdl(TEXT)));
  });

  it('map Math, ternaries, && / || / !, and captured constants', () => {
    const q = from()
      .withConstants({ cut: 30 })
      .Select((e) => (!e.a && (e.b || e.c) ? Math.sqrt(e.x) : Math.abs(e.y) * Math.PI))
      .Where((x) => x > cut);
    expect(explain(q.plan)).toBe(
      [
        'Where lambda x: x > 30',
        '  Select lambda e: sqrt(e.x) if not e.a and (e.b or e.c) else abs(e.y) * 3.141592653589793',
        '    Source files=[]',
      ].join('\n'),
    );
  });

  it('cover the event-level operators', () => {
    const q = from()
      .MetaData({ name: 'x' })
      .Select((e) => e.MET_pt)
      .Hist2D(
        (m) => m,
        (m) => m * 2,
        {
          bins: [10, 20],
          range: [
            [0, 100],
            [0, 200],
          ],
        },
      );
    expect(explain(q.plan)).toBe(
      [
        'Hist lambda m: m bins=10 range=(0, 100); lambda m: m * 2 bins=20 range=(0, 200)',
        '  Select lambda e: e.MET_pt',
        "    MetaData {'name': 'x'}",
        '      Source files=[]',
      ].join('\n'),
    );
    expect(explain(from().Any((e) => e.nMuon > 1).plan)).toBe(
      'Reduce Any lambda e: e.nMuon > 1\n  Source files=[]',
    );
  });

  it('reject statements in a lambda body', () => {
    expect(() => from().Select('(e) => { const x = 1; return x; }')).toThrow(/one expression/);
  });
});

declare const cut: number;
