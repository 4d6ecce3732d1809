-- conf: spark.sql.geospatial.enabled=true
-- GEOMETRY (Spark 4.1, behind a conf) arrives as struct<srid, wkb> and decodes to a Geometry (POINT(1 2) here).
SELECT st_geomfromwkb(X'0101000000000000000000F03F0000000000000040') AS g
