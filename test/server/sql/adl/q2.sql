-- ADL 2: pT of all jets.
SELECT hist_bin(j.pt, 15, 60, 100) AS x, count(*) AS y
FROM (SELECT unnest(Jet) AS j FROM events)
GROUP BY x ORDER BY x;
