/**
 * ATLAS xAOD interface branches (issue 15): `DataVector<X>` and the containers typedef'd from it, whose streamer
 * is one STL element `This` of the class's own type (a sequence of X written member-wise, not a class that
 * contains itself); interface objects and Aux-store bases that hold no data of their own. Values come from
 * jsroot and from the file itself: a container's size is its AuxDyn branches' length in every event.
 */
import { describe, expect, it } from 'vitest';
import { openRoot, openRootTable } from '../../../connectors/root/index.js';
import { decodeBasket } from '../../../connectors/root/interp/decode.js';
import { type Column, valueAt } from '../../../exec/batch/index.js';
import { EventModel } from '../../../exec/event-model.js';
import { resultToJson } from '../../../exec/index.js';
import { analyzePlan } from '../../../planner/analyze/index.js';
import { parseQuery } from '../../../query/index.js';
import { executePlan } from '../../helpers/bound-exec.js';
import { runCli } from '../../helpers/cli.js';
import { normalise, sameValue } from '../../helpers/compare-jsroot.js';
import { decodeError, firstBasket } from '../../helpers/damaged-basket.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

const ATLAS = `${ROOT_DATA}uproot-issue-123a.root`;
const PHYSLITE = `${ROOT_DATA}PHYSLITE_example.root`;

async function columns(file: string, tree: string, names: string[]): Promise<Column[]> {
  const f = await openRoot(file);
  try {
    const t = await f.tree(tree);
    return await Promise.all(names.map((n) => t.readBranch(n)));
  } finally {
    await f.close();
  }
}

function lengths(c: Column): number[] {
  if (c.kind !== 'list') throw new Error(`not a list column: ${c.kind}`);
  return Array.from({ length: c.offsets.length - 1 }, (_, i) => c.offsets[i + 1]! - c.offsets[i]!);
}

