/** Shared pieces of the ServiceX tests: the ADL task 5 query as qastle, a server on a free port, polling, DuckDB. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import Fastify, { type FastifyInstance } from 'fastify';
import { servicexPlugin } from '../../../server/servicex/index.js';
import type { TransformService } from '../../../server/transform/index.js';

export const CONF = fileURLToPath(
  new URL('../../../../shared/conformance-data/func_adl_uproot/', import.meta.url),
);
export const SAMPLE = `${CONF}Run2012B_SingleMu_1000.root`;

const p4 = (i: number) => `(call (attr (subscript p ${i}) 'ToFourMomentum'))`;
const mass = `(attr (+ ${p4(0)} ${p4(1)}) 'mass')`;
/** ADL task 5 (MET of events with an opposite-charge muon pair of mass 60–120 GeV) as func_adl_uproot sends it. */
export const Q5_QASTLE =
  `(Select (Where (call EventDataset 'bogus.root' 'Events') (lambda (list e) ` +
  `(call (attr (call (attr (attr e 'Muon') 'Choose') 2) 'Any') (lambda (list p) ` +
  `(and (!= (attr (subscript p 0) 'charge') (attr (subscript p 1) 'charge')) (and (< 60 ${mass}) (< ${mass} 120))))))) ` +
  `(lambda (list e) (attr e 'MET_pt')))`;
/** The same query as func_adl text, run locally for the reference. */
export const Q5_TEXT = `ds.Where(lambda e: e.Muon.Choose(2).Any(lambda p: p[0].charge != p[1].charge
    and 60 < (p[0].ToFourMomentum() + p[1].ToFourMomentum()).mass < 120)).Select(lambda e: e.MET_pt)`;

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `hepq-sx-${tag}-`));
}

export async function startServer(
  service: TransformService,
  extra: { token?: string } = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await app.register(servicexPlugin, { prefix: '/servicex', service, ...extra });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: address };
}

export type Json = Record<string, unknown>;

export async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
  const r = await fetch(url, init);
  return { status: r.status, body: (await r.json()) as Json };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Poll a request until it reaches one of `states`, checking on every poll that files-completed never
 * exceeds the files the results listing shows right after (the listing is read after the status). */
export async function pollUntil(
  base: string,
  id: string,
  states: readonly string[],
  timeoutMs = 40_000,
  headers: Record<string, string> = {},
): Promise<Json> {
  const t0 = Date.now();
  for (;;) {
    const st = (await getJson(`${base}/servicex/transformation/${id}`, { headers })).body;
    const res = (await getJson(`${base}/servicex/transformation/${id}/results`, { headers })).body;
    const listed = (res.results as unknown[]).length;
    if ((st['files-completed'] as number) > listed)
      throw new Error(`files-completed ${st['files-completed']} > ${listed} listed results`);
    if (states.includes(st.status as string)) return st;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`timed out waiting for ${states}: ${JSON.stringify(st)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The rows of a Parquet file read by DuckDB (an independent reader), as plain JS values. */
export async function duckRows(path: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const con = await inst.connect();
  try {
    const r = await con.runAndReadAll(`SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`);
    return r.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}
