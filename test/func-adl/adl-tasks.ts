/** The ADL benchmark tasks as func_adl text (shared by the conformance test and the benchmark). */

/**
 * The eight ADL benchmark tasks as func_adl text, with their histogram ranges (100 bins each). The references
 * come from SQL engines, where the sum over no rows is NULL (not filled): task 7 therefore keeps only events
 * with at least one clean jet, whereas func_adl's `Sum()` of an empty collection is 0.
 */
export const ADL_TASKS: { name: string; lo: number; hi: number; query: string }[] = [
  { name: 'q1', lo: 0, hi: 2000, query: 'ds.Select(lambda e: e.MET_pt)' },
  { name: 'q2', lo: 15, hi: 60, query: 'ds.SelectMany(lambda e: e.Jet_pt)' },
  { name: 'q3', lo: 15, hi: 60, query: 'ds.SelectMany(lambda e: [j.pt for j in e.Jet if abs(j.eta) < 1])' },
  {
    name: 'q4',
    lo: 0,
    hi: 2000,
    query: 'ds.Where(lambda e: e.Jet_pt.Where(lambda pt: pt > 40).Count() >= 2).Select(lambda e: e.MET_pt)',
  },
  {
    name: 'q5',
    lo: 0,
    hi: 2000,
    query: `ds.Where(lambda e: e.Muon.Choose(2).Any(lambda p: p[0].charge != p[1].charge
                and 60 < (p[0].ToFourMomentum() + p[1].ToFourMomentum()).mass < 120))
            .Select(lambda e: e.MET_pt)`,
  },
  {
    name: 'q6-1',
    lo: 15,
    hi: 40,
    query: `ds.Where(lambda e: e.nJet >= 3)
            .Select(lambda e: Zip({'p4': Zip({'pt': e.Jet_pt, 'eta': e.Jet_eta, 'phi': e.Jet_phi, 'mass': e.Jet_mass}).ToFourMomenta(),
                                   'btag': e.Jet_btag})
                .Choose(3)
                .OrderBy(lambda t: abs((t[0].p4 + t[1].p4 + t[2].p4).mass - 172.5))
                .First())
            .Select(lambda t: (t[0].p4 + t[1].p4 + t[2].p4).pt)`,
  },
  {
    name: 'q6-2',
    lo: 0,
    hi: 1,
    query: `ds.Where(lambda e: e.nJet >= 3)
            .Select(lambda e: Zip({'p4': Zip({'pt': e.Jet_pt, 'eta': e.Jet_eta, 'phi': e.Jet_phi, 'mass': e.Jet_mass}).ToFourMomenta(),
                                   'btag': e.Jet_btag})
                .Choose(3)
                .OrderBy(lambda t: abs((t[0].p4 + t[1].p4 + t[2].p4).mass - 172.5))
                .First())
            .Select(lambda t: t.Select(lambda j: j.btag).Max())`,
  },
  {
    name: 'q7',
    lo: 15,
    hi: 200,
    query: `ds.Select(lambda e: {'jets': e.Jet.Where(lambda j: j.pt > 30).Select(lambda j: j.ToFourMomentum()),
                                 'leptons': e.Electron.Concat(e.Muon).Where(lambda l: l.pt > 10)
                                             .Select(lambda l: l.ToFourMomentum())})
            .Select(lambda e: e.jets.Where(lambda j: not e.leptons.Any(lambda l: j.deltaR(l) < 0.4)))
            .Where(lambda jets: jets.Count() > 0)
            .Select(lambda jets: jets.Select(lambda j: j.pt).Sum())`,
  },
  {
    name: 'q8',
    lo: 15,
    hi: 250,
    query: `ds.Select(lambda e: {'leptons': e.Electron.Select(lambda l: {'p4': l.ToFourMomentum(), 'q': l.charge, 'flavour': 11})
                                  .Concat(e.Muon.Select(lambda l: {'p4': l.ToFourMomentum(), 'q': l.charge, 'flavour': 13})),
                                 'met': {'pt': e.MET_pt, 'phi': e.MET_phi}.ToFourMomentum()})
            .Select(lambda e: {'leptons': e.leptons, 'met': e.met,
                               'pairs': e.leptons.Choose(2).Where(lambda p: p[0].flavour == p[1].flavour and p[0].q != p[1].q)})
            .Where(lambda e: e.leptons.Count() >= 3 and e.pairs.Count() > 0)
            .Select(lambda e: {'met': e.met, 'leptons': e.leptons,
                               'best': e.pairs.OrderBy(lambda p: abs((p[0].p4 + p[1].p4).mass - 91.2)).First()})
            .Select(lambda e: {'met': e.met,
                               'other': e.leptons.Where(lambda l: l.p4.pt != e.best[0].p4.pt and l.p4.pt != e.best[1].p4.pt)
                                                  .OrderByDescending(lambda l: l.p4.pt).First().p4})
            .Select(lambda e: sqrt(2 * e.other.pt * e.met.pt * (1 - cos(e.other.deltaphi(e.met)))))`,
  },
];
