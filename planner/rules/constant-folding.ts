/**
 * Constant folding: arithmetic, comparisons and math functions of literals, `and`/`or`/`not` with literal
 * operands, conditionals with a literal test, fields of record literals (`{'a': x, 'b': y}.a` → `x` when `y`
 * cannot fail), and `Where(lambda e: True)` removed.
 */
import { assertNever } from '../../exec/batch/index.js';
import type { BinaryExpr, Expr, LiteralExpr, LogicalPlan } from '../ir/index.js';
import { exprChildren, exprText, mapPlanExprs, planChain, rewriteExpr } from '../ir/index.js';
import { isBooleanValued, isTotal } from './expr-utils.js';
import { fromStages, type Rule, toStages } from './rule.js';

const lit = (value: number | boolean | string, from: Expr, integer = false): LiteralExpr => ({
  kind: 'literal',
  value,
  ...(integer ? { integer } : {}),
  ...(from.span ? { span: from.span } : {}),
});
const num = (e: Expr) => (e.kind === 'literal' && typeof e.value === 'number' ? e : undefined);

/** Python's arithmetic on two number literals; undefined where it would fail or not be a finite number. */
function arithmetic(e: BinaryExpr, a: LiteralExpr, b: LiteralExpr): Expr | undefined {
  const x = a.value as number;
  const y = b.value as number;
  const ints = a.integer === true && b.integer === true;
  let v: number;
  switch (e.op) {
    case '+':
      v = x + y;
      break;
    case '-':
      v = x - y;
      break;
    case '*':
      v = x * y;
      break;
    case '/':
      if (y === 0) return undefined;
      return Number.isFinite(x / y) ? lit(x / y, e) : undefined;
    case '//':
      if (y === 0) return undefined;
      v = Math.floor(x / y);
      break;
    case '%':
      if (y === 0) return undefined;
      v = x - y * Math.floor(x / y);
      break;
    case '**':
      // The analyzer types `**` as float64 whatever its operands (as `/`), so the literal is a float.
      if (x === 0 && y < 0) return undefined;
      return Number.isFinite(x ** y) ? lit(x ** y, e) : undefined;
  }
  if (!Number.isFinite(v) || (ints && !Number.isSafeInteger(v))) return undefined;
  return lit(v, e, ints);
}

const COMPARE: Record<string, (a: number | string, b: number | string) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

const MATH: Record<string, (x: number) => number> = {
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  log10: Math.log10,
  log2: Math.log2,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  fabs: Math.abs,
};

/**
 * One folding step on a node whose children are already folded; returns the node itself when nothing folds.
 * A literal computed from a query parameter stays a parameter (`xsec * lumi / nevts` is read at run time as one
 * value), so the generated code does not change with the values.
 */
export function foldNode(e: Expr): Expr {
  const r = foldStep(e);
  if (r === e || r.kind !== 'literal' || r.param || typeof r.value === 'string') return r;
  const children = exprChildren(e);
  if (children.includes(r)) return r;
  return children.some((c) => c.kind === 'literal' && c.param) ? { ...r, param: true } : r;
}

