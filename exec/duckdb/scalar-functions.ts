/** The registry's scalar functions (ΔR, masses…) as DuckDB scalar functions over DOUBLE: one code path for func_adl and SQL. */
import { DOUBLE, type DuckDBConnection, DuckDBScalarFunction } from '@duckdb/node-api';
import type { FunctionRegistry } from '../../udfs/api.js';

export function registerScalarFunctions(con: DuckDBConnection, registry: FunctionRegistry): string[] {
  const names: string[] = [];
  for (const name of registry.scalarNames()) {
    const f = registry.scalar(name)!;
    if (f.returns.kind !== 'primitive' || f.arity.length !== 1) continue;
    const arity = f.arity[0]!;
    const fn = f.fn;
    con.registerScalarFunction(
      DuckDBScalarFunction.create({
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
      }),
    );
    names.push(name);
  }
  return names;
}
