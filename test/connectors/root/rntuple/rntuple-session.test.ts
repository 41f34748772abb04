/**
 * RNTuples through the rest of hepq: the connector table (statistics, scans by cluster, ranges), func_adl
 * queries through a Session, `hepq inspect` and `hepq dump` — each checked against values jsroot reads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../../../connectors/root/io/test-http-server.js';
import {
  openRNTupleTable,
  openRootOrRNTupleTable,
  RNTupleTable,
} from '../../../../connectors/root/rntuple/index.js';
import { HepqError } from '../../../../exec/batch/index.js';
import { Session } from '../../../../server/session.js';
import { runCli } from '../../../helpers/cli.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../../helpers/shared-data.js';
import { openJsrootRNTuple } from './jsroot-rntuple.js';
import { rows } from './reference.js';

const MUONS = `${ROOT_DATA}Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root`;
const GROUPS = `${ROOT_DATA}test_multiple_cluster_groups_rntuple_v1-0-0-0.root`;

type Muon = { Muon_pt: number; Muon_eta: number; Muon_phi: number; Muon_mass: number; Muon_charge: number };

describe.skipIf(!HAVE_ROOT_DATA)('RNTuple tables, queries and the command line', () => {
  const session = new Session({ threads: 1, device: 'cpu' });
  afterAll(() => session.close());
  /** jsroot's muons of every event (the untyped collection the projected Muon_* fields come from). */
  const jsMuons = async () =>
    (await (await openJsrootRNTuple(MUONS, 'Events')).read('_collection0')) as Muon[][];

  it('a ROOT file with no TTree opens as its RNTuple, by default name or by name', async () => {
    const t = await openRootOrRNTupleTable(MUONS);
    try {
      expect(t).toBeInstanceOf(RNTupleTable);
      expect(t.name).toBe('Events');
      expect(t.statistics().entries).toBe(1000);
      expect(t.schema().fields.map((f) => f.name)).toEqual(
        expect.arrayContaining(['nMuon', 'Muon_pt', '_collection0', '_collection0.Muon_pt']),
      );
    } finally {
      await t.close();
    }
    const named = await openRootOrRNTupleTable(MUONS, 'Events');
    await named.close();
    const err = await openRootOrRNTupleTable(MUONS, 'Nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HepqError);
  });

  it('reads over HTTP range requests (the byte sources of connectors/root)', async () => {
    const server = await startTestServer(ROOT_DATA);
    try {
      const t = await openRNTupleTable(
        `${server.url}/Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root`,
      );
      try {
        const got: unknown[] = [];
        for await (const b of t.scan({ columns: ['nMuon'] })) got.push(...rows(b.columns[0]!, b.length));
        expect(got).toEqual((await jsMuons()).map((e) => e.length));
        expect(server.log.some((l) => l.startsWith('GET') && l.includes('bytes='))).toBe(true);
      } finally {
        await t.close();
      }
    } finally {
      await server.close();
    }
  });

  it('statistics: cluster boundaries of every cluster group, bytes per column', async () => {
    const t = await openRNTupleTable(GROUPS);
    try {
      const s = t.statistics();
      expect(s.entries).toBe(1000);
      expect(s.clusters[0]).toBe(0);
      expect(s.clusters.at(-1)).toBe(1000);
      // jsroot's cluster summaries of the first group are a prefix of ours.
      const js = await openJsrootRNTuple(GROUPS, 'ntuple');
      expect(s.clusters.slice(0, 6)).toEqual([0, 100, 200, 300, 400, js.entries]);
      for (const c of s.columns) expect(c.compressedBytes).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('scans only the asked columns, cluster by cluster, within a range', async () => {
    const t = await openRNTupleTable(MUONS);
    const muons = await jsMuons();
    try {
      const got: unknown[] = [];
      for await (const b of t.scan({ columns: ['Muon_pt'], range: { start: 100, stop: 350 } })) {
        expect(b.schema.fields.map((f) => f.name)).toEqual(['Muon_pt']);
        got.push(...rows(b.columns[0]!, b.length));
      }
      expect(got).toEqual(muons.slice(100, 350).map((e) => e.map((m) => m.Muon_pt)));
      let err: unknown;
      try {
        t.scan({ columns: ['Muon_ptt'] });
      } catch (e) {
        err = e;
      }
      expect((err as HepqError).hint).toBe('did you mean Muon_pt?');
    } finally {
      await t.close();
    }
  });

  it('a pushed filter skips the clusters where no entry passes (inexact: whole clusters come back)', async () => {
    const t = await openRNTupleTable(GROUPS);
    try {
      expect(t.supportsFilter({ column: 'one', op: '<', value: 50 })).toBe('inexact');
      expect(t.supportsFilter({ column: 'int_vector', op: '>=', value: 1 })).toBe('unsupported');
      const got: number[] = [];
      for await (const b of t.scan({ columns: ['one'], filters: [{ column: 'one', op: '<', value: 50 }] }))
        got.push(...(rows(b.columns[0]!, b.length) as number[]));
      // Only the first cluster (entries [0, 100), a cluster jsroot reads too) holds values below 50.
      const js = (await (await openJsrootRNTuple(GROUPS, 'ntuple')).read('one')) as number[];
      expect(got).toEqual(js.slice(0, 100));
      expect(js.filter((v) => v < 50).length).toBe(50);
    } finally {
      await t.close();
    }
  });

  it('func_adl through a Session: events with two muons, muon-pt histogram (vs jsroot)', async () => {
    const muons = await jsMuons();
    const two = await session.query('Where(lambda e: e.nMuon >= 2).Count()', { files: [MUONS] });
    expect(two).toEqual({ kind: 'value', value: muons.filter((e) => e.length >= 2).length });
    const viaList = await session.query("Where(lambda e: e['_collection0.Muon_pt'].Count() >= 2).Count()", {
      files: [MUONS],
    });
    expect(viaList).toEqual(two);
    const h = await session.query(
      'SelectMany(lambda e: e.Muon_pt).Hist(lambda pt: pt, bins=20, range=(0, 100))',
      {
        files: [MUONS],
      },
    );
    if (h.kind !== 'histogram') throw new Error('expected a histogram');
    const counts = new Array(20).fill(0);
    let overflow = 0;
    for (const e of muons)
      for (const m of e) {
        const pt = Math.fround(m.Muon_pt);
        if (pt >= 100) overflow++;
        else counts[Math.floor(pt / 5)]++;
      }
    expect(Array.from(h.histogram.counts)).toEqual(counts);
    expect(h.histogram.overflow).toBe(overflow);
    // The untyped collection as a collection of records.
    const q = await session.query(
      'Select(lambda e: e._collection0.Where(lambda m: m.Muon_charge > 0).Count()).Sum()',
      { files: [MUONS] },
    );
    expect(q).toEqual({ kind: 'value', value: muons.flat().filter((m) => m.Muon_charge > 0).length });
  });

  it('hepq inspect lists the RNTuple with entries and each field; hepq dump reads it', async () => {
    const inspect = await runCli('inspect', MUONS, '--json');
    expect(inspect.code).toBe(0);
    const info = JSON.parse(inspect.out) as {
      objects: {
        path: string;
        class: string;
        entries?: number;
        branches?: { name: string; column: string }[];
      }[];
    };
    const o = info.objects.find((x) => x.class === 'ROOT::RNTuple')!;
    expect(o.path).toBe('Events');
    expect(o.entries).toBe(1000);
    expect(o.branches?.find((b) => b.name === 'Muon_pt')?.column).toBe('list<float32>');
    expect(o.branches?.find((b) => b.name === 'nMuon')?.column).toBe('uint32');
    const text = await runCli('inspect', MUONS);
    expect(text.out).toMatch(/Events\s+ROOT::RNTuple\s+1000 entries/);

    const muons = await jsMuons();
    const dump = await runCli(
      'dump',
      MUONS,
      '--tree',
      'Events',
      '--branch',
      'nMuon',
      '--branch',
      'Muon_pt',
      '--stop',
      '5',
    );
    expect(dump.code).toBe(0);
    // text prints float32 values as their shortest decimals: read back as float32 they are the stored bits
    const lines = dump.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .map((r: { nMuon: number; Muon_pt: number[] }) => ({ ...r, Muon_pt: r.Muon_pt.map(Math.fround) }));
    expect(lines).toEqual(
      muons.slice(0, 5).map((e) => ({ nMuon: e.length, Muon_pt: e.map((m) => m.Muon_pt) })),
    );
    // std::variant: a record of the active alternative's index and one list per alternative (uproot's
    // test_0662 reads entry 0 as 1 and entry 1 as "two"; vector_variant_int64_string[1] as ["one", 2]).
    const variant = await runCli(
      'dump',
      `${ROOT_DATA}test_stl_containers_rntuple_v1-0-0-0.root`,
      '--branch',
      'variant_int32_string',
      '--branch',
      'vector_variant_int64_string',
      '--stop',
      '2',
    );
    expect(variant.code).toBe(0);
    expect(
      variant.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        variant_int32_string: { index: 0, _0: [1], _1: [] },
        vector_variant_int64_string: [{ index: 1, _0: [], _1: ['one'] }],
      },
      {
        variant_int32_string: { index: 1, _0: [], _1: ['two'] },
        vector_variant_int64_string: [
          { index: 1, _0: [], _1: ['one'] },
          { index: 0, _0: [2], _1: [] },
        ],
      },
    ]);
  });
});
