// `materia serve` settings from flags and the environment, validated once at
// start. A flag wins over its environment variable, which wins over the default.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

export type EngineChoice = "sqlite" | "memory" | "fdb";

export interface ServeConfig {
  readonly engine: EngineChoice;
  readonly dataDirectory: string;
  /** Cluster file of the fdb engine; undefined: FoundationDB's default lookup. */
  readonly fdbClusterFile: string | undefined;
  readonly host: string;
  readonly port: number;
  /** Off (one default tenant), one static password (one default tenant), or Biscuit tokens (a tenant per token). */
  readonly auth: AuthConfig;
  readonly maxClients: number;
  /** Most simultaneous clients from one source address (0: no limit). */
  readonly maxClientsPerAddress: number;
  /** Seconds a client may stay connected without authenticating when auth is required (0: no limit). */
  readonly authTimeoutSeconds: number;
  /** Seconds before an idle client is closed (0: never), as Redis's `timeout`. */
  readonly idleTimeoutSeconds: number;
  /** Idle seconds before TCP keepalive probes (0: off), as Redis's `tcp-keepalive`. */
  readonly tcpKeepAliveSeconds: number;
  /** Normal clients' output buffer limit; undefined keeps the server's default. */
  readonly outputBufferLimit: { readonly hardBytes: number; readonly softBytes: number; readonly softSeconds: number } | undefined;
  /** TLS listener, when a certificate is configured. */
  readonly tls: TlsConfig | undefined;
  /** Bytes of keys and values one tenant may store; writes past it fail with -OOM. */
  /** Undefined: the server's default (model/limits.ts DEFAULT_STORAGE_QUOTA_BYTES). */
  readonly storageQuotaBytes: number | undefined;
  /** Largest request (all arguments of one command) beyond REQUEST_ALLOWANCE_BYTES; bigger ones close the connection. */
  /** Undefined: the server's default (model/limits.ts DEFAULT_MAX_REQUEST_BYTES). */
  readonly maxRequestBytes: number | undefined;
  /**
   * `notify-keyspace-events` of tenants that set none, as Redis's letters
   * (checked by the CLI against core's parser); undefined: off.
   */
  readonly notifyKeyspaceEvents: string | undefined;
}

export type AuthConfig =
  | { readonly mode: "off" }
  | { readonly mode: "password"; readonly password: string }
  | {
    readonly mode: "token";
    /** The root private key's text, from MATERIA_ROOT_KEY; else read from rootKeyFile, else the data directory's. */
    readonly rootKey: string | undefined;
    readonly rootKeyFile: string | undefined;
    /** Older root public keys still accepted during a rotation (MATERIA_TRUSTED_PUBLIC_KEYS, comma-separated). */
    readonly alsoTrusted: readonly string[];
    /** The revocation list file (MATERIA_REVOKED). */
    readonly revokedFile: string | undefined;
  };

export interface TlsConfig {
  readonly port: number;
  /** PEM text of the certificate chain and of the private key (read from a path when given one). */
  readonly cert: string;
  readonly key: string;
}

