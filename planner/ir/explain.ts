/** The one canonical text of a plan: one operator per line, inputs indented below, lambdas in Python syntax. */
import { assertNever } from '../../exec/batch/index.js';
import type { Expr } from './expr.js';
import type { LogicalPlan, NamedLambda } from './plan.js';

const PREC: Record<string, number> = {
  lambda: 0,
  conditional: 1,
  or: 2,
  and: 3,
  not: 4,
  compare: 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '//': 7,
  '%': 7,
  unary: 8,
  '**': 9,
  postfix: 10,
  atom: 11,
};

function precOf(e: Expr): number {
  switch (e.kind) {
    case 'lambda':
      return PREC.lambda!;
    case 'conditional':
      return PREC.conditional!;
    case 'bool':
      return PREC[e.op]!;
    case 'unary':
      return e.op === 'not' ? PREC.not! : PREC.unary!;
    case 'compare':
      return PREC.compare!;
    case 'binary':
      return PREC[e.op]!;
    case 'attr':
    case 'call':
    case 'method':
    case 'op':
    case 'index':
      return PREC.postfix!;
    case 'literal':
    case 'name':
    case 'dict':
    case 'tuple':
      return PREC.atom!;
    default:
      return assertNever(e, 'expr');
  }
}

function literalText(v: number | boolean | string | null, integer?: boolean): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Number.isInteger(v) && !integer) return `${v}.0`;
  return String(v);
}

/** An expression in canonical Python syntax, parenthesised only where precedence needs it. */
export function exprText(e: Expr): string {
  const wrap = (child: Expr, min: number) => {
    const s = exprText(child);
    return precOf(child) < min ? `(${s})` : s;
  };
  switch (e.kind) {
    case 'literal':
      return literalText(e.value, e.integer);
    case 'name':
      return e.name;
    case 'attr':
      return `${wrap(e.target, PREC.postfix!)}.${e.name}`;
    case 'call':
      return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'method':
      return `${wrap(e.target, PREC.postfix!)}.${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'op':
      return `${wrap(e.source, PREC.postfix!)}.${e.op}(${e.args.map(exprText).join(', ')})`;
    case 'lambda':
      return `lambda ${e.params.join(', ')}: ${exprText(e.body)}`;
    case 'binary': {
      const p = PREC[e.op]!;
      // `**` is right-associative; the others are left-associative.
      return e.op === '**'
        ? `${wrap(e.left, p + 1)} ** ${wrap(e.right, p)}`
        : `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'compare':
      return `${wrap(e.left, PREC.compare! + 1)} ${e.op} ${wrap(e.right, PREC.compare! + 1)}`;
    case 'unary':
      return e.op === 'not' ? `not ${wrap(e.operand, PREC.not!)}` : `${e.op}${wrap(e.operand, PREC.unary!)}`;
    case 'bool': {
      const p = PREC[e.op]!;
      return e.operands.map((o) => wrap(o, p + 1)).join(` ${e.op} `);
    }
    case 'conditional':
      return `${wrap(e.then, PREC.or!)} if ${wrap(e.test, PREC.or!)} else ${wrap(e.otherwise, PREC.conditional!)}`;
    case 'index':
      return `${wrap(e.target, PREC.postfix!)}[${exprText(e.index)}]`;
    case 'dict':
      return `{${e.keys.map((k, i) => `${literalText(k)}: ${exprText(e.values[i]!)}`).join(', ')}}`;
    case 'tuple':
      return e.items.length === 1 ? `(${exprText(e.items[0]!)},)` : `(${e.items.map(exprText).join(', ')})`;
    default:
      return assertNever(e, 'expr');
  }
}

function nodeLine(p: LogicalPlan): string {
  switch (p.kind) {
    case 'source':
      return `Source files=[${p.files.map((f) => literalText(f)).join(', ')}]${p.tree !== undefined ? ` tree=${literalText(p.tree)}` : ''}`;
    case 'select':
      return `Select ${exprText(p.selector)}`;
    case 'select-many':
      return `SelectMany ${exprText(p.selector)}`;
    case 'where':
      return `Where ${exprText(p.predicate)}`;
    case 'metadata':
      return `MetaData ${exprText(p.data)}`;
    case 'limit':
      return `Limit skip=${p.skip}${p.take !== undefined ? ` take=${p.take}` : ''}`;
    case 'order-by':
      return `${p.descending ? 'OrderByDescending' : 'OrderBy'} ${exprText(p.key)}`;
    case 'reduce':
      return `Reduce ${p.op}${p.args.length ? ` ${p.args.map(exprText).join(', ')}` : ''}`;
    case 'hist': {
      const axes = p.axes.map(
        (a) =>
          `${exprText(a.value)} ${a.edges ? `edges=[${a.edges.join(', ')}]` : `bins=${a.bins} range=(${a.lo}, ${a.hi})`}`,
      );
      const named = (xs: readonly NamedLambda[]) => xs.map((x) => `${x.name}: ${exprText(x.fn)}`).join(', ');
      const cats = (p.categories ?? []).map((c) => ` category ${c.name}={${named(c.labels)}}`).join('');
      return `Hist ${axes.join('; ')}${p.weight ? ` weight=${exprText(p.weight)}` : ''}${cats}${
        p.weights?.length ? ` weights={${named(p.weights)}}` : ''
      }${p.variations?.length ? ` variations={${named(p.variations)}}` : ''}`;
    }
    default:
      return assertNever(p, 'plan');
  }
}

/** The input of a plan node (undefined for the source). */
export function planInput(p: LogicalPlan): LogicalPlan | undefined {
  return p.kind === 'source' ? undefined : p.input;
}

/** The canonical indented text of a plan: the root first, each input indented two more spaces. */
export function explain(p: LogicalPlan): string {
  const lines: string[] = [];
  let node: LogicalPlan | undefined = p;
  let depth = 0;
  while (node) {
    lines.push(`${'  '.repeat(depth)}${nodeLine(node)}`);
    node = planInput(node);
    depth++;
  }
  return lines.join('\n');
}
