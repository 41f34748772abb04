// The AGC tt̄ example end to end through the CLI (`hepq agc --json`): Asimov fit gives mu = 1, pseudo-data
// a consistent mu, 2 regions × 5 samples × 13 variations = 130 histograms; and an independent SQL query over
// the same ROOT file gives the 4j1b H_T histograms (nominal, a b-tag weight, the jet energy scale) bin for bin.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile } from 'jsroot';
import { afterAll, describe, expect, it } from 'vitest';
import { selectHistograms } from '../../exec/index.js';
import { AGC_QUERY, agcSingleHistogramQuery } from '../../server/agc/agc-query.js';
import { writeAgcSamples } from '../../server/agc/agc-samples.js';
import { Session } from '../../server/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hepq-agc-'));
const session = new Session({ threads: 1 });
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

interface AgcJson {
  mu_hat: number;
  mu_err: number;
  cls_obs: number;
  cls_exp: number[];
  histograms: number;
  files: number;
  seconds: number;
  converged: boolean;
  fileset: string;
}

async function agc(...extra: string[]): Promise<AgcJson> {
  const r = await runCli('agc', '--events', '4000', '--json', '--dir', dir, ...extra);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as AgcJson;
}

describe('hepq agc', () => {
  it('fits mu = 1 to the Asimov data of the model it builds, from 130 one-pass histograms', async () => {
    const r = await agc('--asimov');
    expect(r.converged).toBe(true);
    expect(r.mu_hat).toBeCloseTo(1, 3);
    expect(r.mu_err).toBeGreaterThan(0);
    expect(r.mu_err).toBeLessThan(1);
    // regions × samples × (nominal + 8 b-tag + 2 W+jets scale weights + 2 object variations)
    expect(r.histograms).toBe(2 * 5 * (1 + 8 + 2 + 2));
    expect(r.files).toBe(5);
    expect(r.cls_obs).toBeGreaterThanOrEqual(0);
    expect(r.cls_obs).toBeLessThanOrEqual(1);
    expect(r.cls_exp).toHaveLength(5);
    expect(r.seconds).toBeGreaterThan(0);
  });

  it('fits pseudo-data fluctuated around the prediction to a mu consistent with 1', async () => {
    const root = join(dir, 'histograms.root');
    const r = await agc('--root', root);
    // the histograms as TH1Ds (combine's layout), read back by jsroot
    const f = await openFile(root);
    const h = await f.readObject('4j2b/ttbar_pt_scale_up');
    expect(h._typename).toBe('TH1D');
    expect(h.fXaxis.fNbins).toBe(25);
    const nominal = await f.readObject('4j1b/ttbar');
    expect(nominal.fEntries).toBeGreaterThan(0);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.mu_hat - 1)).toBeLessThan(4 * r.mu_err);
  });

  it('gives the histograms of one plain query per histogram, and of an independent SQL query', async () => {
    await writeAgcSamples({ dir, events: 4000, seed: 1 }); // the CLI's samples (reused when already there)
    const fileset = JSON.parse(readFileSync(join(dir, 'fileset.json'), 'utf8')) as Record<
      string,
      { files: Record<string, string> }
    >;
    const file = join(dir, Object.keys(fileset.ttbar!.files)[0]!);
    const r = await session.query(AGC_QUERY, {
      files: [file],
      params: { xsec: 1, lumi: 1, nevts: 1, seed: 1 },
    });
    if (r.kind !== 'histograms') throw new Error('histograms expected');
    // The same selection written in SQL over the ROOT branches: |η| < 2.4 jets, exactly one lepton, ≥ 4 jets
    // above 25 GeV with exactly one b tag; H_T; weights and the +3% jet energy scale as in the query.
    const sql = (scale: number, weight: string) => `
      WITH ev AS (
        SELECT list_transform(list_filter(Jet_pt, (p, i) -> abs(Jet_eta[i]) < 2.4), p -> p * ${scale}) AS jpt,
               list_filter(Jet_btagDeepFlavB, (b, i) -> abs(Jet_eta[i]) < 2.4) AS jb,
               len(list_filter(Electron_pt, (p, i) -> p > 30 AND abs(Electron_eta[i]) < 2.1
                                                      AND Electron_pfRelIso03_all[i] < 0.15))
             + len(list_filter(Muon_pt, (p, i) -> p > 30 AND abs(Muon_eta[i]) < 2.1 AND Muon_tightId[i]
                                                  AND Muon_pfRelIso04_all[i] < 0.15)) AS nlep
        FROM root('${file}', 'Events')),
      sel AS (
        SELECT list_filter(jpt, p -> p > 25) AS good,
               len(list_filter(jb, (b, i) -> jpt[i] > 25 AND b >= 0.5)) AS nb
        FROM ev WHERE nlep = 1)
      SELECT hist_index(list_sum(good), 50, 550, 25) AS bin, sum(${weight}) AS w
      FROM sel WHERE len(good) >= 4 AND nb = 1
      GROUP BY bin ORDER BY bin`;
    const cases = [
      { variation: 'nominal', scale: 1, weight: '1.0' },
      { variation: 'btag_var_0_up', scale: 1, weight: '1 + 0.075 * good[1] / 50' },
      { variation: 'pt_scale_up', scale: 1.03, weight: '1.0' },
    ];
    for (const c of cases) {
      const res = await session.sql(sql(c.scale, c.weight));
      const [bins, ws] = res.columns as [bigint[], number[]];
      const [h] = selectHistograms(r.histograms, { region: '4j1b', variation: c.variation });
      const want = new Array<number>(25).fill(0);
      bins.forEach((b, k) => {
        const i = Number(b);
        if (i >= 0 && i < 25) want[i] = ws[k]!;
      });
      expect(h!.counts.length).toBe(25);
      h!.counts.forEach((got, i) => {
        expect(got, `${c.variation} bin ${i}`).toBeCloseTo(want[i]!, 6);
      });
      expect(h!.counts.reduce((a, x) => a + x, 0)).toBeGreaterThan(0);
    }
    // The single pass against one plain query per histogram (weights, the smeared and the scaled jets).
    const pairs = [
      ['4j1b', 'nominal'],
      ['4j2b', 'btag_var_2_down'],
      ['4j1b', 'pt_res_up'],
      ['4j2b', 'pt_scale_up'],
    ] as const;
    for (const [region, variation] of pairs) {
      const one = await session.query(agcSingleHistogramQuery(region, variation), {
        files: [file],
        params: { xsec: 1, lumi: 1, nevts: 1, seed: 1 },
      });
      if (one.kind !== 'histogram') throw new Error('a histogram expected');
      const [h] = selectHistograms(r.histograms, { region, variation });
      expect(h!.counts, `${region}/${variation}`).toEqual(one.histogram.counts);
      expect(h!.sumw2).toEqual(one.histogram.sumw2);
    }
  });
});
