-- ADL 7: scalar sum of the pT of jets with pT > 30 GeV that are not within ΔR < 0.4 of any light lepton
-- (electron or muon) of pT > 10 GeV.
WITH leptons AS (
  SELECT Jet,
         list_concat([{'pt': m.pt, 'eta': m.eta, 'phi': m.phi} FOR m IN Muon IF m.pt > 10],
                     [{'pt': e.pt, 'eta': e.eta, 'phi': e.phi} FOR e IN Electron IF e.pt > 10]) AS l
  FROM events
),
sums AS (
  SELECT list_sum([j.pt FOR j IN Jet IF j.pt > 30 AND len([1 FOR x IN l IF delta_r(j, x) < 0.4]) = 0]) AS ht
  FROM leptons
)
SELECT hist_bin(ht, 15, 200, 100) AS x, count(*) AS y
FROM sums WHERE ht IS NOT NULL
GROUP BY x ORDER BY x;
