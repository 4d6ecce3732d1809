-- conf: spark.sql.preserveCharVarcharTypeInfo=true
-- CHAR(n) is padded to n by Spark and decodes to a JS string; with this conf the schema keeps char(5).
SELECT CAST('ab' AS CHAR(5)) AS c, CAST(NULL AS CHAR(5)) AS null_char
