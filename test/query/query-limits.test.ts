/** Hostile queries: nesting past the stack, hostile Take/Skip counts, division by zero, oversized histograms. */
import { afterAll, describe, expect, it } from 'vitest';
import { openRoot } from '../../connectors/root/index.js';
import { HepqError } from '../../exec/batch/index.js';
import { resultToJson } from '../../exec/index.js';
import { parseQuery } from '../../query/index.js';
import { FUNC_ADL_NESTING_LIMIT, PLAN_DEPTH_LIMIT, QASTLE_NESTING_LIMIT } from '../../query/nesting.js';
import { Session } from '../../server/session.js';
import { runCli } from '../helpers/cli.js';
import { HAVE_ROOT_DATA, SHARED } from '../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

function caught(f: () => unknown): HepqError {
  try {
    f();
  } catch (e) {
    if (e instanceof HepqError) return e;
    throw new Error(`not a HepqError: ${(e as Error).stack}`);
  }
  throw new Error('no error');
}

const brackets = (n: number) => `ds.Select(lambda e: ${'['.repeat(n)}e.MET_pt${']'.repeat(n)})`;
const parens = (n: number) => `ds.Select(lambda e: ${'('.repeat(n)}e.MET_pt${')'.repeat(n)})`;
const unary = (n: number) => `ds.Select(lambda e: ${'-'.repeat(n)}e.MET_pt)`;
const power = (n: number) => `ds.Select(lambda e: ${Array(n).fill('e.nJet').join(' ** ')})`;
const chain = (n: number) => `ds${'.Where(lambda e: e.MET_pt > 0)'.repeat(n)}.Select(lambda e: e.MET_pt)`;
const sum = (n: number) => `ds.Select(lambda e: ${Array(n).fill('e.MET_pt').join(' + ')})`;
const qcalls = (n: number) =>
  `${'(Where '.repeat(n)}(call EventDataset 'f.root')${" (lambda (list e) (> (attr e 'MET_pt') 0)))".repeat(n)}`;

