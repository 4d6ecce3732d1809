import { describe, expect, it } from "vitest";
import { alignedInPlace } from "../../../../src/connect/transport/align-arrow.ts";

/** A 64-byte message in a 72-byte buffer starting at offset 3, with a payload at `start` (relative to the message). */
function message(start: number, length: number) {
  const buffer = new ArrayBuffer(72);
  const bytes = new Uint8Array(buffer, 3, 64);
  bytes.forEach((_, i) => {
    bytes[i] = i;
  });
  return { bytes, payload: bytes.subarray(start, start + length) };
}

describe("alignedInPlace", () => {
  it("moves a misaligned payload to the 8-byte boundary before it, in the same buffer", () => {
    const { bytes, payload } = message(20, 30); // absolute offset 23: 7 past a boundary
    const expected = [...payload];
    const aligned = alignedInPlace(payload, bytes);
    expect(aligned.byteOffset % 8).toBe(0);
    expect(aligned.byteOffset).toBe(16);
    expect(aligned.buffer).toBe(bytes.buffer);
    expect([...aligned]).toEqual(expected);
  });

  it("leaves an aligned payload, one too close to the message start, or one from another buffer as it is", () => {
    const aligned = message(5, 10); // absolute offset 8
    expect(alignedInPlace(aligned.payload, aligned.bytes)).toBe(aligned.payload);
    const atStart = message(0, 10); // absolute offset 3: moving would leave the message
    expect(alignedInPlace(atStart.payload, atStart.bytes)).toBe(atStart.payload);
    expect([...atStart.payload]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const elsewhere = message(20, 30);
    expect(alignedInPlace(elsewhere.payload, message(0, 1).bytes)).toBe(elsewhere.payload);
  });
});
