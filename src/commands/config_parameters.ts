// Every parameter of Redis 7.0's `CONFIG GET *` (config.c static_configs, the
// TLS ones included), declared once: its name and alias, its value type and
// bounds, its Redis default, Redis's IMMUTABLE / PROTECTED / SENSITIVE /
// HIDDEN flags, and what it does in Materia:
// - applied: it takes effect; config_set.ts sets and reads it, and says who may;
// - reported: a fact of Materia that CONFIG GET answers; CONFIG SET accepts
//   that same value (a no-op, so scripts that set it pass) and refuses any
//   other with the reason;
// - remembered: no meaning in Materia (encoding thresholds, persistence,
//   replication and cluster knobs); CONFIG SET checks the value as Redis does,
//   keeps it for the caller's tenant and CONFIG GET reports it back, with no
//   other effect (core/remembered_config.ts).
// CONFIG GET / SET (config_command.ts) and docs/COMPATIBILITY.md read this table.
import { DATABASE_COUNT } from "../model/limits.ts";
import {
  bindAddresses, enumeration, fileNameRefusal, hostnameRefusal, INT_MAX, INT_MIN, LONG_MAX, numeric, oomScores, percentiles,
  procTitleRefusal, replicaOf, savePoints, text, UINT_MAX, ULLONG_MAX, type NumericOptions, type ValueType, yesNo,
} from "./config_values.ts";

export type ParameterEffect = "applied" | "reported" | "remembered";

/** What a reported parameter's value comes from. */
export interface ServerFacts {
  readonly port: number;
  readonly bind: string;
  readonly maxClients: number;
  readonly protoMaxBulkLen: number;
  /** The data directory; undefined for a tenant, who learns nothing of the host's files. */
  readonly dataDirectory: string | undefined;
}

interface Reported {
  /** The value Materia answers; undefined: hidden from this caller. */
  value(facts: ServerFacts): string | undefined;
  /** Why another value is refused (after "CONFIG SET failed (possibly related to argument 'x') - "). */
  readonly refusal: string;
}

export interface ConfigParameter {
  readonly name: string;
  /** Redis 7.0's second name (the old ziplist/slave names); CONFIG GET lists both. */
  readonly alias?: string;
  readonly type: ValueType;
  /** Redis's default, in the form CONFIG GET prints. */
  readonly redisDefault: string;
  readonly effect: ParameterEffect;
  /** For reported parameters: the value and the refusal. */
  readonly reported?: Reported;
  /** Redis refuses CONFIG SET: "can't set immutable config". */
  readonly immutable?: true;
  /** Redis refuses CONFIG SET unless enable-protected-configs (immutable, "no"): "can't set protected config". */
  readonly protected?: true;
  /** Its value is a secret: never logged, and MONITOR / SLOWLOG should redact it. */
  readonly sensitive?: true;
  /** Listed by an exact name only, never by a pattern. */
  readonly hidden?: true;
}

interface Options {
  readonly alias?: string;
  readonly effect?: ParameterEffect;
  readonly reported?: Reported;
  readonly immutable?: true;
  readonly protected?: true;
  readonly sensitive?: true;
  readonly hidden?: true;
}

function parameter(name: string, type: ValueType, redisDefault: string, options: Options = {}): ConfigParameter {
  return { name, type, redisDefault, effect: options.reported ? "reported" : options.effect ?? "remembered", ...options };
}

const IMMUTABLE = { immutable: true } as const;
const APPLIED = { effect: "applied" } as const;

const bool = (name: string, redisDefault: boolean, options?: Options) => parameter(name, yesNo, redisDefault ? "yes" : "no", options);
const int = (name: string, bounds: NumericOptions, redisDefault: bigint | number, options?: Options) => parameter(name, numeric(bounds), numeric(bounds).parse(String(redisDefault)), options);
const oneOf = (name: string, names: readonly string[], redisDefault: string, options?: Options) => parameter(name, enumeration(names), redisDefault, options);
const str = (name: string, redisDefault: string, options?: Options, check?: (value: string) => string | undefined) => parameter(name, text(check), redisDefault, options);

