-- TIMESTAMP decodes to a Timestamp (microsecond instant) shown in the session time zone, America/Los_Angeles
-- for the golden run: a DST gap, a DST overlap, a pre-1970 instant and the extremes.
SELECT ts FROM VALUES
  (TIMESTAMP'2024-03-10 02:30:00'), (TIMESTAMP'2024-11-03 01:30:00'), (TIMESTAMP'1969-12-31 23:59:59.999999 UTC'),
  (TIMESTAMP'2024-06-01 12:00:00.000001 +09:00'), (TIMESTAMP'0001-01-01 00:00:00 UTC'),
  (TIMESTAMP'9999-12-31 23:59:59.999999 UTC'), (CAST(NULL AS TIMESTAMP)) AS t(ts)
