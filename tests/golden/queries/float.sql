-- FLOAT widens to a JS number exactly (1.1f is 1.100000023841858 as a double), including NaN and infinities.
SELECT v AS f FROM VALUES
  (1.5F), (1.1F), (-0.0F), (CAST('3.4028235E38' AS FLOAT)), (CAST('NaN' AS FLOAT)), (CAST('-Infinity' AS FLOAT)), (CAST(NULL AS FLOAT)) AS t(v)