/** Materia KV's alpha limits: 128 MB of storage per add-on, requests under 5 MB. */
/** Enough for the 1,000 clients of a load test or a busy application host behind one NAT address. */
export const DEFAULT_MAXCLIENTS_PER_ADDRESS = 1000;
/** Clients authenticate right after connecting; 10 s leaves room for a slow TLS handshake and network. */
export const DEFAULT_AUTH_TIMEOUT_SECONDS = 10;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const SERVE_FLAGS = {
  engine: { type: "string", env: "MATERIA_ENGINE", value: "sqlite|memory|fdb", help: "storage engine (default sqlite: durable, in --data; fdb: a FoundationDB cluster)" },
  "fdb-cluster-file": { type: "string", env: "FDB_CLUSTER_FILE", value: "FILE", help: "cluster file of the fdb engine (default ./fdb.cluster, then /etc/foundationdb/fdb.cluster)" },
  data: { type: "string", env: "MATERIA_DATA", value: "DIR", help: "data directory of the sqlite engine (default ./data)" },
  host: { type: "string", env: "MATERIA_HOST", value: "HOST", help: "address to listen on (default 127.0.0.1)" },
  port: { type: "string", env: "MATERIA_PORT", value: "N", help: "TCP port for RESP (default 6378; 0 picks a free one)" },
  "no-auth": { type: "boolean", env: "MATERIA_AUTH=off", value: "", help: "accept clients without AUTH: one default tenant, for local use" },
  "root-key-file": { type: "string", env: "MATERIA_ROOT_KEY_FILE", value: "FILE", help: "root private key that signs tokens (default: MATERIA_ROOT_KEY, else DIR/root.key, created)" },
  "tls-port": { type: "string", env: "MATERIA_TLS_PORT", value: "N", help: "TLS port, served when a certificate is set (default 6379; 0 picks a free one)" },
  "tls-cert": { type: "string", env: "MATERIA_TLS_CERT", value: "PEM|FILE", help: "TLS certificate chain, PEM text or a path" },
  "tls-key": { type: "string", env: "MATERIA_TLS_KEY", value: "PEM|FILE", help: "TLS private key, PEM text or a path" },
  "quota-storage": { type: "string", env: "MATERIA_QUOTA_STORAGE", value: "BYTES", help: "storage per tenant, e.g. 128mb (default 128mb)" },
  "max-request": { type: "string", env: "MATERIA_MAX_REQUEST", value: "BYTES", help: "largest value a request may carry, e.g. 5mb (default 5mb); the request may add 9 KB for its command, key and options" },
  maxclients: { type: "string", env: "MATERIA_MAXCLIENTS", value: "N", help: "most simultaneous clients (default 10000); at most half may be awaiting AUTH" },
  "maxclients-per-address": {
    type: "string",
    env: "MATERIA_MAXCLIENTS_PER_ADDRESS",
    value: "N",
    help: `most simultaneous clients from one IP address (default ${DEFAULT_MAXCLIENTS_PER_ADDRESS}; 0: no limit)`,
  },
  "auth-timeout": {
    type: "string",
    env: "MATERIA_AUTH_TIMEOUT",
    value: "SECONDS",
    help: `close clients that have not authenticated this long after connecting, when auth is required (default ${DEFAULT_AUTH_TIMEOUT_SECONDS}; 0: never)`,
  },
  timeout: { type: "string", env: "MATERIA_TIMEOUT", value: "SECONDS", help: "close clients idle this long (default 0: never)" },
  "tcp-keepalive": { type: "string", env: "MATERIA_TCP_KEEPALIVE", value: "SECONDS", help: "TCP keepalive probes after this idle time, reaping half-open connections (default 300; 0: off)" },
  "client-output-buffer-limit": {
    type: "string",
    env: "MATERIA_CLIENT_OUTPUT_BUFFER_LIMIT",
    value: "HARD [SOFT SECONDS]",
    help: "disconnect a client whose unsent replies reach HARD bytes, or stay over SOFT for SECONDS (default '256mb 64mb 60'; 0: off)",
  },
  "notify-keyspace-events": {
    type: "string",
    env: "MATERIA_NOTIFY_KEYSPACE_EVENTS",
    value: "CLASSES",
    help: "keyspace notifications of tenants that set none, as Redis's letters, e.g. KEA (default: off)",
  },
  help: { type: "boolean", env: "", value: "", help: "show this help" },
} as const;

export type Environment = Readonly<Record<string, string | undefined>>;

