-- STRUCT decodes to a plain object keyed by field name; a repeated field name gets a suffix (_1).
SELECT named_struct('x', 1, 'y', named_struct('z', DATE'2024-01-01', 'w', X'01')) AS nested,
  named_struct('a', 1, 'a', 2) AS repeated_names, CAST(NULL AS STRUCT<x: INT>) AS null_struct,
  named_struct('n', CAST(NULL AS STRING)) AS null_field
