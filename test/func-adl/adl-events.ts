/** The ADL benchmark's 1000 CMS events (from the shared JSONL) as a NanoAOD-style in-memory table. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { columnFromValues, MemoryTable } from '../../connectors/memory/index.js';
import type { DataType, Field } from '../../exec/batch/index.js';

export const ADL_DIR = fileURLToPath(
  new URL('../../../shared/conformance-data/adl-benchmark/', import.meta.url),
);
const JSONL = `${ADL_DIR}Run2012B_SingleMu_1000_native.jsonl`;
export const HAVE_ADL = existsSync(JSONL);
if (!HAVE_ADL)
  process.stderr.write(
    '\n*** ../shared/conformance-data/adl-benchmark is absent: ADL tests are SKIPPED ***\n\n',
  );

const INT_FIELDS = new Set(['charge', 'jetIdx', 'genPartIdx', 'decayMode', 'npvs', 'run', 'luminosityBlock']);
const f32: DataType = { kind: 'primitive', type: 'float32' };
const i32: DataType = { kind: 'primitive', type: 'int32' };
const bool: DataType = { kind: 'primitive', type: 'bool' };
const COLLECTIONS = ['Muon', 'Electron', 'Photon', 'Jet', 'Tau'];

function leafType(name: string, sample: unknown): DataType {
  if (typeof sample === 'boolean') return bool;
  return INT_FIELDS.has(name) ? i32 : f32;
}

/** Flat NanoAOD names (`Jet_pt` list<float32>, `nJet`, `MET_pt`), as the ROOT file has them. */
export function loadAdlEvents(batchSize = 256): MemoryTable {
  const events = readFileSync(JSONL, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const fields: Field[] = [];
  const values: unknown[][] = [];
  const add = (name: string, type: DataType, get: (e: Record<string, unknown>) => unknown) => {
    fields.push({ name, type });
    values.push(events.map(get));
  };
  add('run', i32, (e) => e.run);
  add('luminosityBlock', i32, (e) => e.luminosityBlock);
  for (const group of ['MET', 'PV', 'HLT']) {
    const first = events[0]![group] as Record<string, unknown>;
    for (const k of Object.keys(first))
      add(`${group}_${k}`, leafType(k, first[k]), (e) => (e[group] as Record<string, unknown>)[k]);
  }
  for (const c of COLLECTIONS) {
    const sample = events.flatMap((e) => e[c] as Record<string, unknown>[]).find(Boolean) ?? {};
    add(`n${c}`, { kind: 'primitive', type: 'uint32' }, (e) => (e[c] as unknown[]).length);
    for (const k of Object.keys(sample))
      add(`${c}_${k}`, { kind: 'list', item: leafType(k, sample[k]) }, (e) =>
        (e[c] as Record<string, unknown>[]).map((o) => o[k]),
      );
  }
  const columns = fields.map((f, i) => columnFromValues(f.type, values[i]!));
  return new MemoryTable('Events', { fields }, columns, { batchSize });
}

/** A reference histogram: bin centre → count (empty bins omitted; under/overflow as bins beside the range). */
export function readReference(name: string): Map<number, number> {
  const lines = readFileSync(`${ADL_DIR}sql_ref_${name}.csv`, 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split(',').map(Number) as [number, number]));
}

/** `readReference` as a record, bin centres rounded to 1e-6 (as `asReference` rounds ours). */
export function referenceRecord(name: string): Record<number, number> {
  return Object.fromEntries([...readReference(name)].map(([x, n]) => [Math.round(x * 1e6) / 1e6, n]));
}

/**
 * A histogram in the references' form: bin centre (rounded to 1e-6) → count, empty bins left out, underflow at
 * lo − w/2 and overflow at hi + w/2; counts divided by `copies` when the same file was read several times.
 */
export function asReference(
  h: { readonly counts: readonly number[]; readonly underflow: number; readonly overflow: number },
  lo: number,
  hi: number,
  copies = 1,
): Record<number, number> {
  const w = (hi - lo) / h.counts.length;
  const out: Record<number, number> = {};
  const put = (x: number, n: number) => {
    if (n) out[Math.round(x * 1e6) / 1e6] = n / copies;
  };
  put(lo - w / 2, h.underflow);
  for (const [i, n] of h.counts.entries()) put(lo + (i + 0.5) * w, n);
  put(hi + w / 2, h.overflow);
  return out;
}

/**
 * The same events in the nested layout SQL engines used in the ADL study: `MET` a struct, `Jet`, `Muon`,
 * `Electron` lists of structs. Flat names (`Jet_pt`) and groups (`e.Jet`) must give the same answers.
 */
export function loadAdlNativeEvents(batchSize = 256): MemoryTable {
  const events = readFileSync(JSONL, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const struct = (sample: Record<string, unknown>): DataType => ({
    kind: 'struct',
    fields: Object.keys(sample).map((k) => ({ name: k, type: leafType(k, sample[k]) })),
  });
  const fields: Field[] = [{ name: 'MET', type: struct(events[0]!.MET as Record<string, unknown>) }];
  for (const c of ['Muon', 'Electron', 'Jet']) {
    const sample = events.flatMap((e) => e[c] as Record<string, unknown>[]).find(Boolean) ?? {};
    fields.push({ name: c, type: { kind: 'list', item: struct(sample) } });
  }
  const columns = fields.map((f) =>
    columnFromValues(
      f.type,
      events.map((e) => e[f.name]),
    ),
  );
  return new MemoryTable('Events', { fields }, columns, { batchSize });
}
