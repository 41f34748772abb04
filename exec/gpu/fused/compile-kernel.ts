/**
 * Generates one WGSL kernel per fused func_adl pipeline (thread per event): event-level Where/Select/SelectMany,
 * per-object Where/Select/Count/Sum/Min/Max/Any/All/Choose over jagged columns, and a histogram fill or a
 * compacted value column at the end. Anything else is refused with the reason (the CPU runs it).
 */

import type { Expr, LambdaExpr, LogicalPlan } from '../../../planner/ir/index.js';
import { isCategorised, planChain } from '../../../planner/ir/index.js';
import { assertNever, type Schema } from '../../batch/index.js';
import type { HistAxisSpec } from '../binning.js';
import { histWgsl, WG } from '../wgsl.js';
import { type Slot, schemaType, structField, valType } from './columns.js';
import { compileExpr } from './expr-gen.js';
import { Gen } from './gen.js';
import { cast, type Env, type NumVal, type RecVal, unsupported, type Val } from './values.js';

export type FusedOutput =
  | { readonly kind: 'hist'; readonly axes: readonly HistAxisSpec[]; readonly weighted: boolean }
  | { readonly kind: 'values'; readonly type: 'f32' | 'i32' | 'bool' };

export interface FusedKernel {
  readonly code: string;
  /**
   * The columns it reads. Slots are packed by type into two bindings (`F` f32, `I` i32) with per-slot word
   * offsets in `B` (u32, one per slot in this order), so the binding count does not grow with the columns.
   */
  readonly slots: readonly Slot[];
  /** Whether the kernel declares the packed f32 / i32 bindings (bound in the order F, I, B when present). */
  readonly packed: { readonly f32: boolean; readonly i32: boolean };
  readonly output: FusedOutput;
  /** Storage buffers the kernel binds (must not exceed the device's maxStorageBuffersPerShaderStage). */
  readonly storageBuffers: number;
}

/** The event as a record: `e.X` resolves a column, a struct field, a `Jet_*` group or a nested flat name. */
function eventRecord(g: Gen, schema: Schema): RecVal {
  const names = schema.fields.map((f) => f.name);
  const field = (name: string): Val | undefined => {
    const t = schemaType(schema, name);
    if (t) {
      if (t.kind === 'primitive') return g.scalarSlot({ column: name }, valType(t, name));
      if (t.kind === 'list') {
        const off = g.slot({ column: name, role: 'offsets', type: 'i32' });
        if (t.item.kind === 'primitive') {
          const ty = valType(t.item, name);
          return g.collection(off, (j) => g.elementSlot({ column: name }, ty, j));
        }
        if (t.item.kind === 'struct') {
          const item = t.item;
          return g.collection(off, (j) => ({
            k: 'rec',
            what: name,
            field: (f) => {
              const ft = item.fields.find((x) => x.name === f)?.type;
              return ft
                ? g.elementSlot({ column: name, field: f }, valType(ft, `${name}.${f}`), j)
                : undefined;
            },
          }));
        }
      }
      if (t.kind === 'struct')
        return {
          k: 'rec',
          what: name,
          field: (f) => {
            const ft = t.fields.find((x) => x.name === f)?.type;
            return ft ? g.scalarSlot({ column: name, field: f }, valType(ft, `${name}.${f}`)) : undefined;
          },
        };
      return unsupported(`column ${name} of kind ${t.kind}`);
    }
    // Nested flat name over a record column: Jet_pt with a Jet list<struct> column.
    const us = name.indexOf('_');
    if (us > 0) {
      const base = name.slice(0, us);
      const f = name.slice(us + 1);
      const bt = schemaType(schema, base);
      const ft = bt && structField(bt, f);
      if (bt && ft) {
        if (bt.kind === 'struct') return g.scalarSlot({ column: base, field: f }, valType(ft, name));
        const off = g.slot({ column: base, role: 'offsets', type: 'i32' });
        return g.collection(off, (j) => g.elementSlot({ column: base, field: f }, valType(ft, name), j));
      }
    }
    // nJet over a Jet list column.
    if (name.startsWith('n') && schemaType(schema, name.slice(1))?.kind === 'list') {
      const off = g.slot({ column: name.slice(1), role: 'offsets', type: 'i32' });
      return { k: 'num', code: `(${off}(iev + 1) - ${off}(iev))`, ty: 'i32' };
    }
    // A Jet_* group: a collection of records when mostly lists (offsets of its first list), else one record.
    const members = names.filter((n) => n.startsWith(`${name}_`) && n.length > name.length + 1);
    if (members.length === 0) return undefined;
    const lists = members.filter((n) => schemaType(schema, n)!.kind === 'list');
    if (lists.length * 2 > members.length) {
      const off = g.slot({ column: lists[0]!, role: 'offsets', type: 'i32' });
      return g.collection(off, (j) => ({
        k: 'rec',
        what: name,
        field: (f) => {
          const col = `${name}_${f}`;
          const ct = schemaType(schema, col);
          if (ct?.kind !== 'list') return undefined;
          return g.elementSlot({ column: col }, valType(ct.item, col), j);
        },
      }));
    }
    return { k: 'rec', what: name, field: (f) => field(`${name}_${f}`) };
  };
  return { k: 'rec', what: 'the event', field };
}

function bind(l: LambdaExpr, args: readonly Val[], env: Env): Env {
  if (l.params.length !== args.length) unsupported(`a lambda of ${l.params.length} parameters`);
  const m = new Map(env);
  for (let i = 0; i < args.length; i++) m.set(l.params[i]!, args[i]!);
  return m;
}

