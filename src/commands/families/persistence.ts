// Persistence and replication commands that GUIs, backup scripts and client
// libraries send: SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE, WAIT, WAITAOF,
// SHUTDOWN, and ROLE. Materia has no snapshot and no append-only file to write later:
// every acknowledged write is already as durable as its engine makes it
// (durability.ts), so these answer what is true of that write now.
// - SAVE, BGSAVE, BGREWRITEAOF: nothing is left to write, so they succeed at
//   once with Redis's replies; on the memory engine, which keeps nothing on
//   disk, they fail and say so.
// - LASTSAVE: on a durable engine every write is saved when it is
//   acknowledged, so the data was last saved now: the current time (a backup
//   script that waits for LASTSAVE to pass the time of its BGSAVE sees it
//   pass). On the memory engine, nothing was ever saved: the server's start,
//   as Redis answers before its first save.
// - WAIT: the replicas that acknowledged the connection's writes. SQLite and
//   memory have none: 0, at once (Redis would wait out the timeout for
//   replicas that will never come). FoundationDB acknowledges a commit only
//   once its replication mode's replicas hold it: the number asked, at once.
// - WAITAOF: [1 when the writes are on the local disk, replicas as WAIT].
// - SHUTDOWN: the operator's; a graceful stop, as SIGTERM.
// - ROLE: a master without replicas, as INFO replication says.
import { OK, SimpleString, type Reply } from "../../resp/reply.ts";
import { integer, oneOf, optional, token } from "../arguments.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { parseInt64, text } from "../args.ts";
import { durabilityOf } from "../durability.ts";
import { NOT_INTEGER, SYNTAX, TIMEOUT_NEGATIVE, TIMEOUT_NOT_INTEGER } from "../errors.ts";
import { ErrorReply } from "../../resp/reply.ts";
import { defineCommand, type CommandSpec, type LocalContext } from "../spec.ts";

const NOTHING_ON_DISK = new ErrorReply(
  "ERR Materia's memory engine keeps no data on disk, so there is nothing to save; run materia serve --engine sqlite or --engine fdb for durable data",
);
const WAITAOF_WITHOUT_DISK = new ErrorReply("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
const NUMLOCAL_OUT_OF_RANGE = new ErrorReply("ERR value is out of range, value must between 0 and 1");
const NOT_POSITIVE = new ErrorReply("ERR value is out of range, must be positive");
const NO_SHUTDOWN_IN_PROGRESS = new ErrorReply("ERR No shutdown in progress.");
const SHUTDOWN_SAVE_FAILED = new ErrorReply("ERR Errors trying to SHUTDOWN. Check logs.");

function durability(ctx: LocalContext) {
  return durabilityOf(ctx.server.serverInfo().engineName);
}

/** Saving means nothing more than this on a durable engine: the data is already on disk. */
function saved(ctx: LocalContext, reply: Reply): Reply {
  return durability(ctx) === "none" ? NOTHING_ON_DISK : reply;
}

const save = defineCommand({
  name: "save",
  arity: 1,
  flags: ["admin", "noscript", "no_async_loading", "no_multi"],
  group: "server",
  summary: "Succeeds at once: every acknowledged write is already on disk (refused on the memory engine, which keeps nothing on disk).",
  since: "1.0.0",
  complexity: "O(1): nothing is left to write",
  access: "none",
  parse: () => undefined,
  exec: (ctx): Reply => saved(ctx, OK),
});

const bgsave = defineCommand({
  name: "bgsave",
  arity: -1,
  flags: ["admin", "noscript", "no_async_loading"],
  group: "server",
  summary: "Answers that background saving started, which it has nothing to do: every acknowledged write is already on disk. SCHEDULE is accepted.",
  since: "1.0.0",
  complexity: "O(1): nothing is left to write",
  arguments: [optional(token("SCHEDULE"))],
  access: "none",
  parse(argv) {
    // As Redis: any argument but SCHEDULE, or more than one, is a syntax error.
    const args = new ArgumentReader(argv);
    if (args.left > 1 || (!args.atEnd && !args.token("SCHEDULE"))) return SYNTAX;
    return undefined;
  },
  exec: (ctx): Reply => saved(ctx, new SimpleString("Background saving started")),
});

const bgrewriteaof = defineCommand({
  name: "bgrewriteaof",
  arity: 1,
  flags: ["admin", "noscript", "no_async_loading"],
  group: "server",
  summary: "Answers that the append-only file rewrite started; Materia has no append-only file, and every acknowledged write is already on disk.",
  since: "1.0.0",
  complexity: "O(1): nothing is left to write",
  access: "none",
  parse: () => undefined,
  exec: (ctx): Reply => saved(ctx, new SimpleString("Background append only file rewriting started")),
});

const lastsave = defineCommand({
  name: "lastsave",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  group: "server",
  summary: "Returns the Unix time of the last save: now on a durable engine, where every write is saved when acknowledged; the server's start on the memory engine.",
  since: "1.0.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec(ctx): Reply {
    const atMs = durability(ctx) === "none" ? ctx.server.serverInfo().startedAtMs : ctx.nowMs;
    return Math.floor(atMs / 1000);
  },
});

