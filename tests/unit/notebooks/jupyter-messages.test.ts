/** Jupyter wire messages: layout, HMAC-SHA256 signatures, routing prefixes. */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MessageCodec } from "../../../scripts/notebooks/jupyter-messages.ts";

describe("MessageCodec", () => {
  const codec = new MessageCodec("secret");

  it("signs header, parent, metadata and content with HMAC-SHA256 of the key", () => {
    const message = codec.request("execute_request", { code: "1 + 1" });
    const parts = codec.encode(message);
    expect(parts[0]!.toString()).toBe("<IDS|MSG>");
    const expected = createHmac("sha256", "secret");
    for (const part of parts.slice(2, 6)) expected.update(part);
    expect(parts[1]!.toString()).toBe(expected.digest("hex"));
    expect(JSON.parse(parts[2]!.toString())).toMatchObject({ msg_type: "execute_request", version: "5.3" });
  });

  it("decodes past routing ids (or a PUB topic) before the delimiter", () => {
    const message = codec.request("status", { execution_state: "idle" });
    const decoded = codec.decode([Buffer.from("kernel.topic"), ...codec.encode(message)]);
    expect(decoded.header.msg_id).toBe(message.header.msg_id);
    expect(decoded.content).toEqual({ execution_state: "idle" });
  });

  it("rejects a tampered message and one signed with another key", () => {
    const parts = codec.encode(codec.request("status", { execution_state: "busy" }));
    const tampered = [...parts];
    tampered[5] = Buffer.from(JSON.stringify({ execution_state: "idle" }));
    expect(() => codec.decode(tampered)).toThrow(/invalid signature/);
    expect(() => new MessageCodec("other").decode(parts)).toThrow(/invalid signature/);
    expect(() => codec.decode([Buffer.from("x")])).toThrow(/no <IDS\|MSG> delimiter/);
  });

  it("leaves messages unsigned with an empty key, as Jupyter does", () => {
    const unsigned = new MessageCodec("");
    const parts = unsigned.encode(unsigned.request("kernel_info_request", {}));
    expect(parts[1]!.length).toBe(0);
    expect(unsigned.decode(parts).header.msg_type).toBe("kernel_info_request");
  });
});
