-- ARRAY decodes to a JS array, recursively, with nulls kept at every level.
SELECT array(1, NULL, 3) AS ints, array() AS empty, array(array('a'), NULL, array()) AS nested,
  array(named_struct('x', 1L), NULL) AS structs, CAST(NULL AS ARRAY<INT>) AS null_array
