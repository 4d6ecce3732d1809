/**
 * Arrow payloads on 8-byte boundaries, at no allocation. apache-arrow reads a record batch body zero-copy only
 * when it starts on an 8-byte boundary; otherwise it copies every body into a fresh buffer. A payload's offset
 * inside a gRPC message depends on the protobuf fields before it, so most arrive misaligned, and that copy
 * (allocation, page faults, GC of a second 4 MiB buffer per batch) was most of the client's decoding time.
 * Instead, once the message is parsed, the payload is moved left by its misalignment (under 8 bytes) inside
 * the message's own bytes, over the header bytes already parsed: a memmove of memory just written, no new
 * buffer. Only bytes of this message are touched, and nothing reads them again after parsing.
 */
import type { ExecutePlanResponse } from "../gen/spark/connect/base_pb.ts";

/** Gives the response an aligned Arrow payload if it carries one; `message` is the bytes it was parsed from. */
export function alignArrowPayload(response: ExecutePlanResponse, message: Uint8Array): void {
  if (response.responseType.case !== "arrowBatch") return;
  const batch = response.responseType.value;
  batch.data = alignedInPlace(batch.data, message);
}

/** `payload` moved to the nearest 8-byte boundary at or before it within `message`, or as it is. */
export function alignedInPlace(payload: Uint8Array, message: Uint8Array): Uint8Array {
  const shift = payload.byteOffset % 8;
  if (shift === 0 || payload.buffer !== message.buffer || payload.byteOffset - shift < message.byteOffset) {
    return payload;
  }
  const span = new Uint8Array(payload.buffer, payload.byteOffset - shift, payload.byteLength + shift);
  span.copyWithin(0, shift);
  return span.subarray(0, payload.byteLength);
}
