-- NULL literals: an untyped NULL is Spark's void type; a typed one keeps its type. Both decode to JS null.
SELECT NULL AS untyped, CAST(NULL AS INT) AS typed