function foldStep(e: Expr): Expr {
  switch (e.kind) {
    case 'binary': {
      const a = num(e.left);
      const b = num(e.right);
      return a && b ? (arithmetic(e, a, b) ?? e) : e;
    }
    case 'unary': {
      if (e.op === 'not' && e.operand.kind === 'literal' && typeof e.operand.value === 'boolean')
        return lit(!e.operand.value, e);
      const a = num(e.operand);
      if (a && e.op !== 'not')
        return lit(e.op === '-' ? -(a.value as number) : (a.value as number), e, a.integer === true);
      return e;
    }
    case 'compare': {
      const l = e.left;
      const r = e.right;
      if (l.kind !== 'literal' || r.kind !== 'literal') return e;
      const both = (t: string) => typeof l.value === t && typeof r.value === t;
      return both('number') || both('string')
        ? lit(COMPARE[e.op]!(l.value as number, r.value as number), e)
        : e;
    }
    case 'bool': {
      const [absorbing, neutral] = e.op === 'and' ? [false, true] : [true, false];
      // Only a leading absorbing literal decides the result: operands before it would still be evaluated.
      const first = e.operands[0]!;
      if (first.kind === 'literal' && first.value === absorbing) return lit(absorbing, e);
      const rest = e.operands.filter((o) => !(o.kind === 'literal' && o.value === neutral));
      if (rest.length === e.operands.length || !rest.every(isBooleanValued)) return e;
      if (rest.length === 0) return lit(neutral, e);
      return rest.length === 1 ? rest[0]! : { ...e, operands: rest };
    }
    case 'conditional':
      if (e.test.kind === 'literal' && typeof e.test.value === 'boolean')
        return e.test.value ? e.then : e.otherwise;
      return e;
    case 'call': {
      const f = MATH[e.name];
      const a = e.args.length === 1 ? num(e.args[0]!) : undefined;
      if (f && a) {
        const v = f(a.value as number);
        return Number.isFinite(v) ? lit(v, e) : e;
      }
      if (e.name === 'abs' && a) return lit(Math.abs(a.value as number), e, a.integer === true);
      return e;
    }
    case 'attr':
    case 'index': {
      const t = e.target;
      const key = e.kind === 'attr' ? e.name : e.index.kind === 'literal' ? e.index.value : undefined;
      let pick: number | undefined;
      let others: readonly Expr[] = [];
      if (t.kind === 'dict' && typeof key === 'string') {
        pick = t.keys.indexOf(key);
        others = t.values;
      } else if (
        t.kind === 'tuple' &&
        e.kind === 'index' &&
        typeof key === 'number' &&
        Number.isInteger(key)
      ) {
        pick = key;
        others = t.items;
      }
      if (pick === undefined || pick < 0 || pick >= others.length) return e;
      return others.every((o, i) => i === pick || isTotal(o)) ? others[pick]! : e;
    }
    default:
      return e;
  }
}

export const constantFolding: Rule = {
  name: 'constant-folding',
  description: 'evaluate constant sub-expressions, record-literal field accesses and always-true filters',
  apply(plan) {
    const folded = mapPlanExprs(plan, (e) => rewriteExpr(e, foldNode));
    const { source, stages } = toStages(folded);
    const kept = stages.filter(
      (s) => !(s.kind === 'where' && s.predicate.body.kind === 'literal' && s.predicate.body.value === true),
    );
    const out: LogicalPlan = kept.length === stages.length ? folded : fromStages(source, kept);
    const before = planChain(plan).map(lineOf);
    const after = planChain(out).map(lineOf);
    if (before.join('\n') === after.join('\n')) return undefined;
    const changed = after.filter((l) => !before.includes(l));
    const removed = stages.length - kept.length;
    return {
      plan: out,
      detail: [
        changed.length ? `folded: ${changed.join('; ')}` : '',
        removed ? `removed ${removed} always-true Where` : '',
      ]
        .filter(Boolean)
        .join('; '),
    };
  },
};

function lineOf(p: LogicalPlan): string {
  switch (p.kind) {
    case 'where':
      return `Where ${exprText(p.predicate)}`;
    case 'select':
    case 'select-many':
      return `${p.kind === 'select' ? 'Select' : 'SelectMany'} ${exprText(p.selector)}`;
    case 'hist':
      return `Hist ${p.axes.map((a) => exprText(a.value)).join('; ')}${p.weight ? ` weight=${exprText(p.weight)}` : ''}`;
    case 'order-by':
      return `OrderBy ${exprText(p.key)}`;
    case 'reduce':
      return `Reduce ${p.op} ${p.args.map(exprText).join(', ')}`;
    case 'metadata':
      return `MetaData ${exprText(p.data)}`;
    case 'source':
    case 'limit':
      return p.kind;
    default:
      return assertNever(p, 'plan node');
  }
}
