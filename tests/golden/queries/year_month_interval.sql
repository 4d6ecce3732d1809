-- INTERVAL YEAR TO MONTH decodes to a YearMonthInterval (a count of months).
SELECT INTERVAL '1-2' YEAR TO MONTH AS ym, INTERVAL '-3' MONTH AS months, INTERVAL '178956970-7' YEAR TO MONTH AS max,
  CAST(NULL AS INTERVAL YEAR) AS null_interval
