-- ADL 1: missing ET of all events.
SELECT hist_bin(MET.pt, 0, 2000, 100) AS x, count(*) AS y
FROM events
GROUP BY x ORDER BY x;
