/** A request's selection: parsed once per request to check its language and syntax, normalised for caching. */
import { HepqError } from '../../exec/batch/index.js';
import type { LogicalPlan } from '../../planner/ir/index.js';
import { parseFuncAdl, parseQastle, planToQastle } from '../../query/index.js';
import { CODEGENS, type Codegen } from './types.js';

export interface CompiledSelection {
  readonly plan: LogicalPlan;
  readonly codegen: Codegen;
  /** The plan as canonical qastle: equal queries spelled differently normalise to the same text. */
  readonly normalized: string;
}

export function checkCodegen(codegen: string | undefined): Codegen {
  const c = codegen ?? 'uproot';
  if ((CODEGENS as readonly string[]).includes(c)) return c as Codegen;
  throw new HepqError(
    'servicex/codegen',
    `codegen '${c}' is not served here; accepted: ${CODEGENS.join(', ')}`,
    {
      hint: "send qastle (what func_adl_uproot generates) with codegen 'uproot', or func_adl text with 'func-adl'",
    },
  );
}

/** Parse a selection in its language; syntax errors are located `HepqError`s (with the caret). */
export function compileSelection(text: string, codegen: Codegen): CompiledSelection {
  if (typeof text !== 'string' || text.trim() === '')
    throw new HepqError('servicex/request', 'the "selection" is empty');
  let plan: LogicalPlan;
  if (codegen === 'uproot') {
    if (!text.trimStart().startsWith('('))
      throw new HepqError('servicex/selection', "codegen 'uproot' takes qastle (an s-expression)", {
        hint: "func_adl text goes with codegen 'func-adl'",
      });
    plan = parseQastle(text);
  } else {
    plan = parseFuncAdl(text);
  }
  return { plan, codegen, normalized: planToQastle(plan) };
}

/**
 * A transformer writes rows, so a query ending in an aggregate or a histogram is refused (`scalar`: the
 * analysed plan yields one value).
 */
export function refuseScalar(scalar: true): never;
export function refuseScalar(scalar: boolean): void;
export function refuseScalar(scalar: boolean): void {
  if (scalar)
    throw new HepqError(
      'servicex/selection',
      'a transformation writes rows per input file; this query ends in one value (an aggregate or histogram)',
      { hint: 'drop the final Count/Sum/Hist and aggregate the delivered rows' },
    );
}
