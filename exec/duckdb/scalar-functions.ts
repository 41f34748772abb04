/** The registry's scalar functions (ΔR, masses…) as DuckDB scalar functions over DOUBLE: one code path for func_adl and SQL. */
import { DOUBLE, type DuckDBConnection, DuckDBScalarFunction } from '@duckdb/node-api';
import type { FunctionRegistry } from '../../udfs/api.js';

/** A DuckDB function over DOUBLEs calling `fn` row by row (NULL in any argument gives NULL). */
function doubleFunction(name: string, arity: number, fn: (...x: number[]) => number): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name,
    returnType: DOUBLE,
    parameterTypes: Array.from({ length: arity }, () => DOUBLE),
    mainFunction: (_info, input, output) => {
      const vectors = Array.from({ length: arity }, (_, k) => input.getColumnVector(k));
      const a = new Array<number>(arity);
      for (let i = 0; i < input.rowCount; i++) {
        let isNull = false;
        for (let k = 0; k < arity; k++) {
          const v = vectors[k]!.getItem(i);
          if (v === null) isNull = true;
          a[k] = v as number;
        }
        output.setItem(i, isNull ? null : fn(...a));
      }
      output.flush();
    },
  });
}

export function registerScalarFunctions(con: DuckDBConnection, registry: FunctionRegistry): string[] {
  const names: string[] = [];
  for (const name of registry.scalarNames()) {
    const f = registry.scalar(name)!;
    if (f.returns.kind !== 'primitive' || f.arity.length !== 1) continue;
    con.registerScalarFunction(doubleFunction(name, f.arity[0]!, f.fn));
    names.push(name);
  }
  return names;
}

/**
 * V8's own Math functions, as DuckDB functions `hepq_js_<name>` over DOUBLE: DuckDB's libm rounds some values
 * differently in the last bit, so func_adl queries translated to SQL (exec/duckdb-plan) call these to give the
 * compiled loop's bits.
 */
export const JS_MATH_SQL: Readonly<Record<string, (...x: number[]) => number>> = {
  exp: Math.exp,
  log: Math.log,
  log10: Math.log10,
  log2: Math.log2,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  atan2: Math.atan2,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  hypot: Math.hypot,
  pow: Math.pow,
  round: Math.round,
};

export function registerJsMath(con: DuckDBConnection): void {
  for (const [name, fn] of Object.entries(JS_MATH_SQL))
    con.registerScalarFunction(doubleFunction(`hepq_js_${name}`, fn.length, fn));
}