/** WAIT's and WAITAOF's timeout: milliseconds, an integer, not negative (never waited for: the answer is known now). */
function readTimeout(args: ArgumentReader): void {
  const timeout = args.integer(TIMEOUT_NOT_INTEGER);
  if (timeout < 0n) args.fail(TIMEOUT_NEGATIVE);
}

/** The replicas holding the connection's writes, of `asked`. */
function replicasHolding(ctx: LocalContext, asked: bigint): number {
  if (durability(ctx) !== "replicated" || asked <= 0n) return 0;
  return asked > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(asked);
}

const wait = defineCommand({
  name: "wait",
  arity: 3,
  flags: ["noscript"],
  group: "generic",
  summary: "Answers at once how many replicas hold the connection's writes: 0 on SQLite and memory (no replicas), the number asked on FoundationDB (a commit is acknowledged once replicated).",
  since: "3.0.0",
  complexity: "O(1)",
  arguments: [integer("numreplicas"), integer("timeout")],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv);
    const numreplicas = args.integer(NOT_INTEGER);
    if (args.error === undefined) readTimeout(args);
    return args.finish(numreplicas);
  },
  exec: (ctx, numreplicas): Reply => replicasHolding(ctx, numreplicas),
});

const waitaof = defineCommand({
  name: "waitaof",
  arity: 4,
  flags: ["noscript"],
  group: "generic",
  summary: "Answers at once [1 when the connection's writes are on this server's disk (0 on the memory engine), replicas as WAIT]; numlocal 1 is refused on the memory engine.",
  since: "7.2.0",
  complexity: "O(1)",
  arguments: [integer("numlocal"), integer("numreplicas"), integer("timeout")],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv);
    const numlocal = args.integer(NOT_INTEGER);
    if (args.error === undefined && (numlocal < 0n || numlocal > 1n)) args.fail(NUMLOCAL_OUT_OF_RANGE);
    const numreplicas = args.error === undefined ? args.integer(NOT_INTEGER) : 0n;
    if (args.error === undefined && numreplicas < 0n) args.fail(NOT_POSITIVE);
    if (args.error === undefined) readTimeout(args);
    return args.finish({ numlocal, numreplicas });
  },
  exec(ctx, { numlocal, numreplicas }): Reply {
    const onDisk = durability(ctx) !== "none";
    if (numlocal > 0n && !onDisk) return WAITAOF_WITHOUT_DISK;
    return [onDisk ? 1 : 0, replicasHolding(ctx, numreplicas)];
  },
});

interface ShutdownArgs {
  readonly save: boolean;
  readonly force: boolean;
  readonly abort: boolean;
}

