-- ADL 6.1: pT of the trijet four-momentum of mass closest to 172.5 GeV.
SELECT hist_bin(p4_pt(sum), 15, 40, 100) AS x, count(*) AS y
FROM trijet
GROUP BY x ORDER BY x;
