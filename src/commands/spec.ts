// A command, declared once as data: its metadata (arity, flags, key
// positions, documentation) and its code as two parts: a pure `parse` that
// turns argv into typed arguments (syntax errors surface here, before any
// transaction or MULTI queueing) and `exec` that returns a reply value.
// Dispatch, COMMAND, COMMAND DOCS and the README's list derive from it.
import type { ClientPauses } from "./client_pauses.ts";
import type { ScriptingService } from "./scripting/scripting_service.ts";
import type { UsageTracker } from "../core/metering.ts";
import type { Client } from "../core/client.ts";
import type { Effects } from "../core/effects.ts";
import type { Executor, WouldBlock } from "../core/executor.ts";
import type { WaitingAttempt } from "../core/operation.ts";
import type { ChannelHub } from "../core/pubsub/channel_hub.ts";
import type { ClientSubscriptions } from "../core/pubsub/client_subscriptions.ts";
import type { MessageBus } from "../core/pubsub/message_bus.ts";
import type { NotificationSettings } from "../core/notification_settings.ts";
import type { RememberedConfig } from "../core/remembered_config.ts";
import type { DatabaseMaps } from "../core/database_maps.ts";
import type { AccessTimes } from "../core/access_times.ts";
import type { MaybePromise, Txn } from "../engine/contract.ts";
import type { Keyspace } from "../model/keyspace.ts";
import type { ErrorReply, ProtocolVersion, Reply } from "../resp/reply.ts";
import type { ArgumentDoc } from "./arguments.ts";
import type { Authenticator, Principal } from "../auth/contract.ts";
import type { ClientTracking, TrackingService } from "./client_tracking.ts";
import type { LatencyService, MonitorService, SlowLogService } from "./command_observers.ts";

export type { Authenticator, Principal };

/** Flags as COMMAND reports them. */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "noscript"
  | "loading"
  | "stale"
  | "fast"
  | "no_auth"
  | "no_multi"
  | "allow_busy"
  | "skip_slowlog"
  | "movablekeys"
  | "pubsub"
  | "blocking"
  | "may_replicate"
  | "no_mandatory_keys"
  | "no_async_loading"
  | "skip_monitor";

