"""PySpark's own Arrow -> Row conversion (what collect/toLocalIterator run per batch) on the IPC stream written by
bench/arrow-decode.ts, batch by batch, for a side-by-side rows/s figure without a server.

Needs pyspark-client 4.1.3 (with pyarrow) in the Python used: python bench/pyspark/arrow_decode.py FILE
"""
import sys
import time

import pyarrow as pa
from pyspark.sql.conversion import ArrowTableToRowsConversion
from pyspark.sql.types import (
    DateType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

SCHEMA = StructType(
    [
        StructField("order_id", LongType()),
        StructField("quantity", IntegerType()),
        StructField("price", DoubleType()),
        StructField("sku", StringType()),
        StructField("day", DateType()),
        StructField("ts", TimestampType()),
    ]
)


def main(path: str) -> None:
    with open(path, "rb") as f:
        data = f.read()
    for run in range(1, 3):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        count = 0
        for batch in pa.ipc.open_stream(data):
            count += len(ArrowTableToRowsConversion.convert(pa.Table.from_batches([batch]), SCHEMA))
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        print(f"pyspark run {run}: {count} rows, wall {wall:.2f} s = {count / wall:,.0f} rows/s, cpu {cpu:.2f} s = {count / cpu:,.0f} rows/s")


if __name__ == "__main__":
    main(sys.argv[1])
