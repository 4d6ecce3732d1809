-- BIGINT decodes to a JS bigint: exact at the int64 limits and just past 2^53.
SELECT v AS l FROM VALUES
  (-9223372036854775808L), (9223372036854775807L), (9007199254740993L), (-1L), (CAST(NULL AS BIGINT)) AS t(v)
