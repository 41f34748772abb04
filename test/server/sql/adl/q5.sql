-- ADL 5: missing ET of events with an opposite-charge muon pair of invariant mass between 60 and 120 GeV.
WITH numbered AS (SELECT row_number() OVER () AS event_row, MET, Muon FROM events),
muons AS (
  SELECT event_row, unnest(Muon) AS m, generate_subscripts(Muon, 1) AS i FROM numbered
),
selected AS (
  SELECT DISTINCT a.event_row
  FROM muons a JOIN muons b ON a.event_row = b.event_row AND a.i < b.i
  WHERE a.m.charge <> b.m.charge AND inv_mass(a.m, b.m) > 60 AND inv_mass(a.m, b.m) < 120
)
SELECT hist_bin(MET.pt, 0, 2000, 100) AS x, count(*) AS y
FROM numbered JOIN selected USING (event_row)
GROUP BY x ORDER BY x;
