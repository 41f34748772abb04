/**
 * The AGC tt̄ analysis as one func_adl query: the single-lepton selection, regions 4j1b (observable H_T) and
 * 4j2b (mass of the b-tagged trijet of highest pT), and every systematic variation, filled in one pass per file.
 */

/** Regions of the analysis (the `region` category). */
export const AGC_REGIONS = ['4j1b', '4j2b'] as const;

/** Weight variations (b-tagging per leading jet, W+jets scale), filled beside the nominal weight. */
export const AGC_WEIGHT_VARIATIONS = [
  ...[0, 1, 2, 3].flatMap((i) => [`btag_var_${i}_up`, `btag_var_${i}_down`]),
  'scale_var_up',
  'scale_var_down',
] as const;

/** Object-level variations: jet energy scale (+3%) and resolution (5% Gaussian smearing), one-sided. */
export const AGC_OBJECT_VARIATIONS = ['pt_scale_up', 'pt_res_up'] as const;

/** The histogram binning of both regions (the AGC's: 25 bins of 20 GeV from 50 to 550). */
export const AGC_BINNING = { bins: 25, lo: 50, hi: 550 } as const;

const GOOD = 'lambda p: p > 25';
const nJets = `e.jet_pt.Where(${GOOD}).Count()`;
const nB = "Zip({'pt': e.jet_pt, 'btag': e.jet_btag}).Where(lambda j: j.pt > 25 and j.btag >= 0.5).Count()";
const ht = `e.jet_pt.Where(${GOOD}).Sum()`;
const trijetMass = `Zip({'p4': Zip({'pt': e.jet_pt, 'eta': e.jet_eta, 'phi': e.jet_phi, 'mass': e.jet_mass}).ToFourMomenta(),
                  'btag': e.jet_btag})
              .Where(lambda j: j.p4.pt > 25)
              .Choose(3)
              .Where(lambda t: max(t[0].btag, t[1].btag, t[2].btag) >= 0.5)
              .Select(lambda t: t[0].p4 + t[1].p4 + t[2].p4)
              .OrderByDescending(lambda p: p.pt)
              .First().mass`;
const jet = (field: string) => `e.Jet.Where(lambda j: abs(j.eta) < 2.4).Select(lambda j: j.${field})`;
const btagWeight = (i: number, sign: '+' | '-') =>
  `lambda e: xsec * lumi / nevts * (1 ${sign} 0.075 * e.jet_pt.Where(${GOOD}).ElementAt(${i}) / 50)`;

/**
 * The query. Parameters bound at run time: `xsec` (pb) and `nevts` from each dataset's metadata in the fileset,
 * `lumi` (pb⁻¹) and `seed` (of the jet-resolution smearing) from the caller; the weight is σ · L / N.
 */
export const AGC_QUERY = `EventDataset()
  .Select(lambda e: {
      'jet_pt': ${jet('pt')},
      'jet_eta': ${jet('eta')},
      'jet_phi': ${jet('phi')},
      'jet_mass': ${jet('mass')},
      'jet_btag': ${jet('btagDeepFlavB')},
      'event': e.event,
      'nlep': e.Electron.Where(lambda l: l.pt > 30 and abs(l.eta) < 2.1 and l.pfRelIso03_all < 0.15).Count()
            + e.Muon.Where(lambda m: m.pt > 30 and abs(m.eta) < 2.1 and m.tightId and m.pfRelIso04_all < 0.15).Count()})
  .Where(lambda e: e.nlep == 1)
  .Hist(lambda e: ${ht} if ${nB} == 1 else ${trijetMass},
        bins=${AGC_BINNING.bins}, range=(${AGC_BINNING.lo}, ${AGC_BINNING.hi}),
        category={'region': {'4j1b': lambda e: ${nJets} >= 4 and ${nB} == 1,
                             '4j2b': lambda e: ${nJets} >= 4 and ${nB} >= 2}},
        weight={'nominal': lambda e: xsec * lumi / nevts,
${[0, 1, 2, 3].map((i) => `                'btag_var_${i}_up': ${btagWeight(i, '+')},\n                'btag_var_${i}_down': ${btagWeight(i, '-')},`).join('\n')}
                'scale_var_up': lambda e: xsec * lumi / nevts * 1.025,
                'scale_var_down': lambda e: xsec * lumi / nevts * 0.975},
        variation={'pt_scale_up': lambda e: {'jet_pt': e.jet_pt.Select(lambda p: p * 1.03)},
                   'pt_res_up': lambda e: {'jet_pt': e.jet_pt.Select(lambda p: p * (1 + 0.05 * randn(seed, e.event, p)))}})`;

/**
 * The query for ONE histogram (region × variation) as a plain `Where(...).Hist(...)` — what a framework without
 * categorised fills runs once per histogram. The benchmark's baseline and the single pass's cross-check.
 */
export function agcSingleHistogramQuery(region: (typeof AGC_REGIONS)[number], variation: string): string {
  const head = AGC_QUERY.slice(0, AGC_QUERY.indexOf('  .Hist('));
  const varied =
    variation === 'pt_scale_up'
      ? 'e.jet_pt.Select(lambda p: p * 1.03)'
      : variation === 'pt_res_up'
        ? 'e.jet_pt.Select(lambda p: p * (1 + 0.05 * randn(seed, e.event, p)))'
        : 'e.jet_pt';
  const row = `  .Select(lambda e: {'jet_pt': ${varied}, 'jet_eta': e.jet_eta, 'jet_phi': e.jet_phi,
                     'jet_mass': e.jet_mass, 'jet_btag': e.jet_btag})\n`;
  const cut = region === '4j1b' ? `${nJets} >= 4 and ${nB} == 1` : `${nJets} >= 4 and ${nB} >= 2`;
  const weights: Record<string, string> = {
    scale_var_up: 'lambda e: xsec * lumi / nevts * 1.025',
    scale_var_down: 'lambda e: xsec * lumi / nevts * 0.975',
  };
  for (const i of [0, 1, 2, 3]) {
    weights[`btag_var_${i}_up`] = btagWeight(i, '+');
    weights[`btag_var_${i}_down`] = btagWeight(i, '-');
  }
  const weight = weights[variation] ?? 'lambda e: xsec * lumi / nevts';
  return `${head}${row}  .Where(lambda e: ${cut})
  .Hist(lambda e: ${ht} if ${nB} == 1 else ${trijetMass},
        bins=${AGC_BINNING.bins}, range=(${AGC_BINNING.lo}, ${AGC_BINNING.hi}), weight=${weight})`;
}