const INT = (min: bigint | number, max: bigint = INT_MAX): NumericOptions => ({ min: BigInt(min), max });
const UNSIGNED = (min: number, max: bigint): NumericOptions => ({ min: BigInt(min), max, unsigned: true });
const MEMORY = (min: bigint | number, max: bigint, unsigned = false): NumericOptions => ({ min: BigInt(min), max, memory: true, unsigned });
const MiB = 1024 * 1024;

const fixed = (value: (facts: ServerFacts) => string | undefined, refusal: string): Options => ({ reported: { value, refusal } });

const FSYNC = ["everysec", "always", "no"];
const EVICTION = ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"];
const PROTECTED_ACTION = ["no", "yes", "local"];
const SHUTDOWN_FLAGS = enumeration(["default", "save", "nosave", "now", "force"], { flags: true });

/** Redis 7.0.15's parameters, in config.c's order. */
export const CONFIG_PARAMETERS: readonly ConfigParameter[] = [
  bool("rdbchecksum", true, IMMUTABLE),
  bool("daemonize", false, IMMUTABLE),
  bool("io-threads-do-reads", false, IMMUTABLE),
  bool("always-show-logo", false, IMMUTABLE),
  bool("protected-mode", true),
  bool("rdbcompression", true),
  bool("rdb-del-sync-files", false),
  bool("activerehashing", true),
  bool("stop-writes-on-bgsave-error", true),
  bool("set-proc-title", true, IMMUTABLE),
  bool("dynamic-hz", true),
  bool("lazyfree-lazy-eviction", false),
  bool("lazyfree-lazy-expire", false),
  bool("lazyfree-lazy-server-del", false),
  bool("lazyfree-lazy-user-del", false),
  bool("lazyfree-lazy-user-flush", false),
  bool("repl-disable-tcp-nodelay", false),
  bool("repl-diskless-sync", true),
  bool("aof-rewrite-incremental-fsync", true),
  bool("no-appendfsync-on-rewrite", false),
  bool("cluster-require-full-coverage", true),
  bool("rdb-save-incremental-fsync", true),
  bool("aof-load-truncated", true),
  bool("aof-use-rdb-preamble", true),
  bool("aof-timestamp-enabled", false),
  bool("cluster-replica-no-failover", false, { alias: "cluster-slave-no-failover" }),
  bool("replica-lazy-flush", false, { alias: "slave-lazy-flush" }),
  bool("replica-serve-stale-data", true, { alias: "slave-serve-stale-data" }),
  bool("replica-read-only", true, { alias: "slave-read-only" }),
  bool("replica-ignore-maxmemory", true, { alias: "slave-ignore-maxmemory" }),
  bool("jemalloc-bg-thread", true),
  bool("activedefrag", false),
  bool("syslog-enabled", false, IMMUTABLE),
  bool("cluster-enabled", false, IMMUTABLE),
  bool("appendonly", false),
  bool("cluster-allow-reads-when-down", false),
  bool("cluster-allow-pubsubshard-when-down", true),
  bool("crash-log-enabled", true),
  bool("crash-memcheck-enabled", true),
  bool("use-exit-on-panic", false, { hidden: true }),
  bool("disable-thp", true, IMMUTABLE),
  bool("cluster-allow-replica-migration", true),
  bool("replica-announced", true),
  bool("latency-tracking", true),
  bool("aof-disable-auto-gc", false),
  bool("replica-ignore-disk-write-errors", false),

  str("aclfile", "", IMMUTABLE),
  str("unixsocket", "", IMMUTABLE),
  str("pidfile", "", IMMUTABLE),
  str("replica-announce-ip", "", { alias: "slave-announce-ip" }),
  str("masteruser", "", { sensitive: true }),
  str("cluster-announce-ip", ""),
  str("cluster-config-file", "nodes.conf", IMMUTABLE),
  str("cluster-announce-hostname", "", {}, hostnameRefusal),
  str("syslog-ident", "redis", IMMUTABLE),
  str("dbfilename", "dump.rdb", { protected: true }, fileNameRefusal),
  str("appendfilename", "appendonly.aof", IMMUTABLE),
  str("appenddirname", "appendonlydir", IMMUTABLE),
  str("server_cpulist", "", IMMUTABLE),
  str("bio_cpulist", "", IMMUTABLE),
  str("aof_rewrite_cpulist", "", IMMUTABLE),
  str("bgsave_cpulist", "", IMMUTABLE),
  str("ignore-warnings", ""),
  str("proc-title-template", "{title} {listen-addr} {server-mode}", {}, procTitleRefusal),
  str("bind-source-addr", ""),
  str("logfile", "", IMMUTABLE),
  str("masterauth", "", { sensitive: true }),
  // Never echoed and never remembered: a client that sets a password must not believe it protects anything.
  str("requirepass", "", {
    sensitive: true,
    ...fixed(() => "", "Materia authenticates with its --password flag or with tokens (materia token create); CONFIG SET cannot set a password"),
  }),

  oneOf("supervised", ["upstart", "systemd", "auto", "no"], "no", IMMUTABLE),
  oneOf("syslog-facility", ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"], "local0", IMMUTABLE),
  oneOf("repl-diskless-load", ["disabled", "on-empty-db", "swapdb"], "disabled"),
  oneOf("loglevel", ["debug", "verbose", "notice", "warning"], "notice"),
  oneOf("maxmemory-policy", EVICTION, "noeviction", fixed(() => "noeviction", "Materia never evicts data: the only policy is noeviction, and storage is bounded by each tenant's quota")),
  oneOf("appendfsync", FSYNC, "everysec", fixed(() => "always", "Materia makes every write durable before its reply: appendfsync is always")),
  parameter("oom-score-adj", enumeration(["no", "yes", "relative", "absolute"], { synonyms: { relative: "yes" } }), "no"),
  oneOf("acl-pubsub-default", ["allchannels", "resetchannels"], "resetchannels"),
  oneOf("sanitize-dump-payload", ["no", "yes", "clients"], "no"),
  oneOf("enable-protected-configs", PROTECTED_ACTION, "no", IMMUTABLE),
  oneOf("enable-debug-command", PROTECTED_ACTION, "no", IMMUTABLE),
  oneOf("enable-module-command", PROTECTED_ACTION, "no", IMMUTABLE),
  oneOf("cluster-preferred-endpoint-type", ["ip", "hostname", "unknown-endpoint"], "ip"),
  oneOf("propagation-error-behavior", ["ignore", "panic", "panic-on-replicas"], "ignore"),
  parameter("shutdown-on-sigint", SHUTDOWN_FLAGS, "default"),
  parameter("shutdown-on-sigterm", SHUTDOWN_FLAGS, "default"),

  int("databases", INT(1), DATABASE_COUNT, { ...IMMUTABLE, ...fixed(() => String(DATABASE_COUNT), "") }),
  int("port", INT(0, 65535n), 6379, fixed((f) => String(f.port), "Materia listens on the port of its --port flag")),
  int("io-threads", INT(1, 128n), 1, IMMUTABLE),
  int("auto-aof-rewrite-percentage", INT(0), 100),
  int("cluster-replica-validity-factor", INT(0), 10, { alias: "cluster-slave-validity-factor" }),
  int("list-max-listpack-size", INT(INT_MIN), -2, { alias: "list-max-ziplist-size" }),
  int("tcp-keepalive", INT(0), 300, APPLIED),
  int("cluster-migration-barrier", INT(0), 1),
  int("active-defrag-cycle-min", INT(1, 99n), 1),
  int("active-defrag-cycle-max", INT(1, 99n), 25),
  int("active-defrag-threshold-lower", INT(0, 1000n), 10),
  int("active-defrag-threshold-upper", INT(0, 1000n), 100),
  int("lfu-log-factor", INT(0), 10),
  int("lfu-decay-time", INT(0), 1),
  int("replica-priority", INT(0), 100, { alias: "slave-priority" }),
  int("repl-diskless-sync-delay", INT(0), 5),
  int("maxmemory-samples", INT(1), 5),
  int("maxmemory-eviction-tenacity", INT(0, 100n), 10),
  int("timeout", INT(0), 0, APPLIED),
  int("replica-announce-port", INT(0, 65535n), 0, { alias: "slave-announce-port" }),
  int("tcp-backlog", INT(0), 511, IMMUTABLE),
  int("cluster-port", INT(0, 65535n), 0, IMMUTABLE),
  int("cluster-announce-bus-port", INT(0, 65535n), 0),
  int("cluster-announce-port", INT(0, 65535n), 0),
  int("cluster-announce-tls-port", INT(0, 65535n), 0),
  int("repl-timeout", INT(1), 60),
  int("repl-ping-replica-period", INT(1), 10, { alias: "repl-ping-slave-period" }),
  int("list-compress-depth", INT(0), 0),
  int("rdb-key-save-delay", INT(INT_MIN), 0, { hidden: true }),
  int("key-load-delay", INT(INT_MIN), 0, { hidden: true }),
  int("active-expire-effort", INT(1, 10n), 1),
  // Redis keeps hz within 1..500 whatever is set.
  int("hz", { ...INT(0), clamp: [1n, 500n] }, 10),
  int("min-replicas-to-write", INT(0), 0, { alias: "min-slaves-to-write" }),
  int("min-replicas-max-lag", INT(0), 10, { alias: "min-slaves-max-lag" }),
  int("watchdog-period", INT(0), 0, { hidden: true }),
  int("shutdown-timeout", INT(0), 10),
  int("repl-diskless-sync-max-replicas", INT(0), 0),

  int("maxclients", UNSIGNED(1, UINT_MAX), 10000, fixed((f) => String(f.maxClients), "Materia takes its client limit from its --maxclients flag")),
  int("unixsocketperm", { min: 0n, max: 0o777n, unsigned: true, octal: true }, 0, IMMUTABLE),
  int("socket-mark-id", UNSIGNED(0, UINT_MAX), 0, IMMUTABLE),

  int("active-defrag-max-scan-fields", INT(1, LONG_MAX), 1000),
  // Applied once config_set.ts declares it (SLOWLOG); until then remembered.
  int("slowlog-max-len", INT(0, LONG_MAX), 128, APPLIED),
  int("acllog-max-len", INT(0, LONG_MAX), 128),

  int("busy-reply-threshold", INT(0, LONG_MAX), 5000, { ...APPLIED, alias: "lua-time-limit" }),
  int("cluster-node-timeout", INT(0, LONG_MAX), 15000),
  int("slowlog-log-slower-than", INT(-1, LONG_MAX), 10000, APPLIED),
  int("latency-monitor-threshold", INT(0, LONG_MAX), 0, APPLIED),
  int("proto-max-bulk-len", MEMORY(MiB, LONG_MAX), 512 * MiB, fixed((f) => String(f.protoMaxBulkLen), "Materia fixes the size of the largest value a client may send")),
  int("stream-node-max-entries", INT(0, LONG_MAX), 100),
  int("repl-backlog-size", MEMORY(1, LONG_MAX), MiB),

  int("maxmemory", MEMORY(0, ULLONG_MAX, true), 0, fixed(() => "0", "Materia never evicts data: it has no maxmemory, and storage is bounded by each tenant's quota")),
  int("cluster-link-sendbuf-limit", MEMORY(0, ULLONG_MAX, true), 0),

  int("hash-max-listpack-entries", UNSIGNED(0, LONG_MAX), 512, { alias: "hash-max-ziplist-entries" }),
  int("set-max-intset-entries", UNSIGNED(0, LONG_MAX), 512),
  int("zset-max-listpack-entries", UNSIGNED(0, LONG_MAX), 128, { alias: "zset-max-ziplist-entries" }),
  int("active-defrag-ignore-bytes", MEMORY(1, LONG_MAX, true), 100 * MiB),
  int("hash-max-listpack-value", MEMORY(0, LONG_MAX, true), 64, { alias: "hash-max-ziplist-value" }),
  int("stream-node-max-bytes", MEMORY(0, LONG_MAX, true), 4096),
  int("zset-max-listpack-value", MEMORY(0, LONG_MAX, true), 64, { alias: "zset-max-ziplist-value" }),
  int("hll-sparse-max-bytes", MEMORY(0, LONG_MAX, true), 3000),
  int("tracking-table-max-keys", UNSIGNED(0, LONG_MAX), 1_000_000, APPLIED),
  int("client-query-buffer-limit", MEMORY(MiB, LONG_MAX, true), 1024 * MiB),
  int("maxmemory-clients", { min: -100n, max: LONG_MAX, memory: true, percent: true }, 0),

  int("repl-backlog-ttl", INT(0, LONG_MAX), 3600),
  int("auto-aof-rewrite-min-size", MEMORY(0, LONG_MAX), 64 * MiB),
  int("loading-process-events-interval-bytes", INT(1024), 2 * MiB, { hidden: true }),

  int("tls-port", INT(0, 65535n), 0),
  int("tls-session-cache-size", INT(0), 20 * 1024),
  int("tls-session-cache-timeout", INT(0), 300),
  bool("tls-cluster", false),
  bool("tls-replication", false),
  oneOf("tls-auth-clients", ["no", "yes", "optional"], "yes"),
  bool("tls-prefer-server-ciphers", false),
  bool("tls-session-caching", true),
  ...["tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file", "tls-client-key-file", "tls-client-key-file-pass", "tls-dh-params-file",
    "tls-ca-cert-file", "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites"].map((name) => str(name, "")),

  parameter("dir", text(), "", { protected: true, ...fixed((f) => f.dataDirectory, "") }),
  // Redis's default is "3600 1 300 100 60 10000"; Materia takes no snapshots, so it starts empty.
  parameter("save", savePoints, ""),
  parameter("client-output-buffer-limit", text(), "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", APPLIED),
  parameter("oom-score-adj-values", oomScores, "0 200 800"),
  parameter("notify-keyspace-events", text(), "", APPLIED),
  parameter("bind", bindAddresses, "* -::*", fixed((f) => f.bind, "Materia listens on the address of its --host flag")),
  parameter("replicaof", replicaOf, "", { ...IMMUTABLE, alias: "slaveof" }),
  parameter("latency-tracking-info-percentiles", percentiles, "50 99 99.9"),
];

const BY_NAME = new Map<string, { parameter: ConfigParameter; name: string }>();
for (const p of CONFIG_PARAMETERS) {
  BY_NAME.set(p.name, { parameter: p, name: p.name });
  if (p.alias) BY_NAME.set(p.alias, { parameter: p, name: p.alias });
}

/** The parameter `name` (either of its names, any letter case) stands for, and the name it is known by there. */
export function lookupParameter(name: string): { parameter: ConfigParameter; name: string } | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every name CONFIG GET lists (aliases too, as Redis 7.0 does), with its parameter. */
export function parameterNames(): IterableIterator<[string, { parameter: ConfigParameter; name: string }]> {
  return BY_NAME.entries();
}

/** For MONITOR and SLOWLOG: whether CONFIG SET's value for `name` must be redacted. */
export function isSensitiveParameter(name: string): boolean {
  return lookupParameter(name)?.parameter.sensitive === true;
}
