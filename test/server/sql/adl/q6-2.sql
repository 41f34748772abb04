-- ADL 6.2: the largest b-tag discriminant among the jets of that trijet.
SELECT hist_bin(max_btag, 0, 1, 100) AS x, count(*) AS y
FROM trijet
GROUP BY x ORDER BY x;