describe('nesting limits', () => {
  // The depths the issue found overflowing the stack, and far beyond: each is a located query/too-deep error.
  const cases: [string, string, RegExp][] = [
    ['55 nested [ ] (overflowed the CLI)', brackets(55), /expression nested too deep \(limit 32\)/],
    ['106 nested [ ] (overflowed the library)', brackets(106), /nested too deep/],
    ['110 parentheses', parens(110), /nested too deep/],
    ['10,000 parentheses', parens(10000), /nested too deep/],
    ['5,000 unary minus signs', unary(5000), /nested too deep/],
    ['1,000 chained powers', power(1000), /nested too deep/],
    ['673 nested qastle calls', qcalls(673), /s-expression nested too deep \(limit 200\)/],
    ['5,000 chained Where', chain(5000), /query nested too deep \(limit 200\)/],
    ['a sum of 5,000 terms', sum(5000), /query nested too deep/],
  ];
  for (const [name, text, message] of cases)
    it(`${name}: located error`, () => {
      const e = caught(() => parseQuery(text));
      expect(e.code).toBe('query/too-deep');
      expect(e.message).toMatch(message);
      expect(e.span).toBeDefined();
      expect(e.span!.start).toBeGreaterThanOrEqual(0);
      expect(e.span!.end).toBeLessThanOrEqual(text.length);
      expect(e.render()).toContain('^');
    });

  it('the caret of a too-deep bracket points at the first bracket past the limit', () => {
    const e = caught(() => parseQuery(brackets(40)));
    // `ds.Select(` and `lambda` take two levels: bracket number 31 is the 33rd level
    expect(e.span!.start).toBe('ds.Select(lambda e: '.length + FUNC_ADL_NESTING_LIMIT - 2);
  });

  it('brackets inside strings and comments do not count', () => {
    expect(() => parseQuery(`ds.Select(lambda e: e.MET_pt) # ${'['.repeat(100)}`)).not.toThrow();
    expect(() => parseQuery(`ds.Where(lambda e: '${'('.repeat(100)}' != 'x')`)).not.toThrow();
    expect(() =>
      parseQuery(`(Select (call EventDataset '${'('.repeat(300)}') (lambda (list e) e))`),
    ).not.toThrow();
  });

  it('a name of 100,000 characters is refused before parsing, in func_adl and qastle', () => {
    const name = 'x'.repeat(100_000);
    for (const text of [
      `ds.Select(lambda e: e.${name})`,
      `(Select (call EventDataset 'f.root') (lambda (list ${name}) 1))`,
    ]) {
      const e = caught(() => parseQuery(text));
      expect(e.code).toBe('query/name-too-long');
      expect(e.message).toBe('a name of 100000 characters (limit 1000)');
      expect(text.slice(e.span!.start, e.span!.start + 3)).toBe('xxx');
    }
  });

  it('exports limits that leave normal queries alone', () => {
    expect(FUNC_ADL_NESTING_LIMIT).toBe(32);
    expect(QASTLE_NESTING_LIMIT).toBe(200);
    expect(PLAN_DEPTH_LIMIT).toBe(200);
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('queries just inside the limits run to the right answer', () => {
  const session = new Session({ device: 'cpu' });
  afterAll(() => session.close());
  const met = async () => {
    const f = await openRoot(FILE);
    try {
      const b = await f.read('Events', { branches: ['MET_pt'] });
      const c = b.columns[0]!;
      if (c.kind !== 'primitive') throw new Error('MET_pt is not flat');
      return c.values as Float32Array;
    } finally {
      await f.close();
    }
  };

  it('a sum of 190 MET_pt terms is 190 × MET_pt (the reader gives the reference)', async () => {
    const ref = await met();
    const rows = resultToJson(await session.query(sum(190), { files: [FILE] })) as number[];
    expect(rows).toHaveLength(ref.length);
    for (let i = 0; i < ref.length; i += 97) expect(rows[i]).toBeCloseTo(190 * ref[i]!, 1);
  });

  it('150 chained Where(MET_pt > 0) keep the events with MET_pt > 0', async () => {
    const ref = await met();
    const r = await session.query(`${chain(150)}.Count()`, { files: [FILE] });
    expect(r.kind === 'value' ? r.value : undefined).toBe(ref.filter((x) => x > 0).length);
  });

  it('29 nested brackets (31 levels with Select and lambda) hold MET_pt at the bottom', async () => {
    const ref = await met();
    let v: unknown = resultToJson(
      await session.query(brackets(29).replace('ds.', 'ds.Take(1).'), { files: [FILE] }),
    );
    for (let i = 0; i < 30; i++) v = (v as unknown[])[0] ?? Object.values(v as object)[0];
    expect(v).toBeCloseTo(ref[0]!, 3);
    const cli = await runCli('query', brackets(29).replace('ds.', 'ds.Take(1).'), FILE);
    expect(cli.code).toBe(0);
    expect(Number(cli.out.match(/-?\d+\.\d+/)![0])).toBeCloseTo(ref[0]!, 3);
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('the CLI reports nesting as an error, never a stack', () => {
  for (const [name, text] of [
    ['55 [', brackets(55)],
    ['110 (', parens(110)],
    ['673 qastle calls', qcalls(673)],
  ] as const)
    it(name, async () => {
      const r = await runCli('query', text, FILE);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/error\[query\/too-deep\]: .* nested too deep \(limit \d+\)/);
      expect(r.err).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);
    });
});

describe.skipIf(!HAVE_ROOT_DATA)('Take, Skip and division by zero', () => {
  const session = new Session({ device: 'cpu' });
  afterAll(() => session.close());
  const run = (q: string) => session.query(q, { files: [FILE] });
  const fails = async (q: string, code: string, message: RegExp) => {
    const e = await run(q).then(
      () => undefined,
      (x) => x,
    );
    expect(e).toBeInstanceOf(HepqError);
    expect((e as HepqError).code).toBe(code);
    expect((e as HepqError).message).toMatch(message);
    expect((e as HepqError).span).toBeDefined();
  };

  it('Take(-1), Take(1e20), Skip(-3) and a collection Take(-2) are refused with a caret', async () => {
    await fails('ds.Take(-1)', 'query/invalid', /Take takes a count from 0 to 2\^53 − 1, not -1/);
    await fails('ds.Take(1e20)', 'query/invalid', /Take takes a count .* not 100000000000000000000/);
    await fails('ds.Skip(-3)', 'query/invalid', /Skip takes a count/);
    await fails('ds.Select(lambda e: e.Jet_pt.Take(-2))', 'planner/type', /Take takes a count .* not -2/);
  });

  it('integer // 0 and % 0 are refused at type check, as Python raises ZeroDivisionError', async () => {
    await fails('ds.Select(lambda e: e.nMuon // 0)', 'planner/type', /floor division by zero/);
    await fails('ds.Select(lambda e: e.nJet % 0)', 'planner/type', /modulo by zero/);
  });

  it('an integer divisor that is zero at run time stops the query with a located error', async () => {
    await fails(
      'ds.Select(lambda e: e.nMuon // (e.nJet - e.nJet))',
      'exec/division-by-zero',
      /integer division by zero/,
    );
    await fails(
      'ds.Select(lambda e: e.nMuon % (e.nJet - e.nJet))',
      'exec/division-by-zero',
      /integer modulo by zero/,
    );
  });

  it('integer // and % keep Python semantics where the divisor is not zero', async () => {
    const got = resultToJson(
      await run('ds.Take(5).Select(lambda e: (e.nMuon - 3) // 2 + (e.nMuon - 3) % 2 * 100)'),
    );
    const f = await openRoot(FILE);
    const n = (await f.read('Events', { branches: ['nMuon'], stop: 5 })).columns[0]!;
    await f.close();
    if (n.kind !== 'primitive') throw new Error('nMuon is not flat');
    const want = Array.from(n.values as ArrayLike<number>, (x) => {
      const a = Number(x) - 3;
      // Python: floor division, and a remainder with the divisor's sign
      return Math.floor(a / 2) + (((a % 2) + 2) % 2) * 100;
    });
    expect(got).toEqual(want);
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('histogram limits are checked before anything is allocated', () => {
  const session = new Session({ device: 'cpu' });
  afterAll(() => session.close());
  const fails = async (q: string, message: RegExp) => {
    const e = await session.query(q, { files: [FILE] }).then(
      () => undefined,
      (x) => x,
    );
    expect(e).toBeInstanceOf(HepqError);
    expect((e as HepqError).message).toMatch(message);
    expect((e as HepqError).span).toBeDefined();
  };
  it('bins over 10^7 (one axis or the product of two), fractional bins, infinite ranges', async () => {
    await fails(
      'ds.Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=1e12, range=(0, 200))',
      /over the limit of 10000000/,
    );
    await fails(
      'ds.Select(lambda e: (e.MET_pt, e.MET_phi)).Hist2D(lambda p: p[0], lambda p: p[1], bins=(10000, 10000), range=(0, 200, -4, 4))',
      /a histogram of 100000000 bins is over the limit/,
    );
    await fails(
      'ds.Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=2.5, range=(0, 200))',
      /whole number of bins/,
    );
    await fails(
      'ds.Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=10, range=(0, 1e400))',
      /finite lo < hi/,
    );
  });
});
