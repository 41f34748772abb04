-- ADL 8: in events with at least three light leptons and a same-flavour opposite-sign pair, the transverse
-- mass of the missing ET and the highest-pT lepton not in the pair of mass closest to 91.2 GeV.
WITH numbered AS (
  SELECT row_number() OVER () AS event_row, MET,
         list_concat([{'pt': m.pt, 'eta': m.eta, 'phi': m.phi, 'mass': m.mass, 'charge': m.charge, 'flavour': 'm'} FOR m IN Muon],
                     [{'pt': e.pt, 'eta': e.eta, 'phi': e.phi, 'mass': e.mass, 'charge': e.charge, 'flavour': 'e'} FOR e IN Electron]) AS leptons
  FROM events
),
lepton AS (
  SELECT event_row, unnest(leptons) AS l, generate_subscripts(leptons, 1) AS i
  FROM numbered WHERE len(leptons) >= 3
),
pair AS (
  SELECT a.event_row, arg_min([a.i, b.i], abs(inv_mass(a.l, b.l) - 91.2)) AS pair
  FROM lepton a JOIN lepton b ON a.event_row = b.event_row AND a.i < b.i
  WHERE a.l.flavour = b.l.flavour AND a.l.charge = -b.l.charge
  GROUP BY a.event_row
),
other AS (
  SELECT p.event_row, arg_max(o.l, o.l.pt) AS l
  FROM pair p JOIN lepton o ON o.event_row = p.event_row AND NOT list_contains(p.pair, o.i)
  GROUP BY p.event_row
)
SELECT hist_bin(transverse_mass(MET.pt, MET.phi, o.l.pt, o.l.phi), 15, 250, 100) AS x, count(*) AS y
FROM other o JOIN numbered n USING (event_row)
GROUP BY x ORDER BY x;
