/** Turns a TypeScript/JavaScript arrow function's source into an IR lambda (parsed with acorn, as Arquero does). */
import { createRequire } from 'node:module';

// acorn loads with the first TypeScript lambda (func_adl text never needs it).
let acorn: typeof import('acorn') | undefined;

import { HepqError, type SourceSpan } from '../exec/batch/index.js';
import { type BinaryOp, type CompareOp, type Expr, ex } from '../planner/ir/index.js';
import { setNameSpan } from './syntax.js';

// acorn's ESTree nodes, typed loosely: we only read the fields each node kind has.
// biome-ignore lint/suspicious/noExplicitAny: ESTree node shapes vary by kind
type Node = any;

const BINARY: Record<string, BinaryOp> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '**': '**' };
const COMPARE: Record<string, CompareOp> = {
  '===': '==',
  '==': '==',
  '!==': '!=',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};
const MATH_CONSTANTS: Record<string, number> = { PI: Math.PI, E: Math.E };

class EsToExpr {
  constructor(private readonly source: string) {}

  fail(message: string, node: Node, hint?: string): never {
    throw new HepqError('query/invalid', message, {
      span: this.span(node),
      source: this.source,
      ...(hint ? { hint } : {}),
    });
  }

  span(node: Node): SourceSpan {
    return { start: node.start, end: node.end };
  }

  lambda(node: Node): Expr {
    if (node.type !== 'ArrowFunctionExpression' && node.type !== 'FunctionExpression')
      return this.fail('expected an arrow function such as e => e.MET_pt', node);
    const params = node.params.map((p: Node) =>
      p.type === 'Identifier' ? p.name : this.fail('lambda parameters must be plain names', p),
    );
    let body = node.body;
    if (body.type === 'BlockStatement') {
      const ret =
        body.body.length === 1 && body.body[0].type === 'ReturnStatement' ? body.body[0] : undefined;
      if (!ret?.argument)
        return this.fail('a lambda body must be one expression (or one return statement)', body);
      body = ret.argument;
    }
    return ex.lambda(params, this.expr(body), this.span(node));
  }

  expr(n: Node): Expr {
    const span = this.span(n);
    switch (n.type) {
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        return this.lambda(n);
      case 'Literal':
        if (typeof n.value === 'number')
          return ex.lit(n.value, span, Number.isInteger(n.value) && !/[.eE]/.test(n.raw));
        if (typeof n.value === 'string' || typeof n.value === 'boolean' || n.value === null)
          return ex.lit(n.value, span);
        return this.fail('unsupported literal', n);
      case 'Identifier':
        if (n.name === 'undefined') return ex.lit(null, span);
        return ex.name(n.name, span);
      case 'ParenthesizedExpression':
        return this.expr(n.expression);
      case 'TSAsExpression':
      case 'TSNonNullExpression':
        return this.expr(n.expression);
      case 'BinaryExpression': {
        const l = this.expr(n.left);
        const r = this.expr(n.right);
        if (BINARY[n.operator]) return ex.binary(BINARY[n.operator]!, l, r, span);
        if (COMPARE[n.operator]) return ex.compare(COMPARE[n.operator]!, l, r, span);
        return this.fail(`operator ${n.operator} is not supported`, n);
      }
      case 'LogicalExpression':
        if (n.operator === '??') return this.fail('?? is not supported', n);
        return ex.bool(n.operator === '&&' ? 'and' : 'or', [this.expr(n.left), this.expr(n.right)], span);
      case 'UnaryExpression': {
        const o = this.expr(n.argument);
        if (n.operator === '!') return ex.unary('not', o, span);
        if (n.operator === '-' && o.kind === 'literal' && typeof o.value === 'number')
          return ex.lit(-o.value, span, o.integer);
        if (n.operator === '-' || n.operator === '+') return ex.unary(n.operator, o, span);
        return this.fail(`operator ${n.operator} is not supported`, n);
      }
      case 'ConditionalExpression':
        return ex.cond(this.expr(n.test), this.expr(n.consequent), this.expr(n.alternate), span);
      case 'MemberExpression': {
        if (n.object.type === 'Identifier' && n.object.name === 'Math' && !n.computed) {
          const c = MATH_CONSTANTS[n.property.name];
          if (c !== undefined) return ex.lit(c, span);
        }
        const obj = this.expr(n.object);
        if (!n.computed) return ex.attr(obj, n.property.name, span);
        const idx = this.expr(n.property);
        if (idx.kind === 'literal' && typeof idx.value === 'string') return ex.attr(obj, idx.value, span);
        return ex.index(obj, idx, span);
      }
      case 'CallExpression': {
        const args = n.arguments.map((a: Node) => this.expr(a));
        const callee = n.callee;
        if (callee.type === 'MemberExpression' && !callee.computed) {
          if (callee.object.type === 'Identifier' && callee.object.name === 'Math')
            return ex.call(callee.property.name, args, span);
          const node = ex.method(this.expr(callee.object), callee.property.name, args, span);
          setNameSpan(node, this.span(callee.property));
          return node;
        }
        if (callee.type === 'Identifier') return ex.call(callee.name, args, span);
        return this.fail('only named functions and methods can be called', callee);
      }
      case 'ObjectExpression': {
        const keys: string[] = [];
        const values: Expr[] = [];
        for (const p of n.properties) {
          if (p.type !== 'Property' || p.computed) return this.fail('records need plain keys', p);
          keys.push(p.key.type === 'Identifier' ? p.key.name : String(p.key.value));
          values.push(this.expr(p.value));
        }
        return ex.dict(keys, values, span);
      }
      case 'ArrayExpression':
        return ex.tuple(
          n.elements.map((e: Node) => this.expr(e)),
          span,
        );
      default:
        return this.fail(`${n.type} is not supported in a query lambda`, n);
    }
  }
}

/** Parse a function (or its source text) into an IR lambda. Spans refer to the function's source. */
export function lambdaFromFunction(fn: ((...args: never[]) => unknown) | string): {
  source: string;
  lambda: Expr;
} {
  const source = typeof fn === 'string' ? fn : fn.toString();
  let node: Node;
  try {
    acorn ??= createRequire(import.meta.url)('acorn') as typeof import('acorn');
    node = acorn.parseExpressionAt(source, 0, { ecmaVersion: 'latest' });
  } catch (err) {
    const pos = (err as { pos?: number }).pos ?? 0;
    throw new HepqError('query/syntax', `cannot parse lambda: ${(err as Error).message}`, {
      span: { start: pos, end: pos + 1 },
      source,
      cause: err,
    });
  }
  return { source, lambda: new EsToExpr(source).lambda(node) };
}