describe.skipIf(!HAVE_ROOT_DATA)('xAOD interface containers: DataVector<X> as a list of X', () => {
  it('DataVector<xAOD::CaloCluster_v1> reads its m_samplingPattern per cluster, as jsroot does, one per aux-store cluster', async () => {
    for (const name of ['egammaClusters', 'CaloCalTopoClusters']) {
      const [clusters, calE] = await columns(ATLAS, 'CollectionTree', [name, `${name}AuxDyn.calE`]);
      // The interface container and its aux store describe the same clusters in every event.
      expect(lengths(clusters!)).toEqual(lengths(calE!));
      expect(lengths(clusters!).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
      const rows = Array.from({ length: 100 }, (_, i) => valueAt(clusters!, i)) as {
        m_samplingPattern: number;
      }[][];
      // A cluster with energy has cells in at least one calorimeter sampling: a bit of its pattern is set.
      for (const ev of rows) for (const c of ev) expect(c.m_samplingPattern).toBeGreaterThan(0);
      const theirs = (await (await openJsrootTree(ATLAS, 'CollectionTree')).read(name))!;
      expect(theirs).toHaveLength(100);
      for (const [i, v] of rows.entries())
        expect(sameValue(normalise(v), normalise(theirs[i]), 0), `${name} ${i}`).toBe(true);
    }
  });

  it('is read by name only: the whole tree, func_adl and SQL keep the name for the aux store’s container', async () => {
    const table = await openRootTable(ATLAS, 'CollectionTree');
    try {
      const schema = table.schema();
      expect(schema.fields.some((f) => f.name === 'egammaClusters')).toBe(false);
      const group = new EventModel(schema).container('egammaClusters');
      expect(group?.kind).toBe('collection');
      expect(group?.fields.get('calE')).toBe('egammaClustersAuxDyn.calE');
    } finally {
      await table.close();
    }
  });

  it('an interface container of a class without data members holds only its count: refused, saying so', async () => {
    const f = await openRoot(ATLAS);
    try {
      const t = await f.tree('CollectionTree');
      const reason = t.refused().find((r) => r.name === 'AnalysisElectrons')?.reason;
      expect(reason).toBe(
        'DataVector<xAOD::Electron_v1> in branch AnalysisElectrons holds no data of its own: ' +
          'DataVector<xAOD::Electron_v1> is an xAOD interface container: each entry holds only its number of ' +
          'xAOD::Electron_v1 objects, and xAOD::Electron_v1 has no data members, only empty base classes ' +
          "(xAOD::Egamma_v1) (its data, if any, are in other branches: ATLAS's auxiliary store " +
          'AnalysisElectronsAux., AnalysisElectronsAuxDyn.*)',
      );
      await expect(t.readBranch('AnalysisElectrons')).rejects.toMatchObject({
        code: 'root/unsupported',
        location: {
          file: expect.stringContaining('uproot-issue-123a.root'),
          object: 'CollectionTree/AnalysisElectrons',
        },
      });
      // What the reason says, byte by byte: each entry is the vector's byte count and member-wise version, the
      // element class's version 0 and checksum, and the count, which is the aux store's electron count.
      const { content } = await firstBasket(ATLAS, 'CollectionTree', 'AnalysisElectrons');
      const pt = await t.readBranch('AnalysisElectronsAuxDyn.pt', { stop: content.entries });
      const view = new DataView(content.data.buffer, content.data.byteOffset, content.data.byteLength);
      const offs = content.offsets!;
      for (let i = 0; i < content.entries; i++) {
        expect(offs[i + 1]! - offs[i]!).toBe(16);
        expect(view.getUint16(offs[i]! + 4)).toBe(0x4009);
        expect(view.getUint32(offs[i]! + 12)).toBe(lengths(pt)[i]);
      }
      // The rest of the tree reads without it.
      expect(t.readable().some((b) => b.name === 'AnalysisElectronsAuxDyn.pt')).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('MetaData: CutBookkeeperContainer_v1 holds only its count; its Aux store reads, with physical counts', async () => {
    const f = await openRoot(ATLAS);
    try {
      const t = await f.tree('MetaData');
      expect(t.refused().find((r) => r.name === 'CutBookkeepers')?.reason).toMatch(
        /^xAOD::CutBookkeeperContainer_v1 in branch CutBookkeepers holds no data of its own: .* its number of xAOD::CutBookkeeper_v1 objects/,
      );
      const aux = valueAt(await t.readBranch('CutBookkeepersAux.'), 0) as {
        nAcceptedEvents: bigint[] | number[];
        sumOfEventWeights: number[];
        name: string[];
      };
      expect(aux.name.length).toBeGreaterThan(0);
      for (const n of aux.nAcceptedEvents) expect(Number(n)).toBeGreaterThanOrEqual(0);
      // All executed events were written: the first bookkeeper counts the tree's events, and sums their
      // nominal MC weights (and squares) as the events' own EventInfo says them.
      const events = await f.tree('CollectionTree');
      const w = await events.readBranch('EventInfoAuxDyn.mcEventWeights');
      const nominal = Array.from({ length: events.entries }, (_, i) => (valueAt(w, i) as number[])[0]!);
      expect(aux.name[0]).toBe('AllExecutedEvents');
      expect(Number(aux.nAcceptedEvents[0])).toBe(events.entries);
      expect(aux.sumOfEventWeights[0]).toBeCloseTo(
        nominal.reduce((a, x) => a + x, 0),
        6,
      );
      // The count in the interface container's entry is the Aux store's number of bookkeepers.
      const { content } = await firstBasket(ATLAS, 'MetaData', 'CutBookkeepers');
      const view = new DataView(content.data.buffer, content.data.byteOffset, content.data.byteLength);
      expect(view.getUint32(content.offsets![0]! + 12)).toBe(aux.name.length);
    } finally {
      await f.close();
    }
  });

  it('interface objects and Aux-store bases hold no data of their own; split Aux stores read without them', async () => {
    const f = await openRoot(PHYSLITE);
    try {
      const t = await f.tree('CollectionTree');
      const refused = new Map(t.refused().map((r) => [r.name, r.reason]));
      expect(refused.get('EventInfo')).toMatch(
        /^xAOD::EventInfo_v1 in branch EventInfo holds no data of its own: xAOD::EventInfo_v1 has no data members, only empty base classes \(SG::AuxElement\)/,
      );
      const base = 'xTrigDecisionAux./xTrigDecisionAux.xAOD::AuxInfoBase';
      expect(refused.get(base)).toMatch(
        /^BASE in branch .* holds no data of its own: base class xAOD::AuxInfoBase has no data members, only empty base classes \(SG::IAuxStore, SG::IAuxStoreIO, SG::IAuxStoreHolder, ILockable\)/,
      );
      for (const r of refused.values()) expect(r).not.toMatch(/contains itself/);
      // The split Aux store is the record of its other members, equal to them entry by entry.
      const record = await t.readBranch('xTrigDecisionAux.');
      const smk = await t.readBranch('xTrigDecisionAux./xTrigDecisionAux.smk');
      if (record.kind !== 'struct') throw new Error('not a record');
      expect(record.names).toContain('smk');
      expect(record.names.some((n) => /Aux|Store|Lock/.test(n))).toBe(false);
      for (let i = 0; i < t.entries; i++)
        expect((valueAt(record, i) as { smk: number }).smk).toBe(valueAt(smk, i));
    } finally {
      await f.close();
    }
  });
});

describe.skipIf(!HAVE_ROOT_DATA)(
  'xAOD::EventAuxInfo_v1 with a std::pair the file has no streamer for',
  () => {
    it('reads every event’s run, lumi block and event number, as jsroot does and the stream’s metadata lists them', async () => {
      const f = await openRoot(ATLAS);
      try {
        const t = await f.tree('CollectionTree');
        const info = await t.readBranch('EventInfoAux.');
        const events = Array.from({ length: t.entries }, (_, i) => valueAt(info, i)) as {
          runNumber: number;
          lumiBlock: number;
          eventNumber: bigint | number;
          detDescrTags: { first: string; second: string }[];
        }[];
        const stream = valueAt(await (await f.tree('MetaData')).readBranch('StreamDAOD_PHYSLITE'), 0) as {
          m_numberOfEvents: number;
          m_runNumbers: number[];
          m_lumiBlockNumbers: number[];
        };
        expect(events).toHaveLength(stream.m_numberOfEvents);
        for (const e of events) {
          expect(stream.m_runNumbers).toContain(e.runNumber);
          expect(stream.m_lumiBlockNumbers).toContain(e.lumiBlock);
        }
        expect(new Set(events.map((e) => Number(e.eventNumber))).size).toBe(events.length);
        const theirs = (await (await openJsrootTree(ATLAS, 'CollectionTree')).read('EventInfoAux.'))!;
        for (const [i, v] of events.entries())
          expect(sameValue(normalise(v), normalise(theirs[i]), 0), `entry ${i}`).toBe(true);
      } finally {
        await f.close();
      }
    });
  },
);

describe.skipIf(!HAVE_ROOT_DATA)('the rest of an xAOD tree around what is refused', () => {
  it('hepq dump of the whole tree names what cannot be read yet apart from what holds no data', async () => {
    const run = await runCli('dump', ATLAS, '--tree', 'CollectionTree', '--stop', '3');
    expect(run.code).toBe(0);
    const rows = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!)).toContain('EventInfoAux.');
    expect(Object.keys(rows[0]!)).not.toContain('egammaClusters');
    expect(run.err).toMatch(
      /skipped \d+: 1 that cannot be read yet: McEventInfo \(PileUpEventInfo_p5\); \d+ that hold no data of their own: /,
    );
  });

  it('SQL over the tree: egammaClusters is still the aux store’s container; EventInfoAux. is a record column', async () => {
    const run = await runCli(
      'sql',
      '--format',
      'json',
      `select count(*) as n, min("EventInfoAux.".runNumber) as run, sum(len(egammaClusters)) as clusters,
         sum(len("egammaClustersAuxDyn.calE")) as energies, min(egammaClusters[1].calE) > 0 as positive
       from root('${ATLAS}', 'CollectionTree') where len(egammaClusters) > 0`,
    );
    expect(run.err).toBe('');
    const [row] = JSON.parse(run.out) as Record<string, unknown>[];
    expect(row).toMatchObject({ run: 310000, positive: true });
    expect(row!.clusters).toBe(row!.energies);
    expect(row!.n).toBeGreaterThan(0);
  });

  it('func_adl counts a container’s electrons from its aux store, as many as the interface container says', async () => {
    const table = await openRootTable(ATLAS, 'CollectionTree');
    try {
      const text = `ds.Select(lambda e: {'n': e.Electrons('AnalysisElectrons').Count(), 'pt': e['AnalysisElectronsAuxDyn.pt']})`;
      const plan = parseQuery(text);
      analyzePlan(plan, table.schema(), { source: text });
      const out = resultToJson(await executePlan(plan, table)) as { n: number; pt: number[] }[];
      expect(out).toHaveLength(100);
      // The interface container's own count, from its entries' bytes (basket 0), agrees.
      const { content } = await firstBasket(ATLAS, 'CollectionTree', 'AnalysisElectrons');
      const view = new DataView(content.data.buffer, content.data.byteOffset, content.data.byteLength);
      for (let i = 0; i < content.entries; i++)
        expect(view.getUint32(content.offsets![i]! + 12)).toBe(out[i]!.n);
      for (const e of out) expect(e.n).toBe(e.pt.length);
    } finally {
      await table.close();
    }
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('damaged interface containers', () => {
  it('an EventAuxInfo whose empty detDescrTags claims a pair is located', async () => {
    const { info, content } = await firstBasket(ATLAS, 'CollectionTree', 'EventInfoAux.');
    const data = content.data.slice();
    const view = new DataView(data.buffer);
    const at = content.offsets![0]!;
    // Entry 0: the AuxInfoBase's 60 header bytes, runNumber (the stream's run), eventNumber … detectorMask3,
    // then detDescrTags, written member-wise: its byte count and version, the pair's version 0 and checksum,
    // and its length 0.
    expect(view.getUint32(at + 60)).toBe(310000);
    expect(view.getUint32(at + 104) & 0x40000000).not.toBe(0);
    expect(view.getUint16(at + 108) & 0x4000).not.toBe(0);
    expect(view.getUint32(at + 116)).toBe(0);
    view.setUint32(at + 116, 1);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(
      /^entry 0: std::vector<pair<string,string>> ends at \d+ but its byte count says/,
    );
    expect(e.location?.object).toBe('CollectionTree/EventInfoAux. (basket 0)');
    expect(e.location?.file).toContain('uproot-issue-123a.root');
    expect(e.location?.offset).toBeGreaterThan(0);
  });

  it('a DataVector entry whose count runs past its bytes is located', async () => {
    const { info, content } = await firstBasket(ATLAS, 'CollectionTree', 'egammaClusters');
    const data = content.data.slice();
    const offs = content.offsets!;
    // Entry 0 says one cluster; claim five (its m_samplingPattern bytes end well before five would).
    new DataView(data.buffer).setUint32(offs[0]! + 12, 5);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(/^entry 0: /);
    expect(e.location?.object).toBe('CollectionTree/egammaClusters (basket 0)');
    expect(e.location?.file).toContain('uproot-issue-123a.root');
    expect(e.location?.offset).toBeGreaterThan(0);
  });
});
