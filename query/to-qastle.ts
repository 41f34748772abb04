/** Prints a plan as qastle (the bare `(Select source f)` spelling), the wire form ServiceX clients send. */
import { assertNever } from '../exec/batch/index.js';
import type { Expr, LogicalPlan, NamedLambda } from '../planner/ir/index.js';

const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function num(v: number, integer?: boolean): string {
  if (!Number.isFinite(v)) return v > 0 ? '1e999' : v < 0 ? '-1e999' : 'nan';
  return Number.isInteger(v) && !integer ? `${v}.0` : String(v);
}

/** An expression as qastle. */
export function exprToQastle(e: Expr): string {
  const q = exprToQastle;
  switch (e.kind) {
    case 'literal':
      if (e.value === null) return 'None';
      if (typeof e.value === 'boolean') return e.value ? 'True' : 'False';
      if (typeof e.value === 'string') return str(e.value);
      return num(e.value, e.integer);
    case 'name':
      return e.name;
    case 'attr':
      return `(attr ${q(e.target)} ${str(e.name)})`;
    case 'call':
      return `(call ${e.name}${e.args.map((a) => ` ${q(a)}`).join('')})`;
    case 'method':
      return `(call (attr ${q(e.target)} ${str(e.name)})${e.args.map((a) => ` ${q(a)}`).join('')})`;
    case 'op':
      return `(${e.op} ${q(e.source)}${e.args.map((a) => ` ${q(a)}`).join('')})`;
    case 'lambda':
      return `(lambda (list ${e.params.join(' ')}) ${q(e.body)})`;
    case 'binary':
    case 'compare':
      return `(${e.op} ${q(e.left)} ${q(e.right)})`;
    case 'unary':
      return `(${e.op} ${q(e.operand)})`;
    case 'bool':
      return `(${e.op}${e.operands.map((o) => ` ${q(o)}`).join('')})`;
    case 'conditional':
      return `(if ${q(e.test)} ${q(e.then)} ${q(e.otherwise)})`;
    case 'index':
      return `(subscript ${q(e.target)} ${q(e.index)})`;
    case 'dict':
      return `(dict (list${e.keys.map((k) => ` ${str(k)}`).join('')}) (list${e.values.map((v) => ` ${q(v)}`).join('')}))`;
    case 'tuple':
      return `(list${e.items.map((i) => ` ${q(i)}`).join('')})`;
    default:
      return assertNever(e, 'expr');
  }
}

/** `name=value` as qastle: `(keyword 'name' value)` (qastle itself drops Python's keyword arguments). */
const keyword = (name: string, value: string) => ` (keyword ${str(name)} ${value})`;

/** A dict literal of label to lambda (a categorised Hist's `weight=`/`variation=` and each category axis). */
const namedLambdas = (xs: readonly NamedLambda[]) =>
  `(dict (list${xs.map((x) => ` ${str(x.name)}`).join('')}) (list${xs.map((x) => ` ${exprToQastle(x.fn)}`).join('')}))`;

/** The edges of a uniform axis (a 2-D histogram with edges on its other axis prints both as lists). */
function uniformEdges(x: { bins: number; lo: number; hi: number }): number[] {
  return Array.from({ length: x.bins + 1 }, (_v, i) => x.lo + ((x.hi - x.lo) * i) / x.bins);
}

/**
 * A plan as qastle. Histograms are printed as a `Hist` call with its numbers (an hepq extension); bin edges
 * and a categorised fill's `category=`, `weight=` (several) and `variation=` as keyword arguments.
 */
export function planToQastle(p: LogicalPlan): string {
  const q = exprToQastle;
  switch (p.kind) {
    case 'source': {
      const files =
        p.files.length === 1 ? str(p.files[0]!) : `(list${p.files.map((f) => ` ${str(f)}`).join('')})`;
      const args =
        p.files.length || p.tree !== undefined
          ? ` ${files}${p.tree !== undefined ? ` ${str(p.tree)}` : ''}`
          : '';
      return `(call EventDataset${args})`;
    }
    case 'select':
      return `(Select ${planToQastle(p.input)} ${q(p.selector)})`;
    case 'select-many':
      return `(SelectMany ${planToQastle(p.input)} ${q(p.selector)})`;
    case 'where':
      return `(Where ${planToQastle(p.input)} ${q(p.predicate)})`;
    case 'metadata':
      return `(MetaData ${planToQastle(p.input)} ${q(p.data)})`;
    case 'limit': {
      const skipped = p.skip ? `(Skip ${planToQastle(p.input)} ${p.skip})` : planToQastle(p.input);
      return p.take !== undefined ? `(Take ${skipped} ${p.take})` : skipped;
    }
    case 'order-by':
      return `(${p.descending ? 'OrderByDescending' : 'OrderBy'} ${planToQastle(p.input)} ${q(p.key)})`;
    case 'reduce':
      return `(${p.op} ${planToQastle(p.input)}${p.args.map((a) => ` ${q(a)}`).join('')})`;
    case 'hist': {
      const a = p.axes;
      const name = a.length === 2 ? 'Hist2D' : 'Hist';
      const axes = a.map((x) => ` ${q(x.value)}`).join('');
      const bins = a.length === 1 ? `${a[0]!.bins}` : `(list ${a.map((x) => x.bins).join(' ')})`;
      const range =
        a.length === 1
          ? `(list ${num(a[0]!.lo, true)} ${num(a[0]!.hi, true)})`
          : `(list ${a.map((x) => `(list ${num(x.lo, true)} ${num(x.hi, true)})`).join(' ')})`;
      const edges = a.some((x) => x.edges)
        ? keyword(
            'edges',
            a.length === 1
              ? `(list ${a[0]!.edges!.map((v) => num(v, true)).join(' ')})`
              : `(list ${a.map((x) => `(list ${(x.edges ?? uniformEdges(x)).map((v) => num(v, true)).join(' ')})`).join(' ')})`,
          )
        : '';
      const category = p.categories?.length
        ? keyword(
            'category',
            `(dict (list${p.categories.map((c) => ` ${str(c.name)}`).join('')}) (list${p.categories.map((c) => ` ${namedLambdas(c.labels)}`).join('')}))`,
          )
        : '';
      const weights = p.weights?.length ? keyword('weight', namedLambdas(p.weights)) : '';
      const variations = p.variations?.length ? keyword('variation', namedLambdas(p.variations)) : '';
      const head = edges ? '' : ` ${bins} ${range}`;
      return `(${name} ${planToQastle(p.input)}${axes}${head}${p.weight ? (edges ? keyword('weight', q(p.weight)) : ` ${q(p.weight)}`) : ''}${edges}${category}${weights}${variations})`;
    }
    default:
      return assertNever(p, 'plan');
  }
}
