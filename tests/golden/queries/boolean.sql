SELECT b FROM VALUES (true), (false), (NULL) AS t(b)
