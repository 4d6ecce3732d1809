/**
 * Parses `sc://host:port/;key=value;…` connection strings into a ConnectionConfig, exactly as Spark's
 * client connection-string spec defines them: default port 15002, an empty path, case-sensitive
 * URL-decoded parameters, `token` implying TLS, and any unknown key becoming request metadata.
 * @see apache/spark sql/connect/docs/client-connection-string.md, PySpark ChannelBuilder (client/core.py)
 */
import { DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_PORT, MAX_USER_AGENT_LENGTH } from "./defaults.ts";

/** Everything needed to open a Spark Connect channel and identify requests, parsed from a connection string. */
export interface ConnectionConfig {
  /** Host name, IPv4 address, or IPv6 address without brackets. */
  host: string;
  port: number;
  /** TLS on (use_ssl=true, or implied by a token). */
  useSsl: boolean;
  /** Bearer token sent as `authorization: Bearer …`. Never logged or printed. */
  token?: string;
  /** UserContext.user_id. */
  userId?: string;
  /** The application acting for the user; becomes client_type and the gRPC user agent. */
  userAgent?: string;
  /** Spark session id to use (a UUID); a random one when absent. */
  sessionId?: string;
  /** Maximum gRPC message size in bytes, both directions. */
  grpcMaxMessageSize: number;
  /** Any other parameter, sent as gRPC metadata on every call. */
  headers: Record<string, string>;
}

