-- TINYINT decodes to a JS number.
SELECT CAST(v AS TINYINT) AS b FROM VALUES (-128), (127), (0), (NULL) AS t(v)
