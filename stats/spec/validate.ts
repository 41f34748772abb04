/** Validates workspaces and patchsets against hepq's JSON schemas plus semantic checks, with errors located by JSON path. */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { HepqError } from '../../exec/batch/index.js';
import patchsetSchema from '../schema/patchset.json' with { type: 'json' };
import workspaceSchema from '../schema/workspace.json' with { type: 'json' };
import type { HistosysData, PatchsetSpec, WorkspaceSpec } from './types.js';

let compiled:
  | {
      workspace: ValidateFunction;
      patchset: ValidateFunction;
      firstError: ValidateFunction;
      firstPatchsetError: ValidateFunction;
    }
  | undefined;

function validators() {
  if (!compiled) {
    // ajv loads with the first workspace (~0.1 s that a query never needs to pay).
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: true, strict: false });
    const fast = new Ajv({ allErrors: false, strict: false });
    compiled = {
      workspace: ajv.compile(workspaceSchema),
      patchset: ajv.compile(patchsetSchema),
      firstError: fast.compile(workspaceSchema),
      firstPatchsetError: fast.compile(patchsetSchema),
    };
  }
  return compiled;
}

/**
 * Collecting every schema error costs time quadratic in their number (200,000 invalid channels would take hours,
 * 16,000 invalid measurement parameters took 25 s): the first error decides validity, and all of them are gathered
 * (for the most telling message) only for documents of at most this many JSON values (≤ 1 s at worst).
 */
const ALL_ERRORS_MAX_VALUES = 3000;

