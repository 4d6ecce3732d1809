/**
 * Decoding throughput of the Arrow → rows path (src/connect/arrow/decode.ts) on a saved IPC stream, without a
 * server: `npx tsx bench/arrow-decode.ts [rows] [file]`. Writes the stream once (6 columns: bigint, int, double,
 * short string, date, timestamp — the shape of a retail fact table), then decodes it batch by batch like
 * `toLocalIterator()` and reports rows/s. bench/pyspark/arrow_decode.py runs PySpark's conversion on the same file.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as arrow from "apache-arrow";
import { formatCount, formatDuration, print } from "../src/cli/output.ts";
import { toArrowSchema } from "../src/connect/arrow/arrow-types.ts";
import { arrowFieldsOf, RowDecoder } from "../src/connect/arrow/decode.ts";
import { parseStructType } from "../src/connect/types/ddl.ts";

const rows = Number(process.argv[2] ?? 5_000_000);
const file = process.argv[3] ?? `/tmp/retail-lab-decode-${rows}.arrows`;
const schema = parseStructType("order_id bigint, quantity int, price double, sku string, day date, ts timestamp");
// Spark sends batches of at most spark.connect.grpc.arrow.maxBatchSize (4 MiB): about 100k rows of this shape.
const batchRows = 100_000;

function writeStream(): void {
  const arrowSchema = toArrowSchema(schema, "Etc/UTC");
  const batches: arrow.RecordBatch[] = [];
  for (let start = 0; start < rows; start += batchRows) {
    const n = Math.min(batchRows, rows - start);
    const id = new BigInt64Array(n);
    const quantity = new Int32Array(n);
    const price = new Float64Array(n);
    const day = new Int32Array(n);
    const ts = new BigInt64Array(n);
    const skus: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = start + i;
      id[i] = BigInt(k);
      quantity[i] = (k % 7) + 1;
      price[i] = ((k * 37) % 10_000) / 100;
      day[i] = 19_000 + (k % 365);
      ts[i] = 1_700_000_000_000_000n + BigInt(k) * 1_000_003n;
      skus.push(`SKU-${(k * 7919) % 100_000}`);
    }
    const bytes = Buffer.from(skus.join(""), "utf8");
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i] as number) + Buffer.byteLength(skus[i] as string);
    const children = [
      arrow.makeData({ type: new arrow.Int64(), length: n, data: id }),
      arrow.makeData({ type: new arrow.Int32(), length: n, data: quantity }),
      arrow.makeData({ type: new arrow.Float64(), length: n, data: price }),
      arrow.makeData({ type: new arrow.Utf8(), length: n, valueOffsets: offsets, data: new Uint8Array(bytes) }),
      arrow.makeData({ type: new arrow.DateDay(), length: n, data: day }),
      arrow.makeData({ type: arrowSchema.fields[5]?.type as arrow.Timestamp, length: n, data: ts }),
    ];
    const data = arrow.makeData({ type: new arrow.Struct(arrowSchema.fields), length: n, nullCount: 0, children });
    batches.push(new arrow.RecordBatch(arrowSchema, data));
  }
  writeFileSync(file, arrow.tableToIPC(new arrow.Table(batches), "stream"));
}

if (!existsSync(file)) writeStream();
const ipc = new Uint8Array(readFileSync(file));
print(`${file}: ${formatCount(rows)} rows × ${schema.length} columns, ${(ipc.byteLength / 2 ** 20).toFixed(1)} MiB`);

for (let run = 1; run <= 3; run++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let decoder: RowDecoder | undefined;
  let count = 0;
  let checksum = 0n;
  for (const batch of arrow.RecordBatchReader.from(ipc)) {
    decoder ??= new RowDecoder(arrowFieldsOf(batch), schema);
    const decoded = decoder.decode(batch);
    count += decoded.length;
    checksum += decoded[decoded.length - 1]?.order_id as bigint;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  // CPU time is reported too: on a shared machine the wall clock mostly measures the neighbours.
  print(
    `run ${run}: ${formatCount(count)} rows, wall ${formatDuration(seconds * 1000)} = ${formatCount(Math.round(count / seconds))} rows/s, ` +
      `cpu ${formatDuration(cpuSeconds * 1000)} = ${formatCount(Math.round(count / cpuSeconds))} rows/s (checksum ${checksum})`,
  );
}
