-- conf: spark.sql.preserveCharVarcharTypeInfo=true
SELECT CAST('ab' AS VARCHAR(5)) AS v, CAST('' AS VARCHAR(1)) AS empty
