-- DECIMAL decodes to an exact Decimal (unscaled bigint, precision, scale): negative, scale 0, precision 38,
-- values beyond 2^53 and trailing zeros all survive.
SELECT
  1.50BD AS two_places,
  -0.05BD AS negative,
  CAST(99999999999999999999999999999999999999 AS DECIMAL(38, 0)) AS max_38_0,
  CAST(-0.00000000000000000000000000000000000001 AS DECIMAL(38, 38)) AS min_step_38_38,
  CAST(9007199254740993 AS DECIMAL(20, 0)) AS past_2_53,
  CAST(0 AS DECIMAL(10, 3)) AS zero_scaled,
  CAST(NULL AS DECIMAL(5, 2)) AS null_decimal