export function parseServeConfig(args: readonly string[], env: Environment): ServeConfig | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: Object.fromEntries(Object.entries(SERVE_FLAGS).map(([name, flag]) => [name, { type: flag.type }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}; see 'materia serve --help'`);
  }
  if (values.help) return "help";
  const pick = (flag: keyof typeof SERVE_FLAGS, variable: string): string | undefined => {
    const value = values[flag];
    if (typeof value === "string") return value;
    const fromEnv = env[variable];
    return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
  };

  const engine = pick("engine", "MATERIA_ENGINE") ?? "sqlite";
  if (engine !== "sqlite" && engine !== "memory" && engine !== "fdb") {
    throw new ConfigError(`--engine (or MATERIA_ENGINE) must be sqlite, memory or fdb, not '${engine}'`);
  }
  const port = parseInteger(pick("port", "MATERIA_PORT") ?? "6378", "--port (or MATERIA_PORT)", { min: 0, max: 65535 });
  const maxClients = parseInteger(pick("maxclients", "MATERIA_MAXCLIENTS") ?? "10000", "--maxclients (or MATERIA_MAXCLIENTS)", {
    min: 1,
    max: 1_000_000,
  });
  const authVariable = env.MATERIA_AUTH;
  if (authVariable !== undefined && authVariable !== "" && authVariable !== "off" && authVariable !== "on") {
    throw new ConfigError(`MATERIA_AUTH must be 'off' or 'on', not '${authVariable}'`);
  }
  const password = env.MATERIA_PASSWORD;
  const authOff = values["no-auth"] === true || authVariable === "off";
  const auth: AuthConfig = authOff
    ? { mode: "off" }
    : password
    ? { mode: "password", password }
    : {
      mode: "token",
      rootKey: env.MATERIA_ROOT_KEY || undefined,
      rootKeyFile: pick("root-key-file", "MATERIA_ROOT_KEY_FILE"),
      alsoTrusted: (env.MATERIA_TRUSTED_PUBLIC_KEYS ?? "").split(",").map((k) => k.trim()).filter((k) => k !== ""),
      revokedFile: env.MATERIA_REVOKED || undefined,
    };
  const tlsCert = pick("tls-cert", "MATERIA_TLS_CERT");
  const tlsKey = pick("tls-key", "MATERIA_TLS_KEY");
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError("TLS needs both a certificate and its key: set --tls-cert and --tls-key (or MATERIA_TLS_CERT and MATERIA_TLS_KEY)");
  }
  const tlsPort = parseInteger(pick("tls-port", "MATERIA_TLS_PORT") ?? "6379", "--tls-port (or MATERIA_TLS_PORT)", { min: 0, max: 65535 });
  const storageQuotaBytes = parseSize(pick("quota-storage", "MATERIA_QUOTA_STORAGE"), undefined, "--quota-storage (or MATERIA_QUOTA_STORAGE)");
  const maxRequestBytes = parseSize(pick("max-request", "MATERIA_MAX_REQUEST"), undefined, "--max-request (or MATERIA_MAX_REQUEST)");
  return {
    tls: tlsCert === undefined || tlsKey === undefined ? undefined : { port: tlsPort, cert: pemOrFile(tlsCert, "--tls-cert"), key: pemOrFile(tlsKey, "--tls-key") },
    storageQuotaBytes,
    maxRequestBytes,
    notifyKeyspaceEvents: pick("notify-keyspace-events", "MATERIA_NOTIFY_KEYSPACE_EVENTS"),
    engine,
    dataDirectory: pick("data", "MATERIA_DATA") ?? "./data",
    fdbClusterFile: pick("fdb-cluster-file", "FDB_CLUSTER_FILE"),
    host: pick("host", "MATERIA_HOST") ?? "127.0.0.1",
    port,
    auth,
    maxClients,
    maxClientsPerAddress: parseInteger(
      pick("maxclients-per-address", "MATERIA_MAXCLIENTS_PER_ADDRESS") ?? String(DEFAULT_MAXCLIENTS_PER_ADDRESS),
      "--maxclients-per-address (or MATERIA_MAXCLIENTS_PER_ADDRESS)",
      { min: 0, max: 1_000_000 },
    ),
    authTimeoutSeconds: parseInteger(pick("auth-timeout", "MATERIA_AUTH_TIMEOUT") ?? String(DEFAULT_AUTH_TIMEOUT_SECONDS), "--auth-timeout (or MATERIA_AUTH_TIMEOUT)", {
      min: 0,
      max: 86_400,
    }),
    idleTimeoutSeconds: parseInteger(pick("timeout", "MATERIA_TIMEOUT") ?? "0", "--timeout (or MATERIA_TIMEOUT)", { min: 0, max: 2147483647 }),
    tcpKeepAliveSeconds: parseInteger(pick("tcp-keepalive", "MATERIA_TCP_KEEPALIVE") ?? "300", "--tcp-keepalive (or MATERIA_TCP_KEEPALIVE)", { min: 0, max: 2147483647 }),
    outputBufferLimit: parseOutputBufferLimit(pick("client-output-buffer-limit", "MATERIA_CLIENT_OUTPUT_BUFFER_LIMIT")),
  };
}

/** "128mb", "5MB", "1g", "4096": bytes. */
export function parseSize<F extends number | undefined>(text: string | undefined, fallback: F, name: string): number | F {
  if (text === undefined) return fallback;
  const match = /^(\d+)\s*(b|kb?|mb?|gb?)?$/i.exec(text.trim());
  const unit = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 }[(match?.[2] ?? "b").toLowerCase() as "b"];
  const value = match ? Number(match[1]) * unit : NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name} must be a size such as 128mb, 5mb or 4096, not '${text}'`);
  return value;
}