/** Whether `doc` has at most `max` JSON values (counted without recursion, stopping at the limit). */
function smallDocument(doc: unknown, max = ALL_ERRORS_MAX_VALUES): boolean {
  const stack: unknown[] = [doc];
  let n = 0;
  while (stack.length) {
    const v = stack.pop();
    if (++n > max) return false;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return true;
}

/** `/channels/2/samples/0` → `channels[2].samples[0]`. */
export function jsonPathOf(pointer: string): string {
  if (pointer === '') return '(root)';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** Picks the most informative ajv error (deepest path, not a bare if/then wrapper) and phrases it. */
function describe(errors: ErrorObject[], doc: unknown): { path: string; message: string } {
  const useful = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf');
  const list = useful.length ? useful : errors;
  let best = list[0]!;
  for (const e of list) if (e.instancePath.split('/').length > best.instancePath.split('/').length) best = e;
  let msg = best.message ?? 'is invalid';
  if (best.keyword === 'required')
    msg = `missing required property '${(best.params as { missingProperty: string }).missingProperty}'`;
  else if (best.keyword === 'additionalProperties')
    msg = `unknown property '${(best.params as { additionalProperty: string }).additionalProperty}'`;
  else if (best.keyword === 'enum')
    msg = `${msg}: ${JSON.stringify((best.params as { allowedValues: unknown[] }).allowedValues)}`;
  // name the modifier type when the error sits inside a modifier
  const m = /^(\/channels\/\d+\/samples\/\d+\/modifiers\/\d+)/.exec(best.instancePath);
  if (m) {
    const mod = valueAt(doc, m[1]!) as { type?: unknown } | undefined;
    if (mod && typeof mod.type === 'string') msg = `${mod.type} modifier: ${msg}`;
  }
  return { path: jsonPathOf(best.instancePath), message: msg };
}

function fail(code: string, what: string, path: string, message: string, hint?: string): never {
  throw new HepqError(code, `${what} ${path}: ${message}`, { hint });
}

/** Throws `stats/schema` / `stats/workspace` errors for an invalid workspace; returns it typed otherwise. */
export function validateWorkspace(doc: unknown, source = 'workspace'): WorkspaceSpec {
  const { workspace, firstError } = validators();
  if (!firstError(doc)) {
    const all = smallDocument(doc) && !workspace(doc);
    const { path, message } = describe((all ? workspace.errors : firstError.errors) ?? [], doc);
    fail(
      'stats/schema',
      `invalid ${source}:`,
      path,
      message,
      'the workspace must follow the HistFactory JSON schema 1.0.0 (pyhf format)',
    );
  }
  const ws = doc as WorkspaceSpec;
  checkSemantics(ws, source);
  return ws;
}

function checkSemantics(ws: WorkspaceSpec, source: string): void {
  const what = `invalid ${source}:`;
  const nbins = new Map<string, number>();
  ws.channels.forEach((ch, ci) => {
    if (nbins.has(ch.name))
      fail('stats/workspace', what, `channels[${ci}].name`, `duplicate channel '${ch.name}'`);
    const n = ch.samples[0]!.data.length;
    nbins.set(ch.name, n);
    const seen = new Set<string>();
    ch.samples.forEach((s, si) => {
      const at = `channels[${ci}].samples[${si}]`;
      if (seen.has(s.name))
        fail('stats/workspace', what, `${at}.name`, `duplicate sample '${s.name}' in channel '${ch.name}'`);
      seen.add(s.name);
      if (s.data.length !== n)
        fail(
          'stats/workspace',
          what,
          `${at}.data`,
          `has ${s.data.length} bins, channel '${ch.name}' has ${n}`,
        );
      const mods = new Set<string>();
      s.modifiers.forEach((m, mi) => {
        const mat = `${at}.modifiers[${mi}]`;
        const key = `${m.type}/${m.name}`;
        if (mods.has(key))
          fail(
            'stats/workspace',
            what,
            mat,
            `duplicate ${m.type} modifier '${m.name}' on sample '${s.name}'`,
          );
        mods.add(key);
        if (m.type === 'histosys') {
          const d = m.data as HistosysData;
          if (d.hi_data.length !== n || d.lo_data.length !== n)
            fail(
              'stats/workspace',
              what,
              `${mat}.data`,
              `histosys hi_data/lo_data need ${n} bins (got ${d.hi_data.length}/${d.lo_data.length})`,
            );
        } else if (m.type === 'shapesys' || m.type === 'staterror') {
          const d = m.data as number[];
          if (d.length !== n)
            fail('stats/workspace', what, `${mat}.data`, `${m.type} data needs ${n} bins (got ${d.length})`);
        }
      });
    });
  });
  const observed = new Set<string>();
  ws.observations.forEach((o, oi) => {
    const n = nbins.get(o.name);
    if (n === undefined) return; // extra observations are ignored, as pyhf does
    if (o.data.length !== n)
      fail(
        'stats/workspace',
        what,
        `observations[${oi}].data`,
        `has ${o.data.length} bins, channel '${o.name}' has ${n}`,
      );
    observed.add(o.name);
  });
  for (const name of nbins.keys())
    if (!observed.has(name))
      fail('stats/workspace', what, 'observations', `no observation for channel '${name}'`);
  const mnames = new Set<string>();
  ws.measurements.forEach((m, mi) => {
    if (mnames.has(m.name))
      fail('stats/workspace', what, `measurements[${mi}].name`, `duplicate measurement '${m.name}'`);
    mnames.add(m.name);
  });
}

/** Throws `stats/schema` for an invalid patchset; returns it typed otherwise. */
export function validatePatchset(doc: unknown, source = 'patchset'): PatchsetSpec {
  const { patchset, firstPatchsetError } = validators();
  if (!firstPatchsetError(doc)) {
    const all = smallDocument(doc) && !patchset(doc);
    const { path, message } = describe((all ? patchset.errors : firstPatchsetError.errors) ?? [], doc);
    fail(
      'stats/schema',
      `invalid ${source}:`,
      path,
      message,
      'a patchset has metadata (description, digests, labels, references), patches and version',
    );
  }
  const ps = doc as PatchsetSpec;
  const names = new Set<string>();
  ps.patches.forEach((p, i) => {
    if (names.has(p.metadata.name))
      fail(
        'stats/schema',
        `invalid ${source}:`,
        `patches[${i}].metadata.name`,
        `duplicate patch name '${p.metadata.name}'`,
      );
    names.add(p.metadata.name);
    if (p.metadata.values.length !== ps.metadata.labels.length)
      fail(
        'stats/schema',
        `invalid ${source}:`,
        `patches[${i}].metadata.values`,
        `has ${p.metadata.values.length} values for ${ps.metadata.labels.length} labels`,
      );
  });
  return ps;
}

/** Validates a plain JSON Patch (a list of operations). */
export function validateJsonPatch(doc: unknown, source = 'patch'): import('./types.js').JsonPatchOp[] {
  if (!Array.isArray(doc))
    fail('stats/schema', `invalid ${source}:`, '(root)', 'a JSON Patch is a list of operations');
  const ops = ['add', 'remove', 'replace', 'move', 'copy', 'test'];
  doc.forEach((op: unknown, i: number) => {
    const o = op as Record<string, unknown>;
    if (!o || typeof o !== 'object' || !ops.includes(o.op as string))
      fail('stats/schema', `invalid ${source}:`, `[${i}].op`, `must be one of ${ops.join(', ')}`);
    if (typeof o.path !== 'string')
      fail('stats/schema', `invalid ${source}:`, `[${i}].path`, 'missing JSON pointer path');
  });
  return doc as import('./types.js').JsonPatchOp[];
}