/** A connection string that does not follow the spec; the message names the offending part. */
export class InvalidConnectionStringError extends Error {
  override name = "InvalidConnectionStringError";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
// gRPC metadata keys: lower-case letters, digits, `_`, `-`, `.`; `-bin` keys would need binary values.
const HEADER_KEY = /^[0-9a-z_.-]+$/;
const RESERVED_KEYS = new Set(["token", "use_ssl", "user_id", "user_agent", "session_id", "grpc_max_message_size"]);

/**
 * Parses a Spark Connect connection string.
 * @example parseConnectionString("sc://localhost/;user_id=ann") // { host: "localhost", port: 15002, userId: "ann", … }
 * @throws InvalidConnectionStringError naming the bad part and what is allowed.
 */
export function parseConnectionString(url: string): ConnectionConfig {
  const bad = (what: string): never => {
    throw new InvalidConnectionStringError(`Invalid Spark Connect connection string ${redact(url)}: ${what}`);
  };
  if (typeof url !== "string" || !url.startsWith("sc://")) {
    bad(`the scheme must be "sc://" (for example sc://localhost:15002)`);
  }
  const rest = url.slice("sc://".length);
  if (/[?#]/.test(rest)) bad(`query strings and fragments are not allowed; pass parameters as "/;key=value"`);

  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const afterAuthority = slash < 0 ? "" : rest.slice(slash + 1);
  const semicolon = afterAuthority.indexOf(";");
  const path = semicolon < 0 ? afterAuthority : afterAuthority.slice(0, semicolon);
  if (path !== "") bad(`the path must be empty, got "/${path}" (Spark Connect endpoints take no path prefix)`);
  if (slash < 0 && authority.includes(";")) bad(`parameters must follow "/", as in sc://host:port/;key=value`);

  const { host, port } = parseAuthority(authority, bad);
  const params = parseParams(semicolon < 0 ? "" : afterAuthority.slice(semicolon + 1), bad);

  const config: ConnectionConfig = {
    host,
    port,
    useSsl: false,
    grpcMaxMessageSize: DEFAULT_MAX_MESSAGE_SIZE,
    headers: {},
  };
  for (const [key, value] of params) {
    switch (key) {
      case "token":
        if (value === "") bad("token must not be empty");
        config.token = value;
        break;
      case "use_ssl": {
        const lower = value.toLowerCase();
        if (lower !== "true" && lower !== "false") bad(`use_ssl must be "true" or "false", got "${value}"`);
        config.useSsl = lower === "true";
        break;
      }
      case "user_id":
        config.userId = value;
        break;
      case "user_agent":
        if (value === "") bad("user_agent must not be empty");
        if (value.length > MAX_USER_AGENT_LENGTH) {
          bad(`user_agent is ${value.length} characters long; at most ${MAX_USER_AGENT_LENGTH} are allowed`);
        }
        config.userAgent = value;
        break;
      case "session_id":
        if (!UUID.test(value))
          bad(`session_id must be a UUID such as 550e8400-e29b-41d4-a716-446655440000, got "${value}"`);
        config.sessionId = value.toLowerCase();
        break;
      case "grpc_max_message_size": {
        if (!/^[0-9]+$/.test(value)) bad(`grpc_max_message_size must be a positive integer (bytes), got "${value}"`);
        const size = Number(value);
        if (size < 1 || size > 2 ** 31 - 1) bad(`grpc_max_message_size must be between 1 and 2147483647, got ${value}`);
        config.grpcMaxMessageSize = size;
        break;
      }
      default: {
        const header = key.toLowerCase();
        if (!HEADER_KEY.test(header) || header.endsWith("-bin") || header.startsWith("grpc-")) {
          bad(
            `parameter "${key}" cannot be sent as gRPC metadata: keys may use letters, digits, "_", "-" and ".", ` +
              `and must not start with "grpc-" or end with "-bin"`,
          );
        }
        config.headers[header] = value;
      }
    }
  }
  // The spec: "Setting this value [token] enables SSL."
  if (config.token !== undefined) config.useSsl = true;
  return config;
}

/** Formats a config back into a connection string; the token is replaced by `***` unless `includeToken`. */
export function formatConnectionString(config: ConnectionConfig, options: { includeToken?: boolean } = {}): string {
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const params: string[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined) params.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  };
  if (config.token !== undefined) add("token", options.includeToken ? config.token : "***");
  if (config.useSsl && config.token === undefined) add("use_ssl", "true");
  add("user_id", config.userId);
  add("user_agent", config.userAgent);
  add("session_id", config.sessionId);
  if (config.grpcMaxMessageSize !== DEFAULT_MAX_MESSAGE_SIZE)
    add("grpc_max_message_size", String(config.grpcMaxMessageSize));
  for (const [key, value] of Object.entries(config.headers)) add(key, value);
  const base = `sc://${host}:${config.port}`;
  return params.length === 0 ? base : `${base}/;${params.join(";")}`;
}

function parseAuthority(authority: string, bad: (what: string) => never): { host: string; port: number } {
  if (authority === "") bad("the host is missing (for example sc://localhost)");
  if (authority.includes("@")) bad("user information (user@host) is not allowed; use the user_id and token parameters");
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close < 0) bad(`the IPv6 address in "${authority}" is missing its closing "]"`);
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) bad(`unexpected "${after}" after the IPv6 address`);
    portText = after === "" ? undefined : after.slice(1);
    if (!IPV6.test(host) || !host.includes(":")) bad(`"${host}" is not an IPv6 address`);
  } else {
    const parts = authority.split(":");
    if (parts.length > 2) bad(`"${authority}" must match host[:port] (write IPv6 addresses in brackets)`);
    host = parts[0] ?? "";
    portText = parts[1];
    if (!HOST_NAME.test(host)) bad(`"${host}" is not a valid host name or IPv4 address`);
  }
  if (portText === undefined) return { host, port: DEFAULT_PORT };
  if (!/^[0-9]{1,5}$/.test(portText)) bad(`the port must be a number between 1 and 65535, got "${portText}"`);
  const port = Number(portText);
  if (port < 1 || port > 65535) bad(`the port must be between 1 and 65535, got ${port}`);
  return { host, port };
}

function parseParams(text: string, bad: (what: string) => never): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of text.split(";")) {
    if (part === "") continue; // tolerate "/;" and a trailing ";"
    const eq = part.indexOf("=");
    if (eq <= 0) bad(`parameter "${part}" must have the form key=value`);
    const key = decode(part.slice(0, eq), bad);
    const value = decode(part.slice(eq + 1), bad);
    if (params.has(key)) bad(`parameter "${key}" is given more than once`);
    if (!RESERVED_KEYS.has(key) && RESERVED_KEYS.has(key.toLowerCase())) {
      bad(`parameter names are case-sensitive: write "${key.toLowerCase()}", not "${key}"`);
    }
    params.set(key, value);
  }
  return params;
}

function decode(text: string, bad: (what: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return bad(`"${text}" is not valid URL encoding`);
  }
}

/** The connection string with any token value hidden, for error messages. */
function redact(url: string): string {
  return typeof url === "string" ? `"${url.replace(/(token=)[^;]*/g, "$1***")}"` : String(url);
}
