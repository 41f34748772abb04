/** The qastle front end: ServiceX's s-expression wire form, in all three spellings, lowered like func_adl text. */
import * as ohm from 'ohm-js';
import { HepqError, type SourceSpan } from '../exec/batch/index.js';
import { type BinaryOp, type CompareOp, type Expr, ex, type LogicalPlan } from '../planner/ir/index.js';
import { fromRecipe } from './func-adl-grammar.js';
import { DATASET_FUNCS, type LowerOptions, lowerQueryExpr } from './lower-func-adl.js';
import { checkPlanDepth, checkQastleNesting } from './nesting.js';
import { type StatsStage, splitStatsStage } from './stats-stage.js';
import { setKwargs, setNameSpan } from './syntax.js';

export const QASTLE_GRAMMAR_SOURCE = String.raw`
Qastle {
  Top = Sexp
  Sexp = "(" Sexp* ")"   -- composite
       | string
       | symbol
  string = "'" (~"'" any)* "'"   -- sq
         | "\"" (~"\"" any)* "\""  -- dq
  symbol = (~(space | "(" | ")" | "'" | "\"") any)+
}
`;

type Node =
  | { readonly t: 'list'; readonly items: readonly Node[]; readonly span: SourceSpan }
  | { readonly t: 'string'; readonly value: string; readonly span: SourceSpan }
  | { readonly t: 'symbol'; readonly text: string; readonly span: SourceSpan };

let grammar: ohm.Grammar | undefined;
let semantics: ohm.Semantics | undefined;

function parseTree(source: string): Node {
  // Precompiled in the bundled CLI (see funcAdlGrammar).
  const recipe = process.env.HEPQ_QASTLE_RECIPE;
  grammar ??= recipe ? fromRecipe(recipe) : ohm.grammar(QASTLE_GRAMMAR_SOURCE);
  if (!semantics) {
    semantics = grammar.createSemantics().addOperation('tree', {
      Top(s) {
        return s.tree();
      },
      Sexp_composite(_o, items, _c) {
        return { t: 'list', items: items.children.map((c) => c.tree()), span: spanOf(this) };
      },
      string_sq(_o, body, _c) {
        return { t: 'string', value: body.sourceString, span: spanOf(this) };
      },
      string_dq(_o, body, _c) {
        return { t: 'string', value: body.sourceString, span: spanOf(this) };
      },
      symbol(_chars) {
        return { t: 'symbol', text: this.sourceString, span: spanOf(this) };
      },
    });
  }
  const m = grammar.match(source);
  if (m.failed()) {
    const pos = m.getRightmostFailurePosition();
    throw new HepqError('query/syntax', `qastle syntax error: expected ${m.getExpectedText()}`, {
      span: { start: pos, end: Math.min(source.length, pos + 1) },
      source,
      hint: "qastle is s-expressions: (Select (call EventDataset 'f.root') (lambda (list e) (attr e 'x')))",
    });
  }
  return semantics(m).tree() as Node;
}

const spanOf = (n: ohm.Node): SourceSpan => ({ start: n.source.startIdx, end: n.source.endIdx });

const BINARY = new Set(['+', '-', '*', '/', '%', '**', '//']);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

class QastleToExpr {
  constructor(private readonly source: string) {}

  fail(message: string, span: SourceSpan, hint?: string): never {
    throw new HepqError('query/invalid', message, { span, source: this.source, ...(hint ? { hint } : {}) });
  }

  expr(n: Node): Expr {
    if (n.t === 'string') return ex.lit(n.value, n.span);
    if (n.t === 'symbol') return this.atom(n.text, n.span);
    const [head, ...rest] = n.items;
    if (!head) return this.fail('empty s-expression', n.span);
    if (head.t !== 'symbol') return this.fail('an s-expression starts with its node type', head.span);
    const args = () => rest.map((r) => this.expr(r));
    const arity = (k: number) => {
      if (rest.length !== k) this.fail(`(${head.text} …) takes ${k} argument${k === 1 ? '' : 's'}`, n.span);
    };
    const op = head.text;
    switch (op) {
      case 'list':
        return ex.tuple(args(), n.span);
      case 'dict': {
        arity(2);
        const [k, v] = args() as [Expr, Expr];
        if (k.kind !== 'tuple' || v.kind !== 'tuple' || k.items.length !== v.items.length)
          return this.fail('(dict (list keys…) (list values…)) needs two lists of equal length', n.span);
        const keys = k.items.map((x) =>
          x.kind === 'literal' && typeof x.value === 'string'
            ? x.value
            : this.fail('dict keys must be strings', n.span),
        );
        return ex.dict(keys, v.items, n.span);
      }
      case 'attr': {
        arity(2);
        const [obj, name] = [this.expr(rest[0]!), rest[1]!];
        if (name.t !== 'string') return this.fail('(attr obj name) needs a string name', name.span);
        return ex.attr(obj, name.value, n.span);
      }
      case 'subscript':
        arity(2);
        return ex.index(this.expr(rest[0]!), this.expr(rest[1]!), n.span);
      case 'if':
        arity(3);
        return ex.cond(this.expr(rest[0]!), this.expr(rest[1]!), this.expr(rest[2]!), n.span);
      case 'not':
        arity(1);
        return ex.unary('not', this.expr(rest[0]!), n.span);
      case 'and':
      case 'or':
        return ex.bool(op, args(), n.span);
      case 'lambda': {
        arity(2);
        const params = rest[0]!;
        if (params.t !== 'list' || params.items[0]?.t !== 'symbol' || params.items[0].text !== 'list')
          return this.fail('(lambda (list args…) body) needs a list of argument names', params.span);
        const names = params.items
          .slice(1)
          .map((p) => (p.t === 'symbol' ? p.text : this.fail('bad argument', p.span)));
        return ex.lambda(names, this.expr(rest[1]!), n.span);
      }
      case 'call':
        return this.call(rest, n.span);
      case 'keyword':
        return this.fail(
          "a keyword argument (keyword 'name' value) can only be an argument of a call or an operator",
          n.span,
        );
      default:
        if ((op === '-' || op === '+') && rest.length === 1) return ex.unary(op, this.expr(rest[0]!), n.span);
        if (BINARY.has(op)) {
          arity(2);
          return ex.binary(op as BinaryOp, this.expr(rest[0]!), this.expr(rest[1]!), n.span);
        }
        if (COMPARE.has(op)) {
          arity(2);
          return ex.compare(op as CompareOp, this.expr(rest[0]!), this.expr(rest[1]!), n.span);
        }
        // (Select source f): a sequence operator named first.
        if (/^[A-Z]/.test(op) && rest.length >= 1)
          return this.method(this.expr(rest[0]!), op, rest.slice(1), n.span, head.span);
        return this.fail(`unknown qastle node (${op} …)`, head.span);
    }
  }

