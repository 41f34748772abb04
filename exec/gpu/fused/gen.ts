/** The kernel being generated: its statement buffer, scopes, column slots and per-event collection loops. */
import type { LambdaExpr } from '../../../planner/ir/index.js';
import { HepqError, type Schema } from '../../batch/index.js';
import type { Slot, SlotType } from './columns.js';
import { compileExpr } from './expr-gen.js';
import { type CollVal, cast, type Env, type NumType, type NumVal, num, type Val } from './values.js';

function unsupported(what: string): never {
  throw new HepqError('gpu/unsupported', what);
}

/** The statement buffer and column slots of one kernel being generated. */
export class Gen {
  private readonly lines: string[] = [];
  private depth = 1;
  private n = 0;
  private readonly bySlot = new Map<string, Slot>();

  constructor(readonly schema: Schema) {}

  fresh(prefix: string): string {
    return `${prefix}${this.n++}`;
  }
  line(s: string): number {
    this.lines.push(`${'  '.repeat(this.depth)}${s}`);
    return this.lines.length - 1;
  }
  /** `let name = code;` in the current scope; returns the name. */
  bind(code: string, prefix: string): string {
    if (/^[A-Za-z_][A-Za-z0-9_]*$|^-?[0-9.]+$/.test(code)) return code;
    const n = this.fresh(prefix);
    this.line(`let ${n} = ${code};`);
    return n;
  }
  /** Set when a kernel can raise a runtime error (First of an empty collection): the flag binding is declared. */
  usesErrorFlag = false;
  /**
   * Depth of expressions evaluated only under a condition (the branches of `a if c else b`, the operands of
   * and/or after the first). The kernel computes them unconditionally, so nothing there may raise an error.
   */
  guarded = 0;
  block(head: string, f: () => void): void {
    this.line(`${head} {`);
    this.depth++;
    f();
    this.depth--;
    this.line('}');
  }
  body(): string {
    return this.lines.join('\n');
  }

  /** The kernel variable of a column slot (bound once however often it is read). */
  slot(ref: { column: string; field?: string; role?: 'values' | 'offsets'; type: SlotType }): string {
    const role = ref.role ?? 'values';
    const key = `${role}:${ref.column}${ref.field !== undefined ? `.${ref.field}` : ''}`;
    let s = this.bySlot.get(key);
    if (!s) {
      s = {
        key,
        column: ref.column,
        ...(ref.field !== undefined ? { field: ref.field } : {}),
        role,
        type: ref.type,
        name: `c${this.bySlot.size}`,
      };
      this.bySlot.set(key, s);
    }
    return s.name;
  }
  slots(): Slot[] {
    return [...this.bySlot.values()];
  }
  private read(ref: { column: string; field?: string }, ty: NumType, index: string): NumVal {
    const v = this.slot({ ...ref, type: ty === 'bool' ? 'i32' : ty });
    return ty === 'bool' ? num(`(${v}(${index}) != 0)`, 'bool') : num(`${v}(${index})`, ty);
  }
  scalarSlot(ref: { column: string; field?: string }, ty: NumType): NumVal {
    return this.read(ref, ty, 'iev');
  }
  elementSlot(ref: { column: string; field?: string }, ty: NumType, j: string): NumVal {
    return this.read(ref, ty, j);
  }
  collection(offsets: string, element: (j: string) => Val): CollVal {
    return {
      k: 'coll',
      bounds: { start: `${offsets}(iev)`, end: `${offsets}(iev + 1)` },
      element,
      steps: [],
    };
  }

  /** The element of `c` at index variables `idx` after its Select/map steps (Where steps not applied). */
  elementAt(c: CollVal, idx: readonly string[]): Val {
    const k = c.choose ?? 0;
    let el: Val = k
      ? { k: 'rec', what: `a ${k}-combination`, items: idx.map((x) => c.element(x)), field: () => undefined }
      : c.element(idx[0]!);
    for (const st of c.steps) {
      if (st.kind === 'map') el = st.f(el);
      else if (st.kind === 'select') el = compileExpr(this, st.lambda.body, bindOne(st.lambda, el, st.env));
    }
    return el;
  }

  /** Emits the loop over the current event's elements of `c` (after its Where/Select steps) around `body`. */
  loop(c: CollVal, body: (el: Val, idx: readonly string[]) => void): void {
    const s = this.fresh('s');
    const e = this.fresh('e');
    this.line(`let ${s} = ${c.bounds.start};`);
    this.line(`let ${e} = ${c.bounds.end};`);
    const k = c.choose ?? 0;
    const idx: string[] = [];
    const nest = (level: number): void => {
      const j = this.fresh('j');
      const from = level === 0 ? s : `${idx[level - 1]} + 1`;
      idx.push(j);
      this.block(`for (var ${j} = ${from}; ${j} < ${e}; ${j}++)`, () => {
        if (level + 1 < Math.max(k, 1)) return nest(level + 1);
        let el: Val = k
          ? {
              k: 'rec',
              what: `a ${k}-combination`,
              items: idx.map((x) => c.element(x)),
              field: () => undefined,
            }
          : c.element(j);
        for (const st of c.steps) {
          if (st.kind === 'map') {
            el = st.f(el);
            continue;
          }
          const v = compileExpr(this, st.lambda.body, bindOne(st.lambda, el, st.env));
          if (st.kind === 'select') el = v;
          else {
            if (v.k !== 'num') unsupported('a Where predicate that is not a boolean');
            this.line(`if (!${cast(v, 'bool')}) { continue; }`);
          }
        }
        body(el, [...idx]);
      });
    };
    nest(0);
  }
}

export function bindOne(l: LambdaExpr, v: Val, env: Env): Env {
  if (l.params.length !== 1) unsupported(`a lambda of ${l.params.length} parameters here`);
  return new Map(env).set(l.params[0]!, v);
}
