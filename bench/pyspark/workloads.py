"""The client benchmark's workloads run through PySpark's Spark Connect client (the baseline).

Usage: python workloads.py <workload> <sc://remote> [arg]. Prints one JSON object: the measured figures
plus this process's peak RSS. Each workload mirrors bench/client-workloads.ts line by line.
"""
import json
import resource
import statistics
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def six_columns(spark, rows):
    return spark.range(0, rows).select(
        F.col("id"),
        (F.col("id") * 2).alias("a"),
        F.col("id").cast("double").alias("b"),
        F.col("id").cast("string").alias("c"),
        (F.col("id") % 7).alias("d"),
        (F.col("id") + 1).alias("e"),
    )


def latency(spark, n):
    spark.range(1).collect()  # warm-up
    samples = []
    for i in range(n):
        t = time.perf_counter()
        spark.range(i, i + 1).collect()
        samples.append((time.perf_counter() - t) * 1000)
    return {"queries": n, "median_ms": statistics.median(samples)}


def collect_arrow(spark, rows):
    t = time.perf_counter()
    table = six_columns(spark, rows).toArrow()
    elapsed = time.perf_counter() - t
    return {"rows": table.num_rows, "seconds": elapsed, "rows_per_s": table.num_rows / elapsed}


def collect_rows(spark, rows):
    t = time.perf_counter()
    n = len(six_columns(spark, rows).collect())
    elapsed = time.perf_counter() - t
    return {"rows": n, "seconds": elapsed, "rows_per_s": n / elapsed}


def dataframe(spark, path):
    t = time.perf_counter()
    events = spark.read.parquet(path)
    per_key = events.where(F.col("d") != 3).groupBy("d").agg(F.count("*").alias("n"), F.sum("a").alias("s"))
    joined = events.where(F.col("id") % 100 == 0).join(per_key, "d").select("id", "d", "n", "s")
    table = joined.toArrow()
    elapsed = time.perf_counter() - t
    return {"rows": table.num_rows, "seconds": elapsed, "rows_per_s": 0 if elapsed == 0 else table.num_rows / elapsed}


def iterate(spark, path):
    t = time.perf_counter()
    n = 0
    for _ in spark.read.parquet(path).toLocalIterator():
        n += 1
    elapsed = time.perf_counter() - t
    return {"rows": n, "seconds": elapsed, "rows_per_s": n / elapsed}


WORKLOADS = {
    "latency": lambda s, a: latency(s, int(a)),
    "collect-arrow": lambda s, a: collect_arrow(s, int(a)),
    "collect-rows": lambda s, a: collect_rows(s, int(a)),
    "dataframe": dataframe,
    "iterate": iterate,
}

if __name__ == "__main__":
    workload, remote, arg = sys.argv[1], sys.argv[2], sys.argv[3]
    spark = SparkSession.builder.remote(remote).getOrCreate()
    cpu_started = time.process_time()  # every thread of the process, gRPC's included
    result = WORKLOADS[workload](spark, arg)
    result["cpu_seconds"] = time.process_time() - cpu_started
    spark.stop()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
