-- MAP decodes to a JS Map (insertion order as sent), keys and values converted recursively.
SELECT map('a', 1, 'b', NULL) AS nullable_values, map(1, array(1.5D)) AS int_keys, map() AS empty,
  map(DATE'2024-01-01', named_struct('n', 1BD)) AS date_keys, CAST(NULL AS MAP<STRING, INT>) AS null_map
