/**
 * The shared physics formulas (planner/ir/formulas.ts) printed for each target give the hand-derived values:
 * the JavaScript text evaluated here, the SQL text evaluated by DuckDB (a second reader), and the exact WGSL
 * text the fused kernels have always used.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { P4_FORMULAS as F, type Formula, printFormula } from '../../../planner/ir/index.js';

// (E, px, py, pz) = (13, 3, 4, 0): pt 5, mass √(169 − 25) = 12, p 5, mt 13, Et = 13·5/5 = 13, rapidity 0.
// (E, px, py, pz) = (5, 0, 0, 5): a massless vector along z: mass 0, pt 0, rapidity +∞.
// m² = 1 − 4 = −3 (spacelike): mass −√3.
const CASES: [string, Formula, number][] = [
  ['pt', F.pt('3', '4'), 5],
  ['phi', F.phi('0', '2'), Math.PI / 2],
  ['mass', F.mass(F.m2('13', '3', '4', '0')), 12],
  ['spacelike mass', F.mass(F.m2('1', '2', '0', '0')), -Math.sqrt(3)],
  ['energy', F.energy('3', '4', '0', '12'), 13],
  ['p', F.p('3', '4', '0'), 5],
  ['mt', F.mt('13', '0'), 13],
  ['Et', F.Et('13', '5', '5'), 13],
  ['Et at rest', F.Et('1', '0', '0'), 0],
  ['rapidity', F.rapidity('13', '0'), 0],
  ['eta of a zero vector', F.eta('0', '0'), 0],
  ['eta', F.eta('3', '4'), Math.asinh(0.75)],
  ['px', F.px('2', '0'), 2],
  ['pz', F.pz('2', '0'), 0],
  ['deltaR', F.deltaR('3', '4'), 5],
  ['wrapPhi inside', F.wrapPhi('1'), 1],
  ['wrapPhi above', F.wrapPhi(String(Math.PI + 1)), 1 - Math.PI],
  ['wrapPhi at -π', F.wrapPhi(String(-Math.PI - 0.5)), Math.PI - 0.5],
];

describe('shared formulas printed per target', () => {
  for (const [name, f, want] of CASES)
    it(`${name}: JavaScript`, () => {
      const js = printFormula(f, 'js');
      expect(new Function(`return ${js};`)()).toBeCloseTo(want, 12);
    });

  it('SQL: DuckDB evaluates every formula to the hand value', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    try {
      for (const [name, f, want] of CASES) {
        const sql = printFormula(f, 'sql');
        const r = await con.runAndReadAll(`SELECT (${sql})::DOUBLE AS v`);
        const v = r.getRowObjects()[0]!.v as number;
        expect(v, `${name}: ${sql}`).toBeCloseTo(want, 12);
      }
    } finally {
      con.closeSync();
    }
  });

  it('WGSL: the kernels’ texts (float literals, select, no Math.)', () => {
    expect(printFormula(F.mass('m2'), 'wgsl')).toBe('select(sqrt(m2), -sqrt(-m2), m2 < 0.0)');
    expect(printFormula(F.pt('x', 'y'), 'wgsl')).toBe('sqrt(x * x + y * y)');
    expect(printFormula(F.rapidity('e', 'z'), 'wgsl')).toBe('0.5 * log((e + z) / (e - z))');
    expect(printFormula(F.wrapPhi('d'), 'wgsl')).toBe(
      'select(d, d - 6.283185307179586 * floor((d + 3.141592653589793) / 6.283185307179586), d >= 3.141592653589793 || d < -3.141592653589793)',
    );
  });

  it('keeps the tree: a − (b − c) and a / (b · c) keep their parentheses, (a − b) − c needs none', () => {
    expect(printFormula(F.difference('a', F.difference('b', 'c')), 'js')).toBe('a - (b - c)');
    expect(printFormula(F.difference(F.difference('a', 'b'), 'c'), 'js')).toBe('a - b - c');
    expect(printFormula(F.Et('a', 'b', 'c'), 'js')).toBe('(c === 0 ? 0 : a * b / c)');
  });
});