  method(target: Expr, name: string, args: readonly Node[], span: SourceSpan, nameSpan: SourceSpan): Expr {
    const { positional, keywords } = this.arguments(args);
    const node = ex.method(target, name, positional, span);
    setNameSpan(node, nameSpan);
    setKwargs(node, keywords);
    return node;
  }

  /**
   * A call's arguments: positional ones, then keyword arguments as `(keyword 'name' value)` — Python's
   * `name=value` (`ast.keyword(arg, value)`), which qastle itself drops; a bare symbol name is accepted too.
   */
  arguments(args: readonly Node[]): { positional: Expr[]; keywords: Map<string, Expr> } {
    const positional: Expr[] = [];
    const keywords = new Map<string, Expr>();
    for (const a of args) {
      const head = a.t === 'list' ? a.items[0] : undefined;
      if (a.t === 'list' && head?.t === 'symbol' && head.text === 'keyword') {
        const [, key, value] = a.items;
        const name = key?.t === 'string' ? key.value : key?.t === 'symbol' ? key.text : undefined;
        if (a.items.length !== 3 || name === undefined || !/^[A-Za-z_]\w*$/.test(name))
          this.fail("a keyword argument is (keyword 'name' value)", a.span);
        if (keywords.has(name!)) this.fail(`keyword argument ${name} repeated`, key!.span);
        keywords.set(name!, this.expr(value!));
        continue;
      }
      if (keywords.size)
        this.fail('positional argument follows keyword argument', a.span, 'as in Python, keywords come last');
      positional.push(this.expr(a));
    }
    return { positional, keywords };
  }

  /** `(call f args…)`: `(call (attr x 'M') …)` is a method call and `(call Select src …)` an operator. */
  call(rest: readonly Node[], span: SourceSpan): Expr {
    const [fn, ...args] = rest;
    if (!fn) return this.fail('(call f args…) needs a function', span);
    if (fn.t === 'list' && fn.items[0]?.t === 'symbol' && fn.items[0].text === 'attr') {
      const [, obj, name] = fn.items;
      if (!obj || name?.t !== 'string') return this.fail('(attr obj name) needs a string name', fn.span);
      return this.method(this.expr(obj), name.value, args, span, name.span);
    }
    if (fn.t !== 'symbol') return this.fail('only named functions can be called', fn.span);
    if (
      /^[A-Z]/.test(fn.text) &&
      !DATASET_FUNCS.has(fn.text) &&
      fn.text !== 'Zip' &&
      fn.text !== 'Range' &&
      args.length >= 1
    )
      return this.method(this.expr(args[0]!), fn.text, args.slice(1), span, fn.span);
    const { positional, keywords } = this.arguments(args);
    const node = ex.call(fn.text, positional, span);
    setKwargs(node, keywords);
    return node;
  }

  atom(text: string, span: SourceSpan): Expr {
    if (text === 'True' || text === 'False') return ex.lit(text === 'True', span);
    if (text === 'None') return ex.lit(null, span);
    if (/^[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
      return ex.lit(Number(text.replace(/_/g, '')), span, /^[-+]?[\d_]+$/.test(text));
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return ex.name(text, span);
    return this.fail(`unexpected token ${text}`, span);
  }
}

/** Parse qastle text (recognised by its leading parenthesis) into the same plan the func_adl text gives. */
export function parseQastle(text: string, options: LowerOptions = {}): LogicalPlan {
  return parseQastleWithStage(text, options).plan;
}

/**
 * The same, with a statistics stage after the query split off: `(call (attr QUERY 'Fit') CONFIG)`, as
 * func_adl's `QUERY.Fit(CONFIG)` translates (see stats-stage.ts).
 */
export function parseQastleWithStage(
  text: string,
  options: LowerOptions = {},
): { plan: LogicalPlan; stage?: StatsStage } {
  checkQastleNesting(text);
  const tree = parseTree(text);
  const expr = new QastleToExpr(text).expr(tree);
  checkPlanDepth(expr, text);
  const split = splitStatsStage(expr, text);
  const plan = lowerQueryExpr(text, split.query, options);
  checkPlanDepth(plan, text);
  return split.stage ? { plan, stage: split.stage } : { plan };
}