/** PEM given inline (as container secrets often are) or a path to it. */
function pemOrFile(value: string, name: string): string {
  if (value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch (error) {
    throw new ConfigError(`${name}: cannot read '${value}' (${error instanceof Error ? error.message : String(error)}); give a PEM file path or the PEM text`);
  }
}

/** "64mb", or "256mb 64mb 60" (hard, soft, seconds), as Redis's `client-output-buffer-limit normal`; 0 turns a limit off. */
function parseOutputBufferLimit(text: string | undefined): ServeConfig["outputBufferLimit"] {
  if (text === undefined) return undefined;
  const name = "--client-output-buffer-limit (or MATERIA_CLIENT_OUTPUT_BUFFER_LIMIT)";
  const words = text.trim().split(/\s+/);
  const bytes = (word: string) => (word === "0" ? 0 : parseSize(word, 0, name));
  if (words.length === 1) return { hardBytes: bytes(words[0]!), softBytes: 0, softSeconds: 0 };
  if (words.length === 3) {
    return { hardBytes: bytes(words[0]!), softBytes: bytes(words[1]!), softSeconds: parseInteger(words[2]!, `${name} seconds`, { min: 0, max: 2147483647 }) };
  }
  throw new ConfigError(`${name} must be HARD or 'HARD SOFT SECONDS', e.g. 64mb or '256mb 64mb 60', not '${text}'`);
}

function parseInteger(text: string, name: string, range: { min: number; max: number }): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${name} must be an integer from ${range.min} to ${range.max}, not '${text}'`);
  }
  return value;
}

/** Where the help text of `materia serve --help` starts on each line. */
const HELP_COLUMN = 28;

export function serveHelp(): string {
  const lines = ["Usage: materia serve [options]", "", "Serves the Redis protocol over a durable engine.", "", "Options:"];
  for (const [name, flag] of Object.entries(SERVE_FLAGS)) {
    const left = `  --${name}${flag.value ? ` ${flag.value}` : ""}`;
    const help = `${flag.help}${flag.env ? ` [env ${flag.env}]` : ""}`;
    // A flag too long for the column gets its help on the next line, as getopt-style tools print it.
    if (left.length < HELP_COLUMN) lines.push(`${left.padEnd(HELP_COLUMN)}${help}`);
    else lines.push(left, `${"".padEnd(HELP_COLUMN)}${help}`);
  }
  lines.push(
    "",
    "Authentication: Biscuit tokens by default (see 'materia token --help'); the root key comes from",
    "MATERIA_ROOT_KEY, --root-key-file, or DIR/root.key (generated on first start, for local use).",
    "MATERIA_TRUSTED_PUBLIC_KEYS (comma-separated) keeps older root keys valid during a rotation;",
    "MATERIA_REVOKED names a file of revoked token ids (re-read when it changes; it must exist at start,",
    "and if it vanishes the last list read stays in force).",
    "MATERIA_PASSWORD instead sets one shared password and a single tenant; --no-auth turns auth off.",
  );
  return lines.join("\n");
}
