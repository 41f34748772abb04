-- ADL 4: missing ET of events with at least two jets of pT > 40 GeV.
SELECT hist_bin(MET.pt, 0, 2000, 100) AS x, count(*) AS y
FROM events
WHERE len(list_filter(Jet, j -> j.pt > 40)) >= 2
GROUP BY x ORDER BY x;
