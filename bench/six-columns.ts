/** The client benchmark's table: `rows` rows of six columns (three bigint, a double, a string, a small key). */
import { type DataFrame, functions as F, type SparkSession } from "../src/index.ts";

export function sixColumns(spark: SparkSession, rows: number): DataFrame {
  return spark
    .range(0, rows)
    .select(
      F.col("id"),
      F.col("id").multiply(2).alias("a"),
      F.col("id").cast("double").alias("b"),
      F.col("id").cast("string").alias("c"),
      F.col("id").mod(7).alias("d"),
      F.col("id").plus(1).alias("e"),
    );
}
