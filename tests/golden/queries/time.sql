-- conf: spark.sql.timeType.enabled=true
-- TIME (new in Spark 4.1, behind a conf) arrives as Time64(NANOSECOND) and decodes to a LocalTime.
SELECT TIME'00:00:00' AS midnight, TIME'23:59:59.999999' AS last, CAST(TIME'01:02:03.5' AS TIME(0)) AS seconds
