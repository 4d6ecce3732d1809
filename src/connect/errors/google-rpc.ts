/**
 * The three google.rpc messages Spark Connect puts in `grpc-status-details-bin`: Status (the detail
 * envelope), ErrorInfo (error class, SQL state, parameters, JVM classes, error id) and RetryInfo (a
 * server-suggested wait). Decoded and encoded with protobuf-es' wire reader/writer instead of pulling
 * in a generated googleapis package; the field numbers are those of google/rpc/{status,error_details}.proto.
 */
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

/** google.rpc.Status: code, message and `Any` details. */
export interface RpcStatus {
  code: number;
  message: string;
  details: Array<{ typeUrl: string; value: Uint8Array }>;
}

/** google.rpc.ErrorInfo. Spark sets `reason` to the JVM class name and fills `metadata` (see from-grpc.ts). */
export interface ErrorInfo {
  reason: string;
  domain: string;
  metadata: Record<string, string>;
}

export const ERROR_INFO_TYPE_URL = "type.googleapis.com/google.rpc.ErrorInfo";
export const RETRY_INFO_TYPE_URL = "type.googleapis.com/google.rpc.RetryInfo";

export function decodeRpcStatus(bytes: Uint8Array): RpcStatus {
  const reader = new BinaryReader(bytes);
  const status: RpcStatus = { code: 0, message: "", details: [] };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.Varint) status.code = reader.int32();
    else if (field === 2 && wireType === WireType.LengthDelimited) status.message = reader.string();
    else if (field === 3 && wireType === WireType.LengthDelimited) status.details.push(decodeAny(reader.bytes()));
    else reader.skip(wireType, field);
  }
  return status;
}

export function encodeRpcStatus(status: RpcStatus): Uint8Array {
  const writer = new BinaryWriter();
  if (status.code !== 0) writer.tag(1, WireType.Varint).int32(status.code);
  if (status.message !== "") writer.tag(2, WireType.LengthDelimited).string(status.message);
  for (const detail of status.details) {
    writer.tag(3, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(detail.typeUrl);
    writer.tag(2, WireType.LengthDelimited).bytes(detail.value);
    writer.join();
  }
  return writer.finish();
}

export function decodeErrorInfo(bytes: Uint8Array): ErrorInfo {
  const reader = new BinaryReader(bytes);
  const info: ErrorInfo = { reason: "", domain: "", metadata: {} };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) info.reason = reader.string();
    else if (field === 2 && wireType === WireType.LengthDelimited) info.domain = reader.string();
    else if (field === 3 && wireType === WireType.LengthDelimited) {
      // map<string, string> entries are messages { key = 1; value = 2 }.
      const entry = new BinaryReader(reader.bytes());
      let key = "";
      let value = "";
      while (entry.pos < entry.len) {
        const [entryField, entryWire] = entry.tag();
        if (entryField === 1 && entryWire === WireType.LengthDelimited) key = entry.string();
        else if (entryField === 2 && entryWire === WireType.LengthDelimited) value = entry.string();
        else entry.skip(entryWire, entryField);
      }
      info.metadata[key] = value;
    } else reader.skip(wireType, field);
  }
  return info;
}

export function encodeErrorInfo(info: ErrorInfo): Uint8Array {
  const writer = new BinaryWriter();
  if (info.reason !== "") writer.tag(1, WireType.LengthDelimited).string(info.reason);
  if (info.domain !== "") writer.tag(2, WireType.LengthDelimited).string(info.domain);
  for (const [key, value] of Object.entries(info.metadata)) {
    writer.tag(3, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(key);
    writer.tag(2, WireType.LengthDelimited).string(value);
    writer.join();
  }
  return writer.finish();
}

/** google.rpc.RetryInfo → the suggested delay in milliseconds (google.protobuf.Duration seconds + nanos). */
export function decodeRetryInfo(bytes: Uint8Array): { retryDelayMs: number } {
  const reader = new BinaryReader(bytes);
  let retryDelayMs = 0;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) {
      const duration = new BinaryReader(reader.bytes());
      let seconds = 0;
      let nanos = 0;
      while (duration.pos < duration.len) {
        const [durationField, durationWire] = duration.tag();
        if (durationField === 1 && durationWire === WireType.Varint) seconds = Number(duration.int64());
        else if (durationField === 2 && durationWire === WireType.Varint) nanos = duration.int32();
        else duration.skip(durationWire, durationField);
      }
      retryDelayMs = seconds * 1000 + Math.floor(nanos / 1e6);
    } else reader.skip(wireType, field);
  }
  return { retryDelayMs };
}

export function encodeRetryInfo(retryDelayMs: number): Uint8Array {
  const seconds = Math.floor(retryDelayMs / 1000);
  const nanos = (retryDelayMs - seconds * 1000) * 1e6;
  const writer = new BinaryWriter();
  writer.tag(1, WireType.LengthDelimited).fork();
  if (seconds !== 0) writer.tag(1, WireType.Varint).int64(seconds);
  if (nanos !== 0) writer.tag(2, WireType.Varint).int32(nanos);
  writer.join();
  return writer.finish();
}

function decodeAny(bytes: Uint8Array): { typeUrl: string; value: Uint8Array } {
  const reader = new BinaryReader(bytes);
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array(0);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) typeUrl = reader.string();
    else if (field === 2 && wireType === WireType.LengthDelimited) value = reader.bytes();
    else reader.skip(wireType, field);
  }
  return { typeUrl, value };
}
