/**
 * `generateEvents` and `hepq generate`: the ADL layout matches the real benchmark files (ROOT branch names and
 * types, Parquet schema), the 8 ADL tasks run on generated files, task 5 selects exactly the events DuckDB finds
 * in the Parquet copy, the Z peak sits at the PDG mass, and the same seed gives the same events in every format.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoot, openRootTable } from '../../../connectors/root/index.js';
import { generateEvents, Z_MASS, Z_WIDTH } from '../../../connectors/synthetic/index.js';
import { resultToJson } from '../../../exec/index.js';
import { analyzePlan } from '../../../planner/analyze/index.js';
import { parseQuery } from '../../../query/index.js';
import { main } from '../../../server/cli/main.js';
import { writeArrow, writeParquet, writeRoot } from '../../../server/output/index.js';
import { ADL_TASKS } from '../../func-adl/adl-tasks.js';
import { executePlan } from '../../helpers/bound-exec.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';

const DIR = mkdtempSync(join(tmpdir(), 'hepq-generate-'));
const N = 20_000;
const SEED = 2024;
const ROOT_FILE = join(DIR, 'adl.root');
const PARQUET_FILE = join(DIR, 'adl.parquet');
const ARROW_FILE = join(DIR, 'adl.arrow');
const REAL_ROOT = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const REAL_PARQUET = `${SHARED}conformance-data/adl-benchmark/Run2012B_SingleMu_1000_native.parquet`;

let duck: Awaited<ReturnType<DuckDBInstance['connect']>>;
async function sql(text: string): Promise<unknown[][]> {
  return (await duck.runAndReadAll(text)).getRows() as unknown[][];
}

beforeAll(async () => {
  const events = (columnOrder: 'root' | 'columnar') =>
    generateEvents({ schema: 'adl', events: N, seed: SEED, batchSize: 8000, columnOrder });
  await writeRoot(ROOT_FILE, events('root'), { clusterEntries: 8000, compression: 'zstd:3' });
  await writeParquet(PARQUET_FILE, events('columnar'), { widenUnsigned: true, rowGroupRows: 8000 });
  await writeArrow(ARROW_FILE, events('columnar'));
  const db = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  duck = await db.connect();
});

afterAll(() => duck?.closeSync?.());

async function task(query: string, lo: number, hi: number) {
  const table = await openRootTable(ROOT_FILE, 'Events');
  const text = `${query}.Hist(lambda x: x, bins=100, range=(${lo}, ${hi}))`;
  const plan = parseQuery(text);
  analyzePlan(plan, table.schema(), { source: text });
  return resultToJson(await executePlan(plan, table)) as {
    counts: number[];
    underflow: number;
    overflow: number;
  };
}

describe('the ADL layout is that of the real benchmark files', () => {
  it.skipIf(!existsSync(REAL_ROOT))(
    'ROOT: the same branches, types and order as Run2012B_SingleMu_1000.root',
    async () => {
      const branches = async (path: string) => {
        const f = await openRoot(path);
        try {
          return (await f.inspect()).objects
            .find((o) => o.path === 'Events')!
            .branches!.map((b) => `${b.name}: ${b.type}`);
        } finally {
          await f.close();
        }
      };
      expect(await branches(ROOT_FILE)).toEqual(await branches(REAL_ROOT));
    },
  );

  it.skipIf(!existsSync(REAL_PARQUET))(
    'Parquet: the same columns, types and order as the native ADL Parquet (DuckDB DESCRIBE)',
    async () => {
      const describe = async (path: string) =>
        (await sql(`DESCRIBE SELECT * FROM '${path}'`)).map((r) => `${r[0]}: ${r[1]}`);
      expect(await describe(PARQUET_FILE)).toEqual(await describe(REAL_PARQUET));
    },
  );
});

describe('the ADL tasks on generated events', () => {
  it('all 8 func_adl tasks run and fill their histograms', async () => {
    for (const t of ADL_TASKS) {
      const h = await task(t.query, t.lo, t.hi);
      const total = h.counts.reduce((a, b) => a + b, 0) + h.underflow + h.overflow;
      expect(total, t.name).toBeGreaterThan(0);
      if (t.name === 'q1') expect(total).toBe(N);
    }
  });

  it('task 5 selects ~7% of events: exactly the events DuckDB selects from the Parquet copy', async () => {
    const q5 = ADL_TASKS.find((t) => t.name === 'q5')!;
    const h = await task(q5.query, q5.lo, q5.hi);
    const ours = h.counts.reduce((a, b) => a + b, 0) + h.underflow + h.overflow;
    // Z→μμ is 10% of the mixture; both muons inside |η| < 2.4 and the mass window keep about 70% of them.
    expect(ours / N).toBeGreaterThan(0.04);
    expect(ours / N).toBeLessThan(0.12);
    const [[duckCount]] = await sql(`
      WITH p4 AS (
        SELECT list_transform(Muon, m -> {q: m.charge, px: m.pt * cos(m.phi), py: m.pt * sin(m.phi),
                 pz: m.pt * sinh(m.eta), e: sqrt((m.pt * cosh(m.eta)) ^ 2 + m.mass ^ 2)}) AS mu
        FROM '${PARQUET_FILE}')
      SELECT count(*) FROM p4 WHERE EXISTS (
        SELECT 1 FROM range(1, len(mu) + 1) a(i), range(1, len(mu) + 1) b(j)
        WHERE i < j AND mu[i].q != mu[j].q AND sqrt(greatest(0, (mu[i].e + mu[j].e) ^ 2 - (mu[i].px + mu[j].px) ^ 2
              - (mu[i].py + mu[j].py) ^ 2 - (mu[i].pz + mu[j].pz) ^ 2)) BETWEEN 60 AND 120)`);
    expect(Number(duckCount)).toBe(ours);
  });

  it('the opposite-charge dimuon mass peaks at the Z mass, within its width', async () => {
    const [[median, mode]] = await sql(`
      WITH m AS (
        SELECT sqrt(2 * Muon[1].pt * Muon[2].pt * (cosh(Muon[1].eta - Muon[2].eta) - cos(Muon[1].phi - Muon[2].phi))) AS mass
        FROM '${PARQUET_FILE}' WHERE len(Muon) = 2 AND Muon[1].charge != Muon[2].charge)
      SELECT median(mass), mode(floor(mass * 2) / 2 + 0.25) FROM m WHERE mass BETWEEN 70 AND 110`);
    expect(Math.abs(Number(median) - Z_MASS)).toBeLessThan(Z_WIDTH / 2);
    expect(Math.abs(Number(mode) - Z_MASS)).toBeLessThan(Z_WIDTH / 2);
  });

  it('muons from W decays show the Jacobian peak near m_W/2 and the MET the neutrino carries', async () => {
    const [[peak, met]] = await sql(`
      WITH w AS (SELECT Muon[1].pt AS pt, MET.pt AS met FROM '${PARQUET_FILE}'
                 WHERE len(Muon) = 1 AND Muon[1].pfRelIso03_all < 0.1 AND MET.pt > 30)
      SELECT mode(floor(pt / 2) * 2 + 1), avg(met) FROM w WHERE pt > 20`);
    expect(Number(peak)).toBeGreaterThan(34);
    expect(Number(peak)).toBeLessThan(44);
    expect(Number(met)).toBeGreaterThan(35);
  });
});

describe('distributions and correlations are physical', () => {
  it('charges, acceptance, pt ordering, φ uniformity, multiplicities, b-tag range; MET higher in W-like events', async () => {
    const [[muons, positive, outside, maxEta]] = await sql(`
      SELECT count(*), avg(CASE WHEN m.charge = 1 THEN 1 ELSE 0 END), sum(CASE WHEN m.charge NOT IN (-1, 1) THEN 1 ELSE 0 END),
             max(abs(m.eta))
      FROM (SELECT unnest(Muon) AS m FROM '${PARQUET_FILE}')`);
    expect(Number(muons)).toBeGreaterThan(N);
    expect(Number(outside)).toBe(0);
    expect(Number(positive)).toBeGreaterThan(0.45);
    expect(Number(positive)).toBeLessThan(0.6); // W+ outnumber W- at the LHC
    expect(Number(maxEta)).toBeLessThanOrEqual(2.4);
    const [[unsorted, minPt, meanJets, meanMuons, meanPhi, firstQuadrant, btagOut, highTag]] = await sql(`
      WITH j AS (SELECT unnest(Jet) AS j FROM '${PARQUET_FILE}')
      SELECT (SELECT count(*) FROM '${PARQUET_FILE}' WHERE list_transform(Jet, x -> x.pt)
                                  != list_sort(list_transform(Jet, x -> x.pt), 'DESC')),
             min(j.pt), (SELECT avg(len(Jet)) FROM '${PARQUET_FILE}'), (SELECT avg(len(Muon)) FROM '${PARQUET_FILE}'),
             avg(j.phi), avg(CASE WHEN j.phi >= 0 AND j.phi < pi() / 2 THEN 1 ELSE 0 END),
             sum(CASE WHEN j.btag < 0 OR j.btag > 1 THEN 1 ELSE 0 END), avg(CASE WHEN j.btag > 0.8 THEN 1 ELSE 0 END)
      FROM j`);
    expect(Number(unsorted)).toBe(0);
    expect(Number(minPt)).toBeGreaterThanOrEqual(15);
    expect(Number(meanJets)).toBeGreaterThan(2);
    expect(Number(meanJets)).toBeLessThan(5);
    expect(Number(meanMuons)).toBeGreaterThan(1);
    expect(Number(meanMuons)).toBeLessThan(2);
    expect(Math.abs(Number(meanPhi))).toBeLessThan(0.05);
    expect(Math.abs(Number(firstQuadrant) - 0.25)).toBeLessThan(0.02);
    expect(Number(btagOut)).toBe(0);
    expect(Number(highTag)).toBeGreaterThan(0.01);
    expect(Number(highTag)).toBeLessThan(0.15);
    // One isolated muon (W→μν-like) carries a neutrino; two opposite-charge muons at the Z mass do not.
    const [[wMet, zMet]] = await sql(`
      SELECT avg(MET.pt) FILTER (WHERE len(Muon) = 1 AND Muon[1].pt > 25 AND Muon[1].pfRelIso03_all < 0.1),
             avg(MET.pt) FILTER (WHERE len(Muon) = 2 AND Muon[1].charge != Muon[2].charge AND Muon[2].pt > 20
                                 AND Muon[1].pfRelIso03_all < 0.1 AND Muon[2].pfRelIso03_all < 0.1)
      FROM '${PARQUET_FILE}'`);
    expect(Number(wMet)).toBeGreaterThan(1.5 * Number(zMet));
  });
});

describe('the same seed gives the same events, in every format', () => {
  it('ROOT (read by jsroot), Parquet (read by DuckDB) and Arrow hold identical values', async () => {
    const ref = await openJsrootTree(ROOT_FILE, 'Events');
    const stop = 2000;
    const rows = await sql(
      `SELECT event, MET.pt, list_transform(Muon, m -> m.pt), list_transform(Jet, j -> j.btag), len(Tau), HLT.IsoMu24
       FROM '${PARQUET_FILE}' LIMIT ${stop}`,
    );
    const root = {
      event: await ref.read('event', stop),
      met: await ref.read('MET_pt', stop),
      mupt: await ref.read('Muon_pt', stop),
      btag: await ref.read('Jet_btag', stop),
      nTau: await ref.read('nTau', stop),
      hlt: await ref.read('HLT_IsoMu24', stop),
    };
    const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : v);
    const list = (v: unknown) =>
      Array.from(((v as { items?: unknown[] })?.items ?? (v as unknown[])) as ArrayLike<unknown>, num);
    for (let e = 0; e < stop; e++) {
      const r = rows[e]!;
      expect(num(root.event![e]), `event ${e}`).toBe(num(r[0]));
      expect(root.met![e]).toBe(r[1]);
      expect(list(root.mupt![e])).toEqual(list(r[2]));
      expect(list(root.btag![e])).toEqual(list(r[3]));
      expect(num(root.nTau![e])).toBe(Number(r[4]));
      expect(num(root.hlt![e])).toBe(num(r[5]));
    }
    const table = arrow.tableFromIPC(readFileSync(ARROW_FILE));
    expect(table.numRows).toBe(N);
    const met = table.getChild('MET')!.getChild('pt')!;
    for (let e = 0; e < stop; e++) expect(met.get(e)).toBe(rows[e]![1]);
  });

  it('regenerating with the seed gives byte-identical ROOT and Parquet files; another seed differs', async () => {
    const again = mkdtempSync(join(tmpdir(), 'hepq-generate-again-'));
    const events = (seed: number, columnOrder: 'root' | 'columnar' = 'root') =>
      generateEvents({ schema: 'adl', events: N, seed, batchSize: 8000, columnOrder });
    await writeRoot(join(again, 'adl.root'), events(SEED), { clusterEntries: 8000, compression: 'zstd:3' });
    await writeParquet(join(again, 'adl.parquet'), events(SEED, 'columnar'), {
      widenUnsigned: true,
      rowGroupRows: 8000,
    });
    expect(readFileSync(join(again, 'adl.root')).equals(readFileSync(ROOT_FILE))).toBe(true);
    expect(readFileSync(join(again, 'adl.parquet')).equals(readFileSync(PARQUET_FILE))).toBe(true);
    await writeRoot(join(again, 'adl.root'), events(SEED + 1), {
      clusterEntries: 8000,
      compression: 'zstd:3',
    });
    expect(readFileSync(join(again, 'adl.root')).equals(readFileSync(ROOT_FILE))).toBe(false);
  });

  it('the PHYSLITE layout holds the same muons in MeV, as std::vector<float> branches', async () => {
    const path = join(DIR, 'physlite.root');
    expect(
      await main([
        'generate',
        '--schema',
        'physlite',
        '--events',
        '500',
        '--seed',
        String(SEED),
        '--cluster',
        '8000',
        '--out',
        path,
      ]),
    ).toBe(0);
    const ref = await openJsrootTree(path, 'CollectionTree');
    const mev = (await ref.read('AnalysisMuonsAuxDyn.pt'))!;
    const gev = await sql(`SELECT list_transform(Muon, m -> m.pt) FROM '${PARQUET_FILE}' LIMIT 500`);
    for (let e = 0; e < 500; e++) {
      const want = Array.from((gev[e]![0] as { items: number[] }).items, (x) => Math.fround(x * 1000));
      expect(Array.from(mev[e] as ArrayLike<number>)).toEqual(want);
    }
    const f = await openRoot(path);
    const b = (await f.inspect()).objects[0]!.branches!.find((x) => x.name === 'AnalysisMuonsAuxDyn.pt')!;
    expect(b.type).toBe('std::vector<float>');
    await f.close();
  });
});

describe('hepq generate', () => {
  it('writes the format named by the file and reports speed; refuses bad options', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t) };
    const path = join(DIR, 'cli.parquet');
    const { main: run } = await import('../../../server/cli/main.js');
    const code = await run(['generate', '--events', '1000', '--out', path, '--seed', '5'], io as never);
    expect(code).toBe(0);
    expect(existsSync(path)).toBe(true);
    const [[n]] = await sql(`SELECT count(*) FROM '${path}'`);
    expect(Number(n)).toBe(1000);
    err.length = 0;
    expect(
      await run(['generate', '--schema', 'cms', '--events', '10', '--out', join(DIR, 'x.root')], io as never),
    ).not.toBe(0);
    expect(err.join('')).toContain('cli/bad-schema');
    err.length = 0;
    expect(await run(['generate', '--events=-3', '--out', join(DIR, 'x.root')], io as never)).not.toBe(0);
    expect(err.join('')).toContain('cli/bad-number');
  });
});
