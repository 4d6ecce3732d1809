/**
 * Jupyter messages on the wire (messaging protocol 5.3): the multipart layout
 * `[routing ids…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]`, signed with
 * HMAC-SHA256 over the four JSON parts with the connection file's key.
 * @see https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

const DELIMITER = "<IDS|MSG>";
export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface JupyterMessage {
  header: MessageHeader;
  /** Empty object when the message has no parent. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

/** Signs and verifies messages with one connection key (an empty key disables signing, as in Jupyter). */
export class MessageCodec {
  readonly session = randomUUID();

  constructor(private readonly key: string) {}

  private sign(parts: readonly Buffer[]): string {
    if (this.key === "") return "";
    const hmac = createHmac("sha256", this.key);
    for (const part of parts) hmac.update(part);
    return hmac.digest("hex");
  }

  /** A new request: fresh msg_id, this client's session. */
  request(msgType: string, content: Record<string, unknown>): JupyterMessage {
    return {
      header: {
        msg_id: randomUUID(),
        msg_type: msgType,
        session: this.session,
        username: "retail-lab",
        date: new Date().toISOString(),
        version: PROTOCOL_VERSION,
      },
      parent_header: {},
      metadata: {},
      content,
    };
  }

  encode(message: JupyterMessage): Buffer[] {
    const json = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
      Buffer.from(JSON.stringify(part), "utf8"),
    );
    return [Buffer.from(DELIMITER), Buffer.from(this.sign(json)), ...json];
  }

  /** Decodes a received multipart message; a bad signature or layout throws. */
  decode(parts: readonly Buffer[]): JupyterMessage {
    const at = parts.findIndex((part) => part.length === DELIMITER.length && part.toString() === DELIMITER);
    if (at < 0 || parts.length < at + 6)
      throw new Error("not a Jupyter message: no <IDS|MSG> delimiter or parts missing");
    const signature = parts[at + 1]!;
    const json = parts.slice(at + 2, at + 6);
    if (this.key !== "") {
      const expected = Buffer.from(this.sign(json));
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        throw new Error("a Jupyter message has an invalid signature");
      }
    }
    const [header, parent, metadata, content] = json.map((part) => JSON.parse(part.toString("utf8")));
    return { header, parent_header: parent, metadata, content };
  }
}
