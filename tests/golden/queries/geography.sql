-- conf: spark.sql.geospatial.enabled=true
SELECT st_geogfromwkb(X'0101000000000000000000F03F0000000000000040') AS g
