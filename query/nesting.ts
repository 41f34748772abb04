/**
 * Nesting limits of the query front ends, checked by counting before any recursive pass runs: the grammars
 * (ohm), the lowering, type checking and compilation all recurse once per level, and a query nested deeper
 * than the stack allows must fail with a located error, not a stack overflow. Names are limited in length too.
 */
import { HepqError, type SourceSpan } from '../exec/batch/index.js';

/**
 * Brackets, plus the right-recursive constructs (`lambda`, `if`, `not`, unary `-`/`+`, `**`) open at a point of
 * func_adl text. Each bracket level costs the grammar about 15 rule applications: the stack overflowed near 90
 * levels in the library and near 55 under the CLI, so 32 leaves room for every caller.
 */
export const FUNC_ADL_NESTING_LIMIT = 32;

/** Nested s-expressions of qastle text (one grammar rule per level). */
export const QASTLE_NESTING_LIMIT = 200;

/**
 * Depth of the lowered query: plan operators over their input plus expressions inside expressions (a chain of
 * 200 `.Where(…)` or a sum of 200 terms). The binder, optimizer and compiler recurse once per level.
 */
export const PLAN_DEPTH_LIMIT = 200;

/** The longest name (identifier, qastle symbol) a query may use: ROOT's longest branch names are far shorter. */
export const MAX_NAME_LENGTH = 1000;

function tooLong(start: number, end: number, source: string): HepqError {
  return new HepqError(
    'query/name-too-long',
    `a name of ${end - start} characters (limit ${MAX_NAME_LENGTH})`,
    {
      span: { start, end: start + 1 },
      source,
    },
  );
}

function tooDeep(what: string, limit: number, span: SourceSpan, source: string, hint: string): HepqError {
  return new HepqError('query/too-deep', `${what} nested too deep (limit ${limit})`, { span, source, hint });
}

const RECURSIVE_WORDS = new Set(['lambda', 'if', 'not']);

interface Level {
  /** right-recursive constructs open in this bracket */
  rec: number;
  /** binary operators in this bracket: a run of them nests the plan one level each (`a + b + c`) */
  ops: number;
  /** method calls chained in this bracket (`.Where(…).Select(…)`) */
  calls: number;
}

const BINARY = new Set(['+', '-', '*', '/', '//', '%', '<', '>', '<=', '>=', '==', '!=']);

/**
 * Count func_adl nesting over the tokens (strings and comments skipped) and throw at the first token past a limit:
 * brackets plus right-recursive constructs against FUNC_ADL_NESTING_LIMIT, and runs of binary operators or chained
 * calls in one bracket against PLAN_DEPTH_LIMIT — so a query too deep to lower is refused before it is parsed.
 */
export function checkFuncAdlNesting(text: string): void {
  const levels: Level[] = [{ rec: 0, ops: 0, calls: 0 }];
  let depth = 0;
  let operandExpected = true;
  const n = text.length;
  const fail = (what: string, limit: number, start: number, end: number, hint: string): never => {
    throw tooDeep(what, limit, { start, end: Math.min(n, Math.max(end, start + 1)) }, text, hint);
  };
  for (let i = 0; i < n; ) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      operandExpected = false;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    const level = levels[levels.length - 1]!;
    let deeper = false; // does this token deepen the grammar's recursion?
    if (c === '(' || c === '[' || c === '{') {
      if (c === '(' && !operandExpected && text[start - 1] !== ' ') {
        // a call: `.Where(` continues a chain in the enclosing bracket
        if (++level.calls > PLAN_DEPTH_LIMIT)
          fail('query', PLAN_DEPTH_LIMIT, start, start + 1, 'chained operators count; split the chain');
      }
      levels.push({ rec: 0, ops: 0, calls: 0 });
      deeper = true;
      i++;
      operandExpected = true;
    } else if (c === ')' || c === ']' || c === '}') {
      if (levels.length > 1) depth -= 1 + levels.pop()!.rec;
      i++;
      operandExpected = false;
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < n && /\w/.test(text[i]!)) i++;
      if (i - start > MAX_NAME_LENGTH) throw tooLong(start, i, text);
      const word = text.slice(start, i);
      if (RECURSIVE_WORDS.has(word)) {
        level.rec++;
        deeper = true;
        operandExpected = true;
      } else
        operandExpected =
          word === 'and' || word === 'or' || word === 'else' || word === 'in' || word === 'for';
    } else if (/[0-9]/.test(c) || (c === '.' && operandExpected)) {
      while (i < n && /[\w.]/.test(text[i]!)) i++;
      operandExpected = false;
    } else {
      const two = text.slice(i, i + 2);
      const op = ['**', '//', '==', '!=', '<=', '>='].includes(two) ? two : c;
      i += op.length;
      if (op === '**' || ((op === '-' || op === '+') && operandExpected)) {
        level.rec++;
        deeper = true;
      } else if (BINARY.has(op) && ++level.ops > PLAN_DEPTH_LIMIT)
        fail('query', PLAN_DEPTH_LIMIT, start, i, 'each binary operator nests one level; split long sums');
      operandExpected = op !== '.';
    }
    if (deeper && ++depth > FUNC_ADL_NESTING_LIMIT)
      fail(
        'expression',
        FUNC_ADL_NESTING_LIMIT,
        start,
        i,
        'brackets, lambdas, conditionals and unary operators count; name intermediate results (x = …) instead',
      );
  }
}

/** Count qastle list nesting; throws at the first `(` past the limit. */
export function checkQastleNesting(text: string): void {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      i = close < 0 ? n : close;
    } else if (c === '(') {
      if (++depth > QASTLE_NESTING_LIMIT)
        throw tooDeep(
          's-expression',
          QASTLE_NESTING_LIMIT,
          { start: i, end: i + 1 },
          text,
          'split the query',
        );
    } else if (c === ')') depth--;
    else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      const start = i;
      while (i + 1 < n && !/[\s()'"]/.test(text[i + 1]!)) i++;
      if (i + 1 - start > MAX_NAME_LENGTH) throw tooLong(start, i + 1, text);
    }
  }
}

interface Spanned {
  readonly kind?: unknown;
  readonly span?: SourceSpan;
}

/**
 * Depth of a lowered plan (plan nodes, their expressions, sub-expressions), measured without recursion over any
 * object with a `kind` — so it holds for every node type, present and future.
 */
export function checkPlanDepth(plan: unknown, source: string): void {
  const stack: { node: unknown; depth: number; span: SourceSpan | undefined }[] = [
    { node: plan, depth: 0, span: undefined },
  ];
  while (stack.length) {
    const { node, depth, span } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    const isNode = typeof (node as Spanned).kind === 'string';
    const d = isNode ? depth + 1 : depth;
    const here = (isNode ? (node as Spanned).span : undefined) ?? span;
    if (d > PLAN_DEPTH_LIMIT)
      throw tooDeep(
        'query',
        PLAN_DEPTH_LIMIT,
        here ?? { start: 0, end: Math.min(1, source.length) },
        source,
        'operators, lambdas and sub-expressions count; split long chains or sums',
      );
    for (const [k, v] of Object.entries(node))
      if (k !== 'span' && v && typeof v === 'object') stack.push({ node: v, depth: d, span: here });
  }
}
