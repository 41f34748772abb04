// The library's route from a query's histograms to a fit in one call: queryFileset → fitHistograms.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFileset } from '../../connectors/index.js';
import { HepqError } from '../../exec/batch/index.js';
import { fitHistograms, Session } from '../../server/index.js';
import { SHARED } from '../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const QUERY = `EventDataset().Select(lambda e: {'met': e.MET_pt, 'nmu': e.nMuon})
  .Hist(lambda e: e.met, bins=4, range=(0, 80),
        category={'region': {'SR': lambda e: e.nmu >= 1}},
        weight={'nominal': lambda e: w, 'up': lambda e: 1.05 * w})`;
const CONFIG = {
  regions: ['SR'],
  samples: [{ name: 'sig', signal: true }, { name: 'bkg' }],
  systematics: [{ name: 'bkg_norm', type: 'normsys' as const, up: 'up', samples: ['bkg'] }],
};

describe.skipIf(!existsSync(FILE))('fitHistograms', () => {
  const session = new Session({ threads: 1 });
  afterAll(() => session.close());
  const fileset = parseFileset({
    sig: { files: [FILE], metadata: { w: 0.2 } },
    bkg: { files: [FILE], metadata: { w: 1 } },
  });

  it('fits the histograms of one query: mu = 1 on the Asimov data and on data equal to the prediction', async () => {
    const { histograms } = await session.queryFileset(QUERY, fileset);
    const asimov = fitHistograms(histograms!, { ...CONFIG, asimov: true });
    expect(asimov.converged).toBe(true);
    expect(asimov.mu_hat).toBeCloseTo(1, 3);
    expect(asimov.workspace.channels.map((c) => c.name)).toEqual(['SR']);
    // data = sig + bkg nominal, summed here by hand from the histograms
    const nominal = histograms!.histograms.filter((h) => h.labels.variation === 'nominal');
    const counts = nominal[0]!.counts.map((_c, i) => nominal.reduce((a, h) => a + h.counts[i]!, 0));
    const withData = fitHistograms(histograms!, CONFIG, {
      extra: [{ region: 'SR', sample: 'data', histogram: { edges: nominal[0]!.edges, counts } }],
    });
    expect(withData.mu_hat).toBeCloseTo(1, 3);
    expect(withData.mu_err).toBeGreaterThan(0);
    expect(withData.parameters.map((p) => p.name)).toContain('bkg_norm');
  });

  it('names the label it cannot find', async () => {
    const r = await session.query(QUERY, { files: [FILE], params: { w: 1 } });
    if (r.kind !== 'histograms') throw new Error('histograms expected');
    // a set straight from one query has no dataset label
    expect(() => fitHistograms(r.histograms, CONFIG)).toThrow(HepqError);
    expect(() => fitHistograms(r.histograms, CONFIG)).toThrow(/no 'dataset' label/);
  });
});
