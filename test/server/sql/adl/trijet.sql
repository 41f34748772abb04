-- ADL 6 (shared part): in events with at least three jets, the trijet of mass closest to 172.5 GeV.
CREATE OR REPLACE TEMP VIEW trijet AS
WITH numbered AS (SELECT row_number() OVER () AS event_row, Jet FROM events WHERE len(Jet) >= 3),
jets AS (SELECT event_row, unnest(Jet) AS j, generate_subscripts(Jet, 1) AS i FROM numbered),
triples AS (
  SELECT a.event_row,
         p4_add(p4_add(p4(a.j), p4(b.j)), p4(c.j)) AS sum,
         inv_mass3(a.j, b.j, c.j) AS mass,
         greatest(a.j.btag, b.j.btag, c.j.btag) AS max_btag
  FROM jets a
  JOIN jets b ON a.event_row = b.event_row AND a.i < b.i
  JOIN jets c ON b.event_row = c.event_row AND b.i < c.i
)
SELECT event_row, arg_min(sum, abs(mass - 172.5)) AS sum, arg_min(max_btag, abs(mass - 172.5)) AS max_btag
FROM triples GROUP BY event_row;
