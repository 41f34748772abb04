/**
 * The ADL benchmark queries of iris-hep/func_adl_uproot's `tests/test_adl_benchmarks.py` (v2.2.0, MIT), exactly as
 * written there, with the histogram each is checked against (numpy.histogram of `query.value()`: the suite's
 * expected counts, bin edges from `bins` and `range`).
 */
export interface AdlSuiteCase {
  readonly test: string;
  readonly query: string;
  /** The result field histogrammed (test 6 histograms two fields of one result). */
  readonly field?: string;
  readonly range: readonly [number, number];
  readonly counts: readonly number[];
}

export const ADL_SUITE_CASES: readonly AdlSuiteCase[] = [
  {
    test: 'test_adl_benchmark_1',
    query: 'ds.Select(lambda event: event.MET_pt)',
    range: [0, 2000],
    counts: [
      346, 427, 196, 25, 1, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  {
    test: 'test_adl_benchmark_2',
    query: 'ds.SelectMany(lambda event: event.Jet_pt)',
    range: [15, 60],
    counts: [
      96, 76, 55, 66, 59, 52, 39, 59, 44, 40, 30, 25, 27, 35, 28, 19, 26, 18, 27, 19, 16, 20, 23, 17, 12, 22,
      13, 19, 16, 14, 12, 10, 9, 16, 15, 13, 16, 12, 9, 9, 15, 17, 6, 2, 7, 6, 5, 8, 12, 7, 8, 9, 9, 6, 13, 6,
      9, 12, 7, 2, 6, 6, 10, 3, 11, 3, 6, 5, 5, 6, 6, 7, 3, 2, 5, 9, 3, 3, 7, 3, 8, 7, 5, 5, 4, 5, 4, 6, 5, 1,
      4, 3, 2, 6, 4, 4, 1, 3, 2, 4,
    ],
  },
  {
    test: 'test_adl_benchmark_3',
    query:
      "ds.SelectMany(\n        lambda event: {'pT': event.Jet_pt, 'eta': event.Jet_eta}\n        .Zip()\n        .Where(lambda jet: abs(jet.eta) < 1)\n        .Select(lambda jet: jet.pT)\n    )",
    range: [15, 60],
    counts: [
      24, 19, 20, 20, 14, 19, 6, 19, 11, 17, 11, 11, 9, 5, 10, 11, 12, 4, 7, 6, 6, 9, 5, 8, 3, 9, 4, 10, 5, 6,
      6, 5, 4, 9, 5, 2, 11, 8, 2, 5, 8, 11, 2, 1, 2, 2, 0, 3, 6, 4, 2, 2, 6, 2, 9, 4, 4, 8, 4, 1, 3, 3, 5, 0,
      5, 2, 2, 2, 3, 3, 1, 5, 1, 1, 1, 5, 0, 2, 3, 3, 3, 6, 3, 3, 2, 2, 1, 3, 2, 1, 2, 3, 2, 5, 1, 2, 1, 3, 1,
      1,
    ],
  },
  {
    test: 'test_adl_benchmark_4',
    query:
      'ds.Where(lambda event: event.Jet_pt.Where(lambda pT: pT > 40).Count() >= 2).Select(\n        lambda event: event.MET_pt\n    )',
    range: [0, 2000],
    counts: [
      38, 52, 22, 1, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  {
    test: 'test_adl_benchmark_5',
    query:
      "ds.Where(\n        lambda event: Zip(\n            {\n                'p4': Zip(\n                    {\n                        'pt': event.Muon_pt,\n                        'eta': event.Muon_eta,\n                        'phi': event.Muon_phi,\n                        'mass': event.Muon_mass,\n                    }\n                ).ToFourMomenta(),\n                'charge': event.Muon_charge,\n            }\n        )\n        .Choose(2)\n        .Where(lambda pair: pair.ElementAt(0).charge * pair.ElementAt(1).charge < 0)\n        .Select(lambda pair: (pair.ElementAt(0).p4 + pair.ElementAt(1).p4).mass)\n        .Where(lambda mass: 60 < mass and mass < 120)\n        .Count()\n        > 0\n    ).Select(lambda event: event.MET_pt)",
    range: [0, 2000],
    counts: [
      39, 15, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  {
    test: 'test_adl_benchmark_6 trijet_pt',
    query:
      "ds.Where(lambda event: event.nJet >= 3)\n        .Select(\n            lambda event: Zip(\n                {\n                    'p4': {\n                        'pt': event.Jet_pt,\n                        'eta': event.Jet_eta,\n                        'phi': event.Jet_phi,\n                        'mass': event.Jet_mass,\n                    }\n                    .Zip()\n                    .ToFourMomenta(),\n                    'btag': event.Jet_btag,\n                }\n            )\n            .Choose(3)\n            .Select(\n                lambda triplet: {\n                    'btag_values': triplet.Select(lambda jet: jet.btag),\n                    'p4': triplet.ElementAt(0).p4\n                    + triplet.ElementAt(1).p4\n                    + triplet.ElementAt(2).p4,\n                }\n            )\n            .OrderBy(lambda trijet: abs(trijet.p4.m - 172.5))\n            .First()\n        )\n        .Select(\n            lambda best_trijet: {\n                'trijet_pt': best_trijet.p4.pt,\n                'max_btag_value': best_trijet.btag_values.Max(),\n            }\n        )",
    field: 'trijet_pt',
    range: [15, 40],
    counts: [
      1, 1, 3, 3, 0, 0, 2, 1, 0, 0, 1, 1, 0, 2, 1, 1, 0, 4, 1, 2, 1, 0, 3, 3, 2, 0, 2, 3, 2, 2, 2, 0, 0, 1, 0,
      2, 1, 1, 3, 3, 1, 0, 1, 1, 3, 3, 1, 0, 1, 0, 1, 2, 3, 1, 0, 3, 2, 2, 3, 0, 2, 3, 0, 1, 0, 1, 1, 2, 1, 1,
      0, 1, 0, 0, 2, 3, 2, 1, 1, 2, 2, 0, 2, 1, 0, 2, 1, 1, 1, 0, 2, 0, 1, 1, 1, 0, 2, 1, 0, 2,
    ],
  },
  {
    test: 'test_adl_benchmark_6 max_btag_value',
    query:
      "ds.Where(lambda event: event.nJet >= 3)\n        .Select(\n            lambda event: Zip(\n                {\n                    'p4': {\n                        'pt': event.Jet_pt,\n                        'eta': event.Jet_eta,\n                        'phi': event.Jet_phi,\n                        'mass': event.Jet_mass,\n                    }\n                    .Zip()\n                    .ToFourMomenta(),\n                    'btag': event.Jet_btag,\n                }\n            )\n            .Choose(3)\n            .Select(\n                lambda triplet: {\n                    'btag_values': triplet.Select(lambda jet: jet.btag),\n                    'p4': triplet.ElementAt(0).p4\n                    + triplet.ElementAt(1).p4\n                    + triplet.ElementAt(2).p4,\n                }\n            )\n            .OrderBy(lambda trijet: abs(trijet.p4.m - 172.5))\n            .First()\n        )\n        .Select(\n            lambda best_trijet: {\n                'trijet_pt': best_trijet.p4.pt,\n                'max_btag_value': best_trijet.btag_values.Max(),\n            }\n        )",
    field: 'max_btag_value',
    range: [0, 1],
    counts: [
      0, 2, 2, 1, 1, 0, 1, 3, 5, 1, 1, 4, 2, 1, 2, 0, 2, 1, 3, 6, 4, 6, 2, 5, 5, 0, 2, 0, 2, 5, 1, 4, 1, 0, 1,
      0, 3, 2, 0, 4, 0, 1, 2, 0, 1, 3, 1, 0, 0, 1, 2, 2, 0, 0, 1, 4, 2, 0, 2, 1, 1, 0, 1, 2, 2, 0, 2, 4, 1, 1,
      0, 1, 0, 2, 0, 1, 1, 0, 2, 1, 1, 2, 0, 2, 0, 3, 2, 1, 3, 7, 5, 2, 6, 8, 4, 12, 8, 12, 10, 33,
    ],
  },
  {
    test: 'test_adl_benchmark_7',
    query:
      "ds.Select(\n            lambda event: {\n                'jets': Zip(\n                    {\n                        'pt': event.Jet_pt,\n                        'eta': event.Jet_eta,\n                        'phi': event.Jet_phi,\n                        'mass': event.Jet_mass,\n                    }\n                ).ToFourMomenta(),\n                'electrons': Zip(\n                    {\n                        'pt': event.Electron_pt,\n                        'eta': event.Electron_eta,\n                        'phi': event.Electron_phi,\n                        'mass': event.Electron_mass,\n                    }\n                ).ToFourMomenta(),\n                'muons': Zip(\n                    {\n                        'pt': event.Muon_pt,\n                        'eta': event.Muon_eta,\n                        'phi': event.Muon_phi,\n                        'mass': event.Muon_mass,\n                    }\n                ).ToFourMomenta(),\n            }\n        )\n        .Select(\n            lambda event: {\n                'good_jets': event.jets.Where(lambda jet: jet.pt > 30),\n                'good_leptons': event.electrons.Concat(event.muons).Where(\n                    lambda lepton: lepton.pt > 10\n                ),\n            }\n        )\n        .Select(\n            lambda event: event.good_jets.Where(\n                lambda good_jet: not event.good_leptons.Any(\n                    lambda good_lepton: good_jet.deltaR(good_lepton) < 0.4\n                )\n            )\n            .Select(lambda final_jets: final_jets.pt)\n            .Sum()\n        )",
    range: [15, 200],
    counts: [
      0, 0, 0, 0, 0, 0, 0, 0, 20, 21, 21, 15, 11, 13, 10, 15, 7, 12, 12, 10, 11, 7, 9, 2, 6, 3, 7, 3, 6, 4, 5,
      2, 1, 4, 4, 1, 5, 4, 1, 4, 3, 7, 6, 4, 2, 2, 1, 3, 2, 1, 2, 3, 2, 1, 1, 1, 1, 1, 0, 0, 0, 2, 3, 1, 1, 2,
      4, 3, 0, 1, 1, 0, 0, 2, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0,
    ],
  },
  {
    test: 'test_adl_benchmark_8',
    query:
      "ds.Select(\n            lambda event: {\n                'electrons': Zip(\n                    {\n                        'p4': Zip(\n                            {\n                                'pt': event.Electron_pt,\n                                'eta': event.Electron_eta,\n                                'phi': event.Electron_phi,\n                                'mass': event.Electron_mass,\n                            }\n                        ).ToFourMomenta(),\n                        'charge': event.Electron_charge,\n                    }\n                ),\n                'muons': Zip(\n                    {\n                        'p4': Zip(\n                            {\n                                'pt': event.Muon_pt,\n                                'eta': event.Muon_eta,\n                                'phi': event.Muon_phi,\n                                'mass': event.Muon_mass,\n                            }\n                        ).ToFourMomenta(),\n                        'charge': event.Muon_charge,\n                    }\n                ),\n                'met': {\n                    'pt': event.MET_pt,\n                    'phi': event.MET_phi,\n                }.ToFourMomentum(),\n            }\n        )\n        .Select(\n            lambda event: {\n                'leptons': event.electrons.Concat(event.muons),\n                'electron_pairs': event.electrons.Choose(2).Where(\n                    lambda pair: pair.ElementAt(0).charge * pair.ElementAt(1).charge < 0\n                ),\n                'muon_pairs': event.muons.Choose(2).Where(\n                    lambda pair: pair.ElementAt(0).charge * pair.ElementAt(1).charge < 0\n                ),\n                'met': event.met,\n            }\n        )\n        .Where(\n            lambda event: event.leptons.Count() >= 3\n            and event.electron_pairs.Count() + event.muon_pairs.Count() > 0\n        )\n        .Select(\n            lambda event: {\n                'leptons': event.leptons,\n                'best_pair': event.electron_pairs.Concat(event.muon_pairs)\n                .OrderBy(\n                    lambda pair: abs((pair.ElementAt(0).p4 + pair.ElementAt(1).p4).mass - 91.2)\n                )\n                .First(),\n                'met': event.met,\n            }\n        )\n        .Select(\n            lambda event: {\n                'leading_other_lepton_p4': event.leptons.Where(\n                    lambda lepton: lepton.p4.pt != event.best_pair.ElementAt(0).p4.pt\n                    and lepton.p4.pt != event.best_pair.ElementAt(1).p4.pt\n                )\n                .OrderBy(lambda lepton: lepton.p4.pt)\n                .Last()\n                .p4,\n                'met': event.met,\n            }\n        )\n        # Quotes needed around lambda here due to https://github.com/iris-hep/func_adl/issues/127\n        .Select(\n            lambda event: (\n                2\n                * event.leading_other_lepton_p4.pt\n                * event.met.pt\n                * (1 - np.cos(event.leading_other_lepton_p4.deltaphi(event.met)))\n            )\n            ** 0.5\n        )",
    range: [15, 250],
    counts: [
      2, 2, 3, 4, 2, 2, 2, 1, 5, 2, 3, 1, 1, 1, 3, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1,
      0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
];