/** Legacy key positions: first key index, last (-1 = last argument), step. */
export interface KeyPositions {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

export type CommandGroup =
  | "connection"
  | "server"
  | "generic"
  | "string"
  | "bitmap"
  | "list"
  | "hash"
  | "set"
  | "sorted-set"
  | "hyperloglog"
  | "geo"
  | "cluster"
  | "transactions"
  | "pubsub"
  | "scripting"
  | "json"
  | "stream";

/** What a command may see and change of its connection: the core's client, and the connection's RESP state. */
export interface Session extends Client {
  readonly id: number;
  protocol: ProtocolVersion;
  db: number;
  name: string;
  libName: string;
  libVersion: string;
  /** Who is authenticated; undefined until AUTH succeeds when auth is required. */
  principal: Principal | undefined;
  /** Set by QUIT: close once the reply is written. */
  closeAfterReply: boolean;
  /** Full name of the last command run ("client|list"), for CLIENT LIST. */
  lastCommand: string;
  /** Commands queued since MULTI; undefined outside a transaction. */
  multi: MultiState | undefined;
  /** Keys this connection WATCHes; undefined when none. */
  watch: WatchState | undefined;
  /** The keyspace of the selected database of this session's tenant. */
  readonly keyspace: Keyspace;
  /** One line of CLIENT LIST / CLIENT INFO. */
  describe(nowMs: number): string;
  /** The client's and the server's ends of the connection ("ip:port"), for CLIENT KILL. */
  readonly addr: string;
  readonly laddr: string;
  /** CLIENT KILL: stop reading; the connection closes once its pending replies are sent. */
  kill(): void;
  /**
   * Set while a blocking command of this connection runs (BLPOP...): its
   * wait, which CLIENT UNBLOCK, CLIENT KILL, a disconnect or a shutdown end.
   */
  wait: CommandWait | undefined;
  /**
   * Sends an out-of-band frame (a pub/sub message, an invalidation) after
   * the replies of every command already received: in RESP3 a push frame,
   * in RESP2 an ordinary array.
   */
  push(frame: Reply): void;
  /** True when the client has SUBSCRIBEd to `channel` (RESP2 tracking redirection needs `__redis__:invalidate`). */
  subscribedTo(channel: Uint8Array): boolean;
  /** The client's pub/sub subscriptions (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE). */
  readonly subscriptions: ClientSubscriptions;
  /** True while the client holds any subscription (cheap: does not create `subscriptions`). */
  readonly subscribed: boolean;
  /** Client-side caching state while CLIENT TRACKING is on; undefined otherwise (the common case costs one check). */
  tracking: ClientTracking | undefined;
  /** CLIENT REPLY: "off" drops replies until ON; "skip" drops the next command's reply. Push frames are always sent. */
  replyMode: ReplyMode;
}

export type ReplyMode = "on" | "off" | "skip";

/** Why a blocking command stopped waiting without a result. */
export type UnblockReason =
  /** Its timeout passed, CLIENT UNBLOCK [TIMEOUT], CLIENT KILL, or its connection closed: the timeout reply. */
  | "timeout"
  /** CLIENT UNBLOCK ERROR: `-UNBLOCKED client unblocked via CLIENT UNBLOCK`. */
  | "error"
  /** The server is shutting down. */
  | "shutdown";

/** A blocking command's wait, as its connection and CLIENT UNBLOCK see it (src/commands/blocking.ts). */
export interface CommandWait {
  /**
   * True once its first run found nothing to do, as Redis's CLIENT_BLOCKED:
   * CLIENT LIST's `b` flag, INFO's blocked_clients, CLIENT UNBLOCK's 1.
   */
  readonly blocked: boolean;
  /** Ends the wait; the first reason given decides the reply. A run under way still finishes and its result wins. */
  unblock(reason: UnblockReason): void;
}

/** Server-wide services that commands may use. */
export interface ServerServices {
  /** Runs every command's operation: authorisation, transaction, quota, commit, effects. */
  readonly executor: Executor;
  readonly auth: Authenticator;
  readonly clock: () => number;
  readonly commands: CommandTable;
  readonly cursors: ScanCursors;
  sessions(): Iterable<Session>;
  /** INFO sections that only the server knows (server, clients, stats...): server-wide, for the operator. */
  serverInfo(): ServerInfo;
  /** The process's memory and CPU figures (INFO memory, cpu), from the runtime. */
  processMetrics(): ProcessMetrics;
  /** One tenant's own activity since start, what INFO shows a tenant instead of the server's totals. */
  tenantFigures(tenant: string): Readonly<TenantFigures>;
  keyspaceOf(tenant: string, db: number): Keyspace;
  /** When each key was last used (OBJECT IDLETIME), in this server's memory. */
  readonly accessTimes: AccessTimes;
  /** Each tenant's map from database numbers to where they are stored (SWAPDB). */
  readonly databases: DatabaseMaps;
  /** Command and error counters (INFO commandstats, errorstats, stats; CONFIG RESETSTAT). */
  readonly stats: StatsView;
  /** Who WATCHes which keys; writes mark them changed. */
  readonly watches: WatchRegistry;
  /** Each tenant's storage and its quota. */
  readonly usage: UsageTracker;
  /** Per-connection limits; CONFIG SET changes them while the server runs. */
  readonly clientLimits: ClientLimits;
  /** Pub/sub: who listens where on this server, and how messages travel (to other servers too). */
  readonly pubsub: PubSub;
  /** Each tenant's notify-keyspace-events (CONFIG GET / SET; turning keyspace events into messages). */
  readonly notifications: NotificationSettings;
  /** The CONFIG parameters Materia accepts without acting on them, as each tenant set them (config_parameters.ts). */
  readonly rememberedConfig: RememberedConfig;
  /** SHUTDOWN: stops the server gracefully, as SIGTERM does (the process exits when `materia serve` runs it). */
  requestShutdown(): void;
  /** Client-side caching: which tracking clients read which keys, and their invalidations. */
  readonly tracking: TrackingService;
  /** Lua scripts: each tenant's script cache, and the scripts running now (BUSY, SCRIPT KILL). */
  readonly scripting: ScriptingService;
  /** MONITOR's connections (src/server/monitors.ts). */
  readonly monitors: MonitorService;
  /** SLOWLOG: each tenant's slow commands (src/server/slow_log.ts). */
  readonly slowLog: SlowLogService;
  /** LATENCY: command latency spikes (src/server/latency_monitor.ts). */
  readonly latency: LatencyService;
  /** CLIENT PAUSE: the pauses in force (client_pauses.ts). */
  readonly pauses: ClientPauses;
}

/** The server's pub/sub: its subscribers, and the bus that carries messages to them (and to other servers). */
export interface PubSub {
  readonly hub: ChannelHub;
  readonly bus: MessageBus;
}

/** Limits on every client connection, named after the Redis settings they follow. */
export interface ClientLimits {
  /** `timeout`: seconds a client may stay idle before the server closes it; 0 = never. */
  idleTimeoutSeconds: number;
  /** `tcp-keepalive`: idle seconds before TCP keepalive probes, for connections accepted from now on; 0 = off. */
  tcpKeepAliveSeconds: number;
  /** `client-output-buffer-limit` of each class: `pubsub` for subscribed clients, `normal` for the others (Materia has no replicas). */
  outputBuffer: Record<OutputBufferClass, OutputBufferLimit>;
  /**
   * `tracking-table-max-keys`: keys the client-tracking table remembers at
   * most (all tenants); past it the oldest are invalidated and forgotten.
   * 0 means Redis's "no limit", which Materia caps (src/server/tracking/).
   */
  trackingTableMaxKeys: number;
}

export type OutputBufferClass = "normal" | "replica" | "pubsub";

/**
 * A client whose unsent replies reach `hardBytes`, or stay above `softBytes`
 * for `softSeconds`, is disconnected; 0 turns a limit off.
 */
export interface OutputBufferLimit {
  readonly hardBytes: number;
  readonly softBytes: number;
  readonly softSeconds: number;
}

/** A command accepted between MULTI and EXEC, already parsed. */
export interface QueuedCommand {
  readonly spec: CommandSpec;
  readonly fullName: string;
  readonly argv: readonly Uint8Array[];
  readonly parsed: unknown;
}

export interface MultiState {
  readonly queue: QueuedCommand[];
  /** Memory the queue holds (transaction_limits.ts queuedSize), bounded by MAX_QUEUED_BYTES. */
  queuedBytes: number;
  /** A command was refused while queueing: EXEC answers EXECABORT, so later commands are no longer kept. */
  failed: boolean;
}

/** One connection's WATCH: its keys, and whether any changed since. */
export interface WatchState {
  readonly keys: Map<string, { readonly ks: Keyspace; readonly key: Uint8Array; readonly existed: boolean }>;
  /** Bytes of the watched key names, bounded by MAX_WATCHED_KEY_BYTES. */
  keyBytes: number;
  changed: boolean;
}

/**
 * Marks WATCHes as changed when a write commits (Redis's touchWatchedKey).
 * It lives in the server's memory, which is exact while one process owns the
 * data (memory and SQLite engines); a multi-node engine needs stamps in the
 * engine instead (data-model.md §11).
 */
export interface WatchRegistry {
  /** False while nobody watches anything: writes skip the bookkeeping. */
  readonly watching: boolean;
  add(state: WatchState, ks: Keyspace, key: Uint8Array): void;
  remove(state: WatchState): void;
  /** A write to these keys committed. */
  touch(ks: Keyspace, keys: readonly Uint8Array[]): void;
  /** FLUSHDB (one database) or FLUSHALL (every database of the tenant) committed. */
  touchAll(tenant: string, db: number | undefined): void;
}

/** The server's counters (src/server/command_stats.ts), fed by connections, read by INFO. */
export interface StatsView {
  readonly totalErrorReplies: number;
  netInputBytes: number;
  netOutputBytes: number;
  /** One command run ("client|list"), its duration, and its error text when it failed. */
  record(command: string, usec: number, error: string | undefined, nowMs: number): void;
  /** An error reply that belongs to no command (unknown command, wrong arity, protocol error). */
  recordError(message: string): void;
  opsPerSecond(nowMs: number): number;
  commandLines(): string[];
  errorLines(): string[];
  reset(): void;
}

/** A tenant's counters (src/server/tenant_stats.ts). */
export interface TenantFigures {
  /** Connections that authenticated as the tenant. */
  connectionsReceived: number;
  commandsProcessed: number;
  netInputBytes: number;
  netOutputBytes: number;
  /** Keys of the tenant removed by the background expiry sweeper. */
  expiredKeys: number;
}

/** What the runtime tells of its process; zeros when it tells nothing (tests). */
export interface ProcessMetrics {
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
  readonly cpuUserMicros: number;
  readonly cpuSystemMicros: number;
}

/**
 * The runtime's view of its process, given to the server by the adapters:
 * the layers below them never touch `process` or `navigator` themselves.
 */
export interface ProcessHost {
  /** The runtime and platform, for INFO's os line. */
  readonly os: string;
  metrics(): ProcessMetrics;
}

export interface ServerInfo {
  readonly version: string;
  readonly engineName: string;
  readonly startedAtMs: number;
  readonly tcpPort: number;
  readonly pid: number;
  readonly runId: string;
  readonly executable: string;
  /** The runtime and platform ("unknown" when the runtime did not say). */
  readonly os: string;
  readonly dataDirectory: string;
  readonly totalConnections: number;
  readonly totalCommands: number;
  /** Keys removed by the background expiry sweeper since start. */
  readonly expiredKeys: number;
  readonly maxClients: number;
  /** The address the first listener is bound to (CONFIG GET bind). */
  readonly bindAddress: string;
}

/** SCAN cursors: decimal integers that stand for a position in the keyspace. */
export interface ScanCursors {
  issue(owner: CursorOwner, resumeAfter: Uint8Array): bigint;
  resolve(owner: CursorOwner, cursor: bigint): Uint8Array | undefined;
}

/** Whose scan a cursor continues: the tenant (each has its own cursor table) and what it scans (database, command, key). */
export interface CursorOwner {
  readonly tenant: string;
  readonly scope: string;
}

export interface CommandTable {
  lookup(name: string): CommandSpec | undefined;
  /** The command named by argv[0] as sent, in any letter case: the hot path's lookup. */
  lookupSent(name: Uint8Array): CommandSpec | undefined;
  all(): readonly CommandSpec[];
}

export interface LocalContext {
  readonly session: Session;
  readonly server: ServerServices;
  readonly nowMs: number;
  /** What to do once the command (or the EXEC it is part of) has committed (core/effects.ts). */
  readonly effects: Effects;
  /** True when the command runs inside EXEC: its effects wait for the whole transaction. */
  readonly batched?: boolean;
}

export interface TxContext extends LocalContext {
  readonly tx: Txn;
  readonly ks: Keyspace;
}

interface CommonSpec {
  /** Lower-case name; for subcommands, the subcommand alone ("setname"). */
  readonly name: string;
  /** Redis arity: N = exactly N arguments including the name, -N = at least N. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  readonly keys?: KeyPositions;
  /**
   * For commands whose key positions depend on their arguments (flag
   * "movablekeys", e.g. SINTERCARD numkeys key...): the indexes of the keys
   * in argv. Called before parse, so it must tolerate bad input.
   */
  movableKeys?(argv: readonly Uint8Array[]): readonly number[];
  /**
   * For a write that changes only some of its keys (a destination, not its
   * sources; Redis's key specs flag the others RO): the indexes in argv of
   * those it changes. They alone are announced after the commit (WATCH,
   * waiting clients), as Redis signals only modified keys. Absent: every key.
   */
  writtenKeys?(argv: readonly Uint8Array[]): readonly number[];
  /**
   * Pub/sub commands: the channels or patterns named in argv, as names a
   * token limited to key prefixes must cover (core/pubsub/channel_scope.ts).
   */
  channels?(argv: readonly Uint8Array[]): readonly Uint8Array[];
  /**
   * Rights the command needs beyond its flags: PUBLISH is not a Redis
   * `write` command, but publishing needs a token's write right, and
   * subscribing its read right.
   */
  readonly needsRights?: readonly ("read" | "write")[];
  /**
   * AUTH, HELLO ... AUTH: the indexes in argv of secrets that MONITOR and
   * SLOWLOG show as "(redacted)", as Redis's redactClientCommandArgument.
   */
  redactedArguments?(argv: readonly Uint8Array[]): readonly number[];
  /** (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT, RESET: allowed to a RESP2 client in subscribed mode. */
  readonly allowedWhileSubscribed?: true;
  /**
   * CLIENT's subcommands: a CLIENT CACHING choice survives them and applies
   * to the next other command (Redis clears it after any command but CLIENT).
   */
  readonly keepsCachingChoice?: true;
  /**
   * EVAL, EVALSHA, FCALL: the command runs other commands (a script), each
   * authorised and flagged on its own. It runs in a write transaction without
   * Redis's `write` flag, and needs no write right of its own.
   */
  readonly runsCommands?: true;
  /** MULTI, EXEC, DISCARD, WATCH, QUIT, RESET: runs at once between MULTI and EXEC instead of being queued. */
  readonly runsInsideMulti?: true;
  /** EXEC: refused, it discards the transaction too, and the refusal is worded as EXECABORT. */
  readonly endsTransaction?: true;
  /** CONFIG SET, CONFIG RESETSTAT: changes what every tenant sees, so only the operator may run it. */
  readonly operatorOnly?: true;
  /**
   * PING: answers before AUTH too (Redis says NOAUTH), because health checks
   * of load balancers and of Materia KV's own probes hold no token.
   */
  readonly allowedUnauthenticated?: true;
  /**
   * AUTH, HELLO ... AUTH: the command replaces the connection's credentials
   * (always, or when argv says so). Refused between MULTI and EXEC: every
   * queued command was authorised under the credentials in force when it
   * was queued, and EXEC meters it to that tenant.
   */
  readonly changesCredentials?: true | ((argv: readonly Uint8Array[]) => boolean);
  /**
   * KEYS, LRANGE, SMEMBERS, HGETALL...: the read may take long (a million
   * entries). It runs as a long read (engine/long_read.ts): one snapshot,
   * read in pages that let other clients run between them.
   */
  readonly longRead?: true;
  /** FLUSHDB / FLUSHALL: the write changes every key of the database or of the tenant (for WATCH). */
  readonly touchesAll?: "database" | "tenant";
  /**
   * Looks its keys up without counting as a use of them: their last access
   * time (OBJECT IDLETIME) stays as it was. Redis's LOOKUP_NOTOUCH users:
   * TYPE, EXISTS, the TTL family, OBJECT, MEMORY USAGE. Absent: every
   * command uses the keys at its key positions (commands without key
   * positions, such as SCAN, KEYS, DBSIZE and RANDOMKEY, use none).
   */
  readonly noTouch?: true;
  readonly group: CommandGroup;
  readonly summary: string;
  readonly since: string;
  readonly complexity: string;
  /** For commands kept for compatibility: COMMAND DOCS flags them. */
  readonly deprecated?: { readonly since: string; readonly replacedBy: string };
  readonly arguments?: readonly ArgumentDoc[];
  /** For container commands (CLIENT, COMMAND): the subcommands; dispatch picks one by argv[1]. */
  readonly subcommands?: readonly CommandSpec[];
}

/** A command that runs inside an engine transaction. */
export interface EngineCommandSpec<P = unknown> extends CommonSpec {
  readonly access: "read" | "write";
  parse(argv: readonly Uint8Array[]): P | ErrorReply;
  /** The command's run; for a blocking command, its run where it may not wait (inside MULTI): as if its timeout had passed. */
  exec(ctx: TxContext, parsed: P): Reply | Promise<Reply>;
  /**
   * BLPOP, BZPOPMIN...: the command may wait for a key to be written.
   * Dispatch runs it through the executor's runBlocking instead of `exec`
   * (except between MULTI and EXEC, where `exec` runs). Flag "blocking".
   */
  readonly blocking?: BlockingSpec<P>;
}

/** How a blocking command waits (src/commands/blocking.ts builds them). */
export interface BlockingSpec<P> {
  /** Milliseconds to wait at most; 0: until woken or unblocked. */
  timeoutMs(parsed: P): number;
  /** The keys whose writes may give it something to do (BLMOVE: its source, not its destination). */
  waitKeys(parsed: P): readonly Uint8Array[];
  /**
   * Whether this call may wait at all (XREAD waits only with BLOCK); absent:
   * always. A call that may not runs `exec` once, as inside MULTI. A script
   * may not ask for the wait at all (Redis refuses XREAD ... BLOCK in
   * scripts), while commands that always wait (BLMPOP) run there as in MULTI.
   */
  waits?(parsed: P): boolean;
  /**
   * One run: the reply, or WOULD_BLOCK when there is nothing yet. `waiting`
   * says which run it is and what woke it; undefined inside MULTI (then
   * WOULD_BLOCK means: answer as on a timeout, which `exec` does).
   */
  attempt(ctx: TxContext, parsed: P, waiting: WaitingAttempt | undefined): MaybePromise<Reply | WouldBlock>;
}

/** A command that touches only the connection or server state (it may start its own transactions). */
export interface LocalCommandSpec<P = unknown> extends CommonSpec {
  readonly access: "none";
  parse(argv: readonly Uint8Array[]): P | ErrorReply;
  exec(ctx: LocalContext, parsed: P): Reply | Promise<Reply>;
}

// Method syntax makes parameters bivariant, so any EngineCommandSpec<P> fits here.
export type CommandSpec = EngineCommandSpec<unknown> | LocalCommandSpec<unknown>;

export function defineCommand<P>(spec: EngineCommandSpec<P>): EngineCommandSpec<P>;
export function defineCommand<P>(spec: LocalCommandSpec<P>): LocalCommandSpec<P>;
export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}