const shutdown = defineCommand({
  name: "shutdown",
  arity: -1,
  flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
  // It stops every tenant's server: the operator's alone.
  operatorOnly: true,
  group: "server",
  summary: "Stops the server gracefully, as SIGTERM: commands already received are answered, then connections close. NOSAVE, NOW and FORCE change nothing (there is nothing to save); SAVE fails on the memory engine unless FORCE; ABORT finds no shutdown to abort.",
  since: "1.0.0",
  complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
  arguments: [
    optional(oneOf("save-selector", token("NOSAVE"), token("SAVE"))),
    optional(token("NOW")),
    optional(token("FORCE")),
    optional(token("ABORT")),
  ],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv);
    const seen = new Set<string>();
    while (args.hasMore) seen.add(args.oneOf("NOSAVE", "SAVE", "NOW", "FORCE", "ABORT"));
    if (args.error) return args.error;
    if ((seen.has("ABORT") && seen.size > 1) || (seen.has("SAVE") && seen.has("NOSAVE"))) return SYNTAX;
    return { save: seen.has("SAVE"), force: seen.has("FORCE"), abort: seen.has("ABORT") };
  },
  exec(ctx, args: ShutdownArgs): Reply {
    // A shutdown starts at once and cannot be caught half way.
    if (args.abort) return NO_SHUTDOWN_IN_PROGRESS;
    if (args.save && !args.force && durability(ctx) === "none") return SHUTDOWN_SAVE_FAILED;
    // As Redis: no reply; the connection closes as the server stops.
    ctx.session.replyMode = "off";
    ctx.session.closeAfterReply = true;
    ctx.server.requestShutdown();
    return OK;
  },
});

const role = defineCommand({
  name: "role",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast"],
  group: "server",
  summary: "Answers that this server is a master with no replicas: replication, where there is any, is the storage engine's (FoundationDB), invisible to clients.",
  since: "2.8.12",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec: (): Reply => ["master", 0, []],
});

const INVALID_MASTER_PORT = new ErrorReply("ERR Invalid master port");
const NOT_A_REPLICA = new ErrorReply(
  "ERR Materia servers do not replicate from one another: a cluster's servers share one FoundationDB database, which replicates the data. REPLICAOF NO ONE is accepted (every server is a master)",
);
const FAILOVER_WITHOUT_REPLICAS = new ErrorReply("ERR FAILOVER requires connected replicas.");
const NO_FAILOVER_IN_PROGRESS = new ErrorReply("ERR No failover in progress.");
const FAILOVER_TIMEOUT_NOT_POSITIVE = new ErrorReply("ERR FAILOVER timeout must be greater than 0");

/** REPLICAOF host port / NO ONE (SLAVEOF is its old name): a Materia server is always a master. */
function replicaOf(name: string, since: string): CommandSpec {
  return defineCommand({
    name, arity: 3, flags: ["admin", "noscript", "stale", "no_async_loading"], group: "server",
    summary: "Accepts NO ONE (this server is a master already); refuses to follow another server: replication is the storage engine's.",
    since, complexity: "O(1)",
    access: "none",
    parse(argv): "no one" | ErrorReply {
      if (text(argv[1]!).toLowerCase() === "no" && text(argv[2]!).toLowerCase() === "one") return "no one";
      // Redis checks the port (1 to 65535) before connecting.
      const port = parseInt64(argv[2]!);
      if (port === undefined || port <= 0n || port > 65535n) return INVALID_MASTER_PORT;
      return NOT_A_REPLICA;
    },
    exec: (): Reply => OK,
  });
}

/** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: its arguments as Redis reads them; there are never replicas to hand over to. */
const failover = defineCommand({
  name: "failover", arity: -1, flags: ["admin", "noscript", "stale"], group: "server",
  summary: "Answers that there are no replicas to fail over to (ABORT: that no failover is in progress).",
  since: "6.2.0", complexity: "O(1)",
  access: "none",
  parse(argv): "abort" | "failover" | ErrorReply {
    let abort = false;
    for (let i = 1; i < argv.length; i++) {
      const word = text(argv[i]!).toLowerCase();
      if (word === "abort") abort = true;
      else if (word === "timeout" && i + 1 < argv.length) {
        const ms = parseInt64(argv[++i]!);
        if (ms === undefined) return NOT_INTEGER;
        if (ms <= 0n) return FAILOVER_TIMEOUT_NOT_POSITIVE;
      } else if (word === "to" && i + 2 < argv.length) {
        if (parseInt64(argv[i + 2]!) === undefined) return NOT_INTEGER;
        i += 2;
      } else if (word !== "force") return SYNTAX;
    }
    return abort ? "abort" : "failover";
  },
  exec: (_ctx, what): Reply => (what === "abort" ? NO_FAILOVER_IN_PROGRESS : FAILOVER_WITHOUT_REPLICAS),
});

export const PERSISTENCE_COMMANDS: readonly CommandSpec[] = [
  save, bgsave, bgrewriteaof, lastsave, wait, waitaof, shutdown, role, replicaOf("replicaof", "5.0.0"), replicaOf("slaveof", "1.0.0"), failover,
];
