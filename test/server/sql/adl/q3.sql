-- ADL 3: pT of jets with |eta| < 1.
SELECT hist_bin(j.pt, 15, 60, 100) AS x, count(*) AS y
FROM (SELECT unnest(Jet) AS j FROM events)
WHERE abs(j.eta) < 1
GROUP BY x ORDER BY x;
