/** Parses func_adl text (Python lambda syntax, short scripts) into a `Script` of IR expressions with spans. */
import type * as ohm from 'ohm-js';
import { HepqError, type SourceSpan } from '../exec/batch/index.js';
import { type BinaryOp, type CompareOp, type Expr, ex } from '../planner/ir/index.js';
import { funcAdlGrammar } from './func-adl-grammar.js';
import { checkFuncAdlNesting, checkPlanDepth } from './nesting.js';
import { type Binding, IMPLICIT_DATASET, type Script, setKwargs, setNameSpan } from './syntax.js';

type Trailer = (target: Expr, start: number) => Expr;
type Arg = { kw?: string; value: Expr };

const spanOf = (n: ohm.Node): SourceSpan => ({ start: n.source.startIdx, end: n.source.endIdx });

function unescapePython(body: string): string {
  return body.replace(/\\(.)/gs, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' })[c] ?? c);
}

/** One comparison; `a in xs` is `xs.Contains(a)`, and `a in [1, 2]` is `a == 1 or a == 2`, as in Python. */
function compare(op: string, left: Expr, right: Expr, span: SourceSpan): Expr {
  if (op === 'in' || op.startsWith('not')) {
    const test =
      right.kind === 'tuple'
        ? right.items.length === 0
          ? ex.lit(false, span)
          : ex.bool(
              'or',
              right.items.map((item) => ex.compare('==', left, item, item.span)),
              span,
            )
        : ex.method(right, 'Contains', [left], span);
    return op === 'in' ? test : ex.unary('not', test, span);
  }
  return ex.compare(op as CompareOp, left, right, span);
}

/** `a < b < c` is `a < b and b < c`, as in Python. */
function chainCompare(first: Expr, ops: string[], rest: Expr[], span: SourceSpan): Expr {
  if (ops.length === 0) return first;
  const parts: Expr[] = [];
  let left = first;
  ops.forEach((op, i) => {
    const right = rest[i]!;
    parts.push(
      compare(op, left, right, {
        start: left.span?.start ?? span.start,
        end: right.span?.end ?? span.end,
      }),
    );
    left = right;
  });
  return parts.length === 1 ? parts[0]! : ex.bool('and', parts, span);
}

/** `a < b < c and d` is one `and` of three terms, not a nested one. */
function flatten(op: 'and' | 'or', items: Expr[]): Expr[] {
  return items.flatMap((x) => (x.kind === 'bool' && x.op === op ? x.operands : [x]));
}

/** Ohm's expected-token list, shortened where it is just "the start of an expression". */
export function expectedSummary(expected: string): string {
  if (expected.includes('a digit') && expected.includes('a letter')) {
    const extra = expected.match(/"(\)|\]|}|,|:)"/g);
    return `an expression${extra ? ` or ${extra.join(' or ')}` : ''}`;
  }
  return expected;
}

function foldLeft(first: Expr, ops: string[], rest: Expr[]): Expr {
  let acc = first;
  ops.forEach((op, i) => {
    const r = rest[i]!;
    acc = ex.binary(op as BinaryOp, acc, r, { start: acc.span!.start, end: r.span!.end });
  });
  return acc;
}

/** `[f(x) for x in xs if c]` is `xs.Where(lambda x: c).Select(lambda x: f(x))`. */
function comprehension(elt: Expr, v: string, iter: Expr, conds: Expr[], span: SourceSpan): Expr {
  let src = iter;
  for (const c of conds) src = ex.op('Where', src, [ex.lambda([v], c, c.span)], span);
  // `[x for x in xs if c]` needs no Select; `[x for x in xs]` keeps one so `xs` must still be a collection.
  if (elt.kind === 'name' && elt.name === v && conds.length > 0) return src;
  return ex.op('Select', src, [ex.lambda([v], elt, elt.span)], span);
}

function semantics(source: string): ohm.Semantics {
  const g = funcAdlGrammar();
  const s = g.createSemantics();
  const build = (args: Arg[], make: (pos: Expr[]) => Expr): Expr => {
    const pos: Expr[] = [];
    const kw = new Map<string, Expr>();
    for (const a of args) {
      if (a.kw !== undefined) kw.set(a.kw, a.value);
      else if (kw.size > 0)
        throw new HepqError('query/syntax', 'positional argument follows keyword argument', {
          span: a.value.span,
          source,
        });
      else pos.push(a.value);
    }
    const node = make(pos);
    setKwargs(node, kw);
    return node;
  };
  s.addOperation('ast', {
    Script(stmts, final, _semis) {
      const bindings = stmts.children
        .map((c) => c.ast())
        .filter((b: Binding | null) => b !== null) as Binding[];
      const result = final.children.length ? (final.children[0]!.ast() as Expr) : undefined;
      return { source, bindings, ...(result ? { result } : {}) } satisfies Script;
    },
    Stmt_import(_i, _semi) {
      return null;
    },
    Stmt_assign(name, _eq, value, _semi) {
      return { name: name.sourceString, value: value.ast(), span: spanOf(this) } satisfies Binding;
    },
    Final_chain(trailers) {
      let acc: Expr = ex.name(IMPLICIT_DATASET, { start: this.source.startIdx, end: this.source.startIdx });
      for (const t of trailers.children) acc = (t.ast() as Trailer)(acc, this.source.startIdx);
      return acc;
    },
    Lambda(_kw, params, _colon, body) {
      return ex.lambda(
        params.asIteration().children.map((p) => p.sourceString),
        body.ast(),
        spanOf(this),
      );
    },
    Cond(body, _if, test, _else, orelse) {
      const b = body.ast() as Expr;
      if (test.children.length === 0) return b;
      return ex.cond(test.children[0]!.ast(), b, orelse.children[0]!.ast(), spanOf(this));
    },
    Or(list) {
      const items = flatten(
        'or',
        list.asIteration().children.map((c) => c.ast() as Expr),
      );
      return items.length === 1 ? items[0] : ex.bool('or', items, spanOf(this));
    },
    And(list) {
      const items = flatten(
        'and',
        list.asIteration().children.map((c) => c.ast() as Expr),
      );
      return items.length === 1 ? items[0] : ex.bool('and', items, spanOf(this));
    },
    Not_not(_not, operand) {
      return ex.unary('not', operand.ast(), spanOf(this));
    },
    Comparison(first, ops, rest) {
      return chainCompare(
        first.ast(),
        ops.children.map((o) => o.sourceString.replace(/\s+/g, ' ')),
        rest.children.map((r) => r.ast()),
        spanOf(this),
      );
    },
    Sum(first, ops, rest) {
      return foldLeft(
        first.ast(),
        ops.children.map((o) => o.sourceString),
        rest.children.map((r) => r.ast()),
      );
    },
    Term(first, ops, rest) {
      return foldLeft(
        first.ast(),
        ops.children.map((o) => o.sourceString),
        rest.children.map((r) => r.ast()),
      );
    },
    Factor_unary(op, operand) {
      const o = operand.ast() as Expr;
      if (o.kind === 'literal' && typeof o.value === 'number' && op.sourceString === '-')
        return ex.lit(-o.value, spanOf(this), o.integer);
      return ex.unary(op.sourceString as '-' | '+', o, spanOf(this));
    },
    Power(base, _op, exp) {
      const b = base.ast() as Expr;
      if (exp.children.length === 0) return b;
      return ex.binary('**', b, exp.children[0]!.ast(), spanOf(this));
    },
    Postfix(primary, trailers) {
      let acc = primary.ast() as Expr;
      for (const t of trailers.children) acc = (t.ast() as Trailer)(acc, this.source.startIdx);
      return acc;
    },
    Trailer_method(_dot, name, _open, args, _close) {
      const a = args.ast() as Arg[];
      const end = this.source.endIdx;
      const nameSpan = spanOf(name);
      return ((target: Expr, start: number) => {
        const node = build(a, (pos) => ex.method(target, name.sourceString, pos, { start, end }));
        setNameSpan(node, nameSpan);
        return node;
      }) satisfies Trailer;
    },
    Trailer_attr(_dot, name) {
      const end = this.source.endIdx;
      return ((target: Expr, start: number) =>
        ex.attr(target, name.sourceString, { start, end })) satisfies Trailer;
    },
    Trailer_call(_open, args, _close) {
      const a = args.ast() as Arg[];
      const end = this.source.endIdx;
      return ((target: Expr, start: number) => {
        if (target.kind !== 'name')
          throw new HepqError('query/syntax', 'only named functions can be called', {
            span: target.span,
            source,
          });
        return build(a, (pos) => ex.call((target as { name: string }).name, pos, { start, end }));
      }) satisfies Trailer;
    },
    Trailer_index(_open, index, _close) {
      const i = index.ast() as Expr;
      const end = this.source.endIdx;
      return ((target: Expr, start: number) => ex.index(target, i, { start, end })) satisfies Trailer;
    },
    Args(list, _comma) {
      return list.asIteration().children.map((c) => c.ast());
    },
    Arg_kw(name, _eq, value) {
      return { kw: name.sourceString, value: value.ast() } satisfies Arg;
    },
    Arg_pos(value) {
      return { value: value.ast() } satisfies Arg;
    },
    Primary_unit(_o, _c) {
      return ex.tuple([], spanOf(this));
    },
    Primary_gen(_o, comp, _c) {
      return comp.ast();
    },
    Primary_tuple(_o, first, _comma, rest, _trailing, _c) {
      return ex.tuple([first.ast(), ...rest.asIteration().children.map((c) => c.ast())], spanOf(this));
    },
    Primary_paren(_o, inner, _c) {
      return inner.ast();
    },
    Primary_listcomp(_o, comp, _c) {
      return comp.ast();
    },
    Primary_list(_o, items, _trailing, _c) {
      return ex.tuple(
        items.asIteration().children.map((c) => c.ast()),
        spanOf(this),
      );
    },
    Primary_dict(_o, items, _trailing, _c) {
      const keys: string[] = [];
      const values: Expr[] = [];
      for (const item of items.asIteration().children) {
        const [k, v] = item.ast() as [Expr, Expr];
        if (k.kind !== 'literal' || typeof k.value !== 'string')
          throw new HepqError('query/syntax', 'dictionary keys must be string literals', {
            span: k.span,
            source,
            hint: "write {'name': value, ...}",
          });
        keys.push(k.value);
        values.push(v);
      }
      return ex.dict(keys, values, spanOf(this));
    },
    DictItem(k, _colon, v) {
      return [k.ast(), v.ast()];
    },
    Comprehension(elt, _for, v, _in, iter, conds) {
      return comprehension(
        elt.ast(),
        v.sourceString,
        iter.ast(),
        conds.children.map((c) => c.ast()),
        spanOf(this),
      );
    },
    CompIf(_if, cond) {
      return cond.ast();
    },
    constant(_c) {
      const t = this.sourceString;
      return ex.lit(t === 'None' ? null : t === 'True', spanOf(this));
    },
    number_int(_d, _dot, frac, _exp) {
      const text = this.sourceString.replace(/_/g, '');
      const integer = frac.children.length === 0 && !/[eE]/.test(text);
      return ex.lit(Number(text), spanOf(this), integer);
    },
    number_frac(_dot, _d, _exp) {
      return ex.lit(Number(this.sourceString.replace(/_/g, '')), spanOf(this));
    },
    string_sq(_o, chars, _c) {
      return ex.lit(unescapePython(chars.sourceString), spanOf(this));
    },
    string_dq(_o, chars, _c) {
      return ex.lit(unescapePython(chars.sourceString), spanOf(this));
    },
    ident(_s, _p) {
      return ex.name(this.sourceString, spanOf(this));
    },
  });
  return s;
}

/** Operators of C, JavaScript or numpy that a physicist types, and the Python word func_adl wants instead. */
const OTHER_LANGUAGE_OPERATORS: readonly (readonly [string, string])[] = [
  ['&&', 'and'],
  ['||', 'or'],
  ['&', 'and'],
  ['|', 'or'],
  ['!', 'not'],
  ['~', 'not'],
];

/** Parse func_adl text into a script. Syntax errors carry a caret span and the expected tokens. */
export function parseFuncAdlScript(source: string): Script {
  checkFuncAdlNesting(source);
  const g = funcAdlGrammar();
  const m = g.match(source);
  if (m.failed()) {
    const pos = m.getRightmostFailurePosition();
    const expected = m.getExpectedText();
    const habit = OTHER_LANGUAGE_OPERATORS.find(
      ([op]) => source.startsWith(op, pos) && !source.startsWith('!=', pos),
    );
    throw new HepqError('query/syntax', `func_adl syntax error: expected ${expectedSummary(expected)}`, {
      span: { start: pos, end: Math.min(source.length, pos + (habit?.[0].length ?? 1)) },
      source,
      hint: habit
        ? `${habit[0]} is not a func_adl operator: use ${habit[1]}`
        : 'func_adl queries are Python expressions: ds.Where(lambda e: ...).Select(lambda e: ...)',
    });
  }
  const script = semantics(source)(m).ast() as Script;
  checkPlanDepth(script, source);
  return script;
}
