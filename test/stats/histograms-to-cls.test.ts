/**
 * The library chain the AGC command drives, on real files: histograms read from a ROOT file → builder → Asimov
 * fit (μ̂ = 1) → post-fit yields → histograms written to a ROOT file that jsroot reads back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile } from 'jsroot';
import { describe, expect, it } from 'vitest';
import { openRoot, readRootHistogram, writeHistograms } from '../../connectors/root/index.js';
import { buildWorkspaceWithReport, fitModel, hypotest, postfitYields } from '../../stats/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../helpers/shared-data.js';

describe.skipIf(!HAVE_ROOT_DATA)(
  'ROOT histograms to a fit and back (issue368_pyhf_test_histograms.root)',
  () => {
    it('builds from TH1Ds, fits Asimov data to μ̂ = 1, and writes the post-fit yields as TH1Ds', async () => {
      const f = await openRoot(`${ROOT_DATA}issue368_pyhf_test_histograms.root`);
      const sig = await readRootHistogram(f, 'h_sig');
      const bkg = await readRootHistogram(f, 'h_bkg');
      await f.close();
      const { workspace, edges } = buildWorkspaceWithReport(
        {
          regions: ['SR'],
          samples: [{ name: 'signal', signal: true, staterror: false }, { name: 'background' }],
          systematics: [{ name: 'bkg_xsec', type: 'normsys', hi: 1.05, samples: ['background'] }],
          lumi: { relErr: 0.02 },
          asimov: true,
        },
        [
          { region: 'SR', sample: 'signal', histogram: sig },
          { region: 'SR', sample: 'background', histogram: bkg },
        ],
      );
      expect(edges.SR).toEqual(bkg.edges);
      const model = workspace.model();
      const data = workspace.data(model);
      // Asimov observations are the nominal signal + background sums
      expect(Array.from(data.main)).toEqual(sig.counts.map((s, i) => s + bkg.counts[i]!));
      const fit = fitModel(model, data);
      expect(fit.x[model.poiIndex]).toBeCloseTo(1, 4);
      const post = postfitYields(model, data, fit);
      const sr = post.yields.regions[0]!;
      expect(sr.samples.map((s) => s.name)).toEqual(['background', 'signal']);
      for (let b = 0; b < sig.counts.length; b++) expect(sr.total.yields[b]).toBeCloseTo(data.main[b]!, 6);
      expect(Number.isFinite(hypotest(1, model, data).clsObs)).toBe(true);
      // post-fit histograms with their uncertainties as sumw2, read back by jsroot
      const out = join(mkdtempSync(join(tmpdir(), 'hepq-postfit-')), 'postfit.root');
      await writeHistograms(
        out,
        Object.fromEntries(
          [...sr.samples, sr.total].map((s) => [
            `SR_${s.name}_postfit`,
            {
              edges: edges.SR!,
              counts: s.yields,
              sumw2: Array.from(s.stdev, (x) => x * x),
              title: `${s.name} post-fit`,
            },
          ]),
        ),
      );
      const js = await openFile(out);
      const total = await js.readObject('SR_total_postfit');
      expect(Array.from(total.fArray as ArrayLike<number>).slice(1, -1)).toEqual(Array.from(sr.total.yields));
      expect(Math.sqrt(total.fSumw2[1])).toBeCloseTo(sr.total.stdev[0]!, 12);
      // 130 to 990 GeV in 20 GeV steps: equal widths, stored as fXmin/fXmax/fNbins
      expect([total.fXaxis.fXmin, total.fXaxis.fXmax, total.fXaxis.fNbins]).toEqual([130, 990, 43]);
    });
  },
);