/** Compiles `plan` over `schema` into one kernel, or throws HepqError('gpu/unsupported', reason). */
export function compileFusedKernel(plan: LogicalPlan, schema: Schema): FusedKernel {
  const g = new Gen(schema);
  const chain = planChain(plan).reverse();
  if (chain[0]?.kind !== 'source') unsupported('a plan that does not start at a source');
  const nodes = chain.slice(1);
  let output: FusedOutput | undefined;
  let histCall = '';
  const env: Env = new Map();

  const run = (i: number, row: Val, skip: 'return' | 'continue'): void => {
    if (i === nodes.length) {
      if (output) return;
      if (skip === 'continue') unsupported('SelectMany without a histogram (variable-length output)');
      if (row.k !== 'num') unsupported('a non-scalar result without a histogram');
      output = { kind: 'values', type: row.ty };
      const bits = row.ty === 'f32' ? `bitcast<u32>(${row.code})` : `u32(${cast(row, 'i32')})`;
      g.line(`out_val[ev] = ${bits};`);
      g.line('out_mask[ev] = 1u;');
      return;
    }
    const n = nodes[i]!;
    switch (n.kind) {
      case 'where': {
        const p = compileExpr(g, n.predicate.body, bind(n.predicate, [row], env));
        if (p.k !== 'num') unsupported('a Where whose predicate is not a boolean');
        g.line(`if (!${cast(p, 'bool')}) { ${skip}; }`);
        run(i + 1, row, skip);
        return;
      }
      case 'select':
        run(i + 1, compileExpr(g, n.selector.body, bind(n.selector, [row], env)), skip);
        return;
      case 'metadata':
        run(i + 1, row, skip);
        return;
      case 'select-many': {
        const c = compileExpr(g, n.selector.body, bind(n.selector, [row], env));
        if (c.k !== 'coll') unsupported('SelectMany of a value that is not a collection');
        g.loop(c, (el) => run(i + 1, el, 'continue'));
        return;
      }
      case 'hist': {
        if (i !== nodes.length - 1) unsupported('operators after a histogram');
        if (isCategorised(n)) unsupported('categorised histograms (categories, several weights, variations)');
        const vals = n.axes.map((a) => {
          const v = compileExpr(g, a.value.body, bind(a.value, [row], env));
          if (v.k !== 'num') unsupported('a histogram axis that is not a number');
          return cast(v, 'f32');
        });
        let w = '1.0';
        if (n.weight) {
          const v = compileExpr(g, n.weight.body, bind(n.weight, [row], env));
          if (v.k !== 'num') unsupported('a histogram weight that is not a number');
          w = cast(v as NumVal, 'f32');
        }
        if (n.axes.length > 2) unsupported('histograms of more than two axes');
        output = {
          kind: 'hist',
          axes: n.axes.map((a) => ({
            bins: a.bins,
            lo: a.lo,
            hi: a.hi,
            ...(a.edges ? { edges: a.edges } : {}),
          })),
          weighted: !!n.weight,
        };
        histCall = `hist_fill(${[...vals, w].join(', ')});`;
        g.line(histCall);
        return;
      }
      // Event-level ordering, limits and reductions need the events in order: not in a kernel of one thread each.
      case 'source':
      case 'limit':
      case 'order-by':
      case 'reduce':
        unsupported(`the ${n.kind} operator`);
        return;
      default:
        assertNever(n, 'plan node');
    }
  };
  run(0, eventRecord(g, schema), 'return');
  const out = output!;
  // Slots staged but never read (a dict field nobody uses) are not bound: 'auto' layouts drop them.
  const body = g.body();
  const slots = g.slots().filter((s) => new RegExp(`\\b${s.name}\\b`).test(body));
  const packed = { f32: slots.some((s) => s.type === 'f32'), i32: slots.some((s) => s.type === 'i32') };
  let b = 0;
  const decl: string[] = [];
  if (packed.f32) decl.push(`@group(0) @binding(${b++}) var<storage, read> F: array<f32>;`);
  if (packed.i32) decl.push(`@group(0) @binding(${b++}) var<storage, read> I: array<i32>;`);
  if (slots.length) decl.push(`@group(0) @binding(${b++}) var<storage, read> B: array<u32>;`);
  for (const [k, s] of slots.entries())
    decl.push(
      `fn ${s.name}(i: i32) -> ${s.type} { return ${s.type === 'f32' ? 'F' : 'I'}[i32(B[${k}]) + i]; }`,
    );
  let outDecl: string;
  if (out.kind === 'hist') {
    const h = histWgsl(
      b,
      out.axes.length as 1 | 2,
      out.weighted,
      out.axes.map((a) => a.bins),
    );
    outDecl = h.code;
    b += h.bindings;
  } else {
    outDecl = `@group(0) @binding(${b}) var<storage, read_write> out_val: array<u32>;
@group(0) @binding(${b + 1}) var<storage, read_write> out_mask: array<u32>;`;
    b += 2;
  }
  const storageBuffers = b;
  const code = `${decl.join('\n')}
${outDecl}
@group(0) @binding(${b}) var<uniform> P: vec4<u32>; // events, grid width, 0 (runtime NaN bits)
fn nan_f32() -> f32 { return bitcast<f32>(P.z | 0x7fc00000u); }
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let ev = gid.x + gid.y * P.y;
  if (ev >= P.x) { return; }
  let iev = i32(ev);
${out.kind === 'values' ? '  out_mask[ev] = 0u;\n' : ''}${body}
}
`;
  return { code, slots, packed, output: out, storageBuffers };
}

export type { Expr };
