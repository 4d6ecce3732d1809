/**
 * StorageLevel: where and how `persist()` keeps a DataFrame's cached blocks (memory, disk, off-heap,
 * serialised or not, replicas). The constants match PySpark's `pyspark.StorageLevel`.
 * @see proto/spark/connect/common.proto StorageLevel, python/pyspark/storagelevel.py
 */
import { create } from "@bufbuild/protobuf";
import { type StorageLevel as ProtoStorageLevel, StorageLevelSchema } from "../gen/spark/connect/common_pb.ts";

export class StorageLevel {
  constructor(
    readonly useDisk: boolean,
    readonly useMemory: boolean,
    readonly useOffHeap: boolean,
    readonly deserialized: boolean,
    readonly replication = 1,
  ) {
    if (!Number.isInteger(replication) || replication < 1 || replication > 40) {
      throw new RangeError(`StorageLevel replication must be an integer from 1 to 40, got ${replication}`);
    }
  }

  static readonly NONE = new StorageLevel(false, false, false, false);
  static readonly DISK_ONLY = new StorageLevel(true, false, false, false);
  static readonly DISK_ONLY_2 = new StorageLevel(true, false, false, false, 2);
  static readonly DISK_ONLY_3 = new StorageLevel(true, false, false, false, 3);
  static readonly MEMORY_ONLY = new StorageLevel(false, true, false, false);
  static readonly MEMORY_ONLY_2 = new StorageLevel(false, true, false, false, 2);
  static readonly MEMORY_AND_DISK = new StorageLevel(true, true, false, false);
  static readonly MEMORY_AND_DISK_2 = new StorageLevel(true, true, false, false, 2);
  static readonly OFF_HEAP = new StorageLevel(true, true, true, false);
  /** The level `cache()` uses, as in PySpark. */
  static readonly MEMORY_AND_DISK_DESER = new StorageLevel(true, true, false, true);

  toProto(): ProtoStorageLevel {
    return create(StorageLevelSchema, {
      useDisk: this.useDisk,
      useMemory: this.useMemory,
      useOffHeap: this.useOffHeap,
      deserialized: this.deserialized,
      replication: this.replication,
    });
  }

  static fromProto(proto: ProtoStorageLevel): StorageLevel {
    return new StorageLevel(
      proto.useDisk,
      proto.useMemory,
      proto.useOffHeap,
      proto.deserialized,
      proto.replication || 1,
    );
  }

  equals(other: StorageLevel): boolean {
    return (
      this.useDisk === other.useDisk &&
      this.useMemory === other.useMemory &&
      this.useOffHeap === other.useOffHeap &&
      this.deserialized === other.deserialized &&
      this.replication === other.replication
    );
  }

  /** The same text as PySpark's `str(StorageLevel)`, e.g. "Disk Memory Deserialized 1x Replicated". */
  toString(): string {
    const parts = [
      this.useDisk ? "Disk " : "",
      this.useMemory ? "Memory " : "",
      this.useOffHeap ? "OffHeap " : "",
      this.deserialized ? "Deserialized " : "Serialized ",
    ];
    return `${parts.join("")}${this.replication}x Replicated`;
  }
}
