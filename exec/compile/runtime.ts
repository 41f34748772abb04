/** Helpers the generated code calls (passed in as `H`): buffer growth, sorting, wrapped Δφ, located runtime errors. */
import { P4_FORMULAS as F, printFormula } from '../../planner/ir/index.js';
import { HepqError } from '../batch/index.js';

const DPHI = new Function('a', 'b', `const d = a - b;\nreturn ${printFormula(F.wrapPhi('d'), 'js')};`) as (
  a: number,
  b: number,
) => number;

export const runtime = {
  /** A buffer at least twice as long, with the old contents. */
  grow<A extends Float64Array | Int32Array>(a: A, need: number): A {
    let n = Math.max(16, a.length * 2);
    while (n <= need) n *= 2;
    const b = new (a.constructor as new (n: number) => A)(n);
    b.set(a);
    return b;
  },

  /** Δφ = a − b wrapped into [−π, π): the shared formula (planner/ir/formulas.ts), printed as JS. */
  dphi: DPHI,

  /** Sort `perm[0..n)` by `keys[perm[i]]`, stably; NaN keys go last. */
  argsort(keys: Float64Array, perm: Int32Array, n: number, descending: boolean): void {
    for (let i = 0; i < n; i++) perm[i] = i;
    const sign = descending ? -1 : 1;
    perm.subarray(0, n).sort((a, b) => {
      const ka = keys[a]!;
      const kb = keys[b]!;
      if (ka !== kb) {
        if (Number.isNaN(ka)) return 1;
        if (Number.isNaN(kb)) return -1;
        return ka < kb ? -sign : sign;
      }
      return a - b;
    });
  },

  /** Python's `%` (the sign of the divisor). */
  mod(a: number, b: number): number {
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },

  /** Integer `//`: floor division; a zero divisor is an error, as Python's ZeroDivisionError. */
  idiv(a: number, b: number, start?: number, end?: number): number {
    if (b === 0) runtime.divideByZero('division', a, start, end);
    return Math.floor(a / b);
  },

  /** Integer `%` with the divisor's sign; a zero divisor is an error. */
  imod(a: number, b: number, start?: number, end?: number): number {
    if (b === 0) runtime.divideByZero('modulo', a, start, end);
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },

  divideByZero(what: string, a: number, start?: number, end?: number): never {
    throw new HepqError('exec/division-by-zero', `integer ${what} by zero (${a} by 0)`, {
      hint: 'guard the divisor, e.g. (a // b if b != 0 else 0), or divide as floats with /',
      ...(start !== undefined ? { span: { start, end: end ?? start + 1 } } : {}),
    });
  },

  empty(op: string, start?: number, end?: number): never {
    throw new HepqError('exec/empty', `${op}() of an empty collection`, {
      hint: 'guard it, e.g. .Where(lambda e: e.Jet.Count() > 0), or use FirstOrDefault()',
      ...(start !== undefined ? { span: { start, end: end ?? start + 1 } } : {}),
    });
  },

  outOfRange(index: number, length: number, start?: number, end?: number): never {
    throw new HepqError('exec/index-range', `index ${index} is out of range for a collection of ${length}`, {
      ...(start !== undefined ? { span: { start, end: end ?? start + 1 } } : {}),
    });
  },
};

export type Runtime = typeof runtime;
