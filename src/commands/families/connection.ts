// Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, CLIENT.
// They change only the connection's state and never enter a transaction.
import { DATABASE_COUNT } from "../../model/limits.ts";
import { ErrorReply, MapReply, OK, PONG, SimpleString, VerbatimReply, type Reply } from "../../resp/reply.ts";
import { integer, multiple, oneOf, optional, string, token, withToken, block } from "../arguments.ts";
import { parseInt64, parseSafeInteger, text, upper } from "../args.ts";
import { ArgumentReader } from "../argument_reader.ts";
import {
  CLIENT_ID_NOT_POSITIVE, DB_INDEX_OUT_OF_RANGE, HELLO_NOAUTH, NO_SUCH_CLIENT, INT_OUT_OF_RANGE, helloSyntax, INVALID_CLIENT_NAME, INVALID_USER_NAME, NO_PASSWORD_CONFIGURED, authUnavailable, NOPROTO,
  PROTOCOL_VERSION_NOT_INTEGER, SYNTAX, WRONGPASS, wrongArity, unrecognizedOption, clientAttributeInvalid, unknownClientType, INVALID_CLIENT_ID,
  CLIENT_UNBLOCK_REASON, NOT_INTEGER, subcommandSyntax, CLIENT_PAUSE_MODE, PAUSE_TIMEOUT_NOT_INTEGER, PAUSE_TIMEOUT_NEGATIVE,
} from "../errors.ts";
import { AuthUnavailable } from "../../auth/contract.ts";
import { unwatch } from "./transactions.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { defineCommand, type CommandSpec, type LocalContext, type Session, type UnblockReason } from "../spec.ts";
import type { PauseMode, PauseScope } from "../client_pauses.ts";
import { COMPATIBLE_REDIS_VERSION } from "../version.ts";
import { clientCaching, clientGetRedir, clientTracking, clientTrackingInfo } from "../tracking_subcommands.ts";

const ping = defineCommand({
  name: "ping",
  allowedWhileSubscribed: true,
  arity: -1,
  flags: ["fast"],
  allowedUnauthenticated: true,
  group: "connection",
  summary: "Replies PONG, or echoes its argument; checks that the connection is alive.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [optional(string("message"))],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return args.left > 1 ? wrongArity("ping") : args.optional();
  },
  // RESP2 subscribed mode: a message-shaped pong, since such a client reads every frame as a message.
  exec: ({ session }, message): Reply => (session.protocol === 2 && session.subscribed ? ["pong", message ?? ""] : message ?? PONG),
});

const echo = defineCommand({
  name: "echo",
  arity: 2,
  flags: ["fast", "loading", "stale"],
  group: "connection",
  summary: "Replies with its argument.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [string("message")],
  access: "none",
  parse: (argv) => new ArgumentReader(argv).bytes(),
  exec: (_ctx, message): Reply => message,
});

const quit = defineCommand({
  name: "quit",
  allowedWhileSubscribed: true,
  arity: -1,
  flags: ["allow_busy", "fast", "loading", "no_auth", "noscript", "stale"],
  runsInsideMulti: true,
  group: "connection",
  summary: "Replies OK, then closes the connection once every earlier reply is sent.",
  since: "1.0.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec({ session }): Reply {
    session.closeAfterReply = true;
    return OK;
  },
});

const select = defineCommand({
  name: "select",
  arity: 2,
  flags: ["fast", "loading", "stale"],
  group: "connection",
  summary: "Selects the database (0 to 15) that later commands of this connection use.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [integer("index")],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv);
    const index = args.integer();
    if (index < -2147483648n || index > 2147483647n) args.fail(INT_OUT_OF_RANGE);
    else if (index < 0n || index >= BigInt(DATABASE_COUNT)) args.fail(DB_INDEX_OUT_OF_RANGE);
    return args.finish(Number(index));
  },
  exec({ session }, index): Reply {
    session.db = index;
    return OK;
  },
});

/** Checks credentials and, on success, authenticates the session. */
async function authenticate(ctx: LocalContext, user: string | undefined, secret: Uint8Array): Promise<ErrorReply | undefined> {
  // The name is printed in CLIENT LIST's `user=` field: with a space or a
  // newline it could forge fields or whole lines there.
  if (user !== undefined && !validClientName(new TextEncoder().encode(user))) return INVALID_USER_NAME;
  const principal = await ctx.server.auth.authenticate(user, secret);
  if (principal === "NO_PASSWORD") return NO_PASSWORD_CONFIGURED;
  if (principal === undefined) return WRONGPASS;
  if (principal instanceof AuthUnavailable) return authUnavailable(principal.reason);
  ctx.session.principal = principal;
  return undefined;
}

const auth = defineCommand({
  name: "auth",
  arity: -2,
  flags: ["no_auth", "fast", "noscript", "loading", "stale", "allow_busy"],
  changesCredentials: true,
  // As Redis: the password (and the user name) never show in MONITOR or SLOWLOG; a call with too many arguments fails before.
  redactedArguments: (argv) => (argv.length === 2 ? [1] : argv.length === 3 ? [1, 2] : []),
  group: "connection",
  summary: "Authenticates the connection with a password or token, optionally with a user name (any name is accepted).",
  since: "1.0.0",
  complexity: "O(N) where N is the number of passwords defined for the user",
  arguments: [optional(string("username")), string("password")],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv);
    if (args.left > 2) return SYNTAX;
    const user = args.left === 2 ? text(args.bytes()) : undefined;
    return { user, secret: args.bytes() };
  },
  async exec(ctx, args): Promise<Reply> {
    return (await authenticate(ctx, args.user, args.secret)) ?? OK;
  },
});

interface HelloArgs {
  readonly version: 2 | 3 | undefined;
  readonly auth: { user: string; secret: Uint8Array } | undefined;
  readonly name: Uint8Array | undefined;
}

function helloReply(ctx: LocalContext): Reply {
  const { session } = ctx;
  return new MapReply([
    ["server", "redis"],
    ["version", COMPATIBLE_REDIS_VERSION],
    ["proto", session.protocol],
    ["id", session.id],
    ["mode", "standalone"],
    ["role", "master"],
    ["modules", []],
  ]);
}

/** CLIENT SETNAME's rule: printable ASCII without spaces ('!' to '~'); empty clears. */
function validClientName(name: Uint8Array): boolean {
  for (const c of name) if (c < 0x21 || c > 0x7e) return false;
  return true;
}

const hello = defineCommand({
  name: "hello",
  arity: -1,
  flags: ["no_auth", "fast", "noscript", "loading", "stale", "allow_busy"],
  changesCredentials: (argv) => helloAuthenticates(argv),
  redactedArguments: helloSecrets,
  group: "connection",
  summary: "Switches the protocol (2 or 3), optionally authenticating and naming the connection; replies with server details.",
  since: "6.0.0",
  complexity: "O(1)",
  arguments: [optional(block("arguments", integer("protover"),
    optional(withToken("AUTH", block("auth", string("username"), string("password")))),
    optional(withToken("SETNAME", string("clientname")))))],
  access: "none",
  parse(argv): HelloArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    let version: 2 | 3 | undefined;
    if (!args.atEnd) {
      const parsed = args.integer(PROTOCOL_VERSION_NOT_INTEGER);
      if (parsed !== 2n && parsed !== 3n) args.fail(NOPROTO);
      version = parsed === 2n ? 2 : 3;
    }
    let authArgs: HelloArgs["auth"];
    let name: Uint8Array | undefined;
    while (args.hasMore) {
      const raw = args.bytes();
      const option = upper(raw);
      if (option === "AUTH" && args.left >= 2) authArgs = { user: text(args.bytes()), secret: args.bytes() };
      else if (option === "SETNAME" && args.left >= 1) name = args.bytes();
      else args.fail(helloSyntax(raw));
    }
    return args.finish({ version, auth: authArgs, name });
  },
  async exec(ctx, args): Promise<Reply> {
    const { session } = ctx;
    if (args.auth) {
      const failed = await authenticate(ctx, args.auth.user, args.auth.secret);
      // With auth off, HELLO AUTH default <anything> succeeds as in Redis; NO_PASSWORD only concerns AUTH <password>.
      if (failed !== undefined && failed !== NO_PASSWORD_CONFIGURED) return failed;
    }
    if (session.principal === undefined) return HELLO_NOAUTH;
    if (args.name !== undefined) {
      if (!validClientName(args.name)) return INVALID_CLIENT_NAME;
      session.name = text(args.name);
    }
    if (args.version !== undefined) session.protocol = args.version;
    return helloReply(ctx);
  },
});

/** True when a HELLO carries AUTH (its options are parsed the way HELLO parses them). */
/**
 * The user name and password of each AUTH option, as Redis redacts them:
 * only once the protocol version is valid, and up to the first option it
 * does not understand.
 */
function helloSecrets(argv: readonly Uint8Array[]): number[] {
  if (argv.length >= 2) {
    const version = text(argv[1]!);
    if (version !== "2" && version !== "3") return [];
  }
  const secrets: number[] = [];
  for (let i = 2; i < argv.length; i++) {
    const option = upper(argv[i]!);
    const more = argv.length - 1 - i;
    if (option === "AUTH" && more >= 2) {
      secrets.push(i + 1, i + 2);
      i += 2;
    } else if (option === "SETNAME" && more >= 1) i++;
    else break;
  }
  return secrets;
}

function helloAuthenticates(argv: readonly Uint8Array[]): boolean {
  // Called before parse, so it tolerates a bad protocol version and options.
  const args = new ArgumentReader(argv, 2);
  while (!args.atEnd) {
    if (args.token("AUTH")) return true;
    if (args.token("SETNAME")) args.optional();
    else args.bytes();
  }
  return false;
}

// CLIENT and its subcommands.

/** Client ids: positive, and safe as numbers. */
const CLIENT_IDS = { min: 1n, max: BigInt(Number.MAX_SAFE_INTEGER) };

const clientId = defineCommand({
  name: "id", arity: 2, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "Returns the unique, never reused id of this connection.", since: "5.0.0", complexity: "O(1)",
  access: "none", parse: () => undefined, exec: ({ session }): Reply => session.id,
});

const clientGetName = defineCommand({
  name: "getname", arity: 2, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "Returns the name of this connection, or nil when it has none.", since: "2.6.9", complexity: "O(1)",
  access: "none", parse: () => undefined, exec: ({ session }): Reply => (session.name === "" ? null : session.name),
});

const clientSetName = defineCommand({
  name: "setname", arity: 3, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "Names this connection (shown by CLIENT LIST); an empty name clears it.", since: "2.6.9", complexity: "O(1)",
  arguments: [string("connection-name")],
  access: "none",
  parse(argv) {
    const name = new ArgumentReader(argv, 2).bytes();
    return validClientName(name) ? text(name) : INVALID_CLIENT_NAME;
  },
  exec({ session }, name): Reply {
    session.name = name;
    return OK;
  },
});

const clientSetInfo = defineCommand({
  name: "setinfo", arity: 4, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "Records the client library's name or version for CLIENT LIST.", since: "7.2.0", complexity: "O(1)",
  arguments: [oneOf("attr", withToken("LIB-NAME", string("libname")), withToken("LIB-VER", string("libver")))],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv, 2);
    const raw = args.bytes();
    const attribute = upper(raw);
    if (attribute !== "LIB-NAME" && attribute !== "LIB-VER") return unrecognizedOption(raw);
    const value = args.bytes();
    if (!validClientName(value)) return clientAttributeInvalid(attribute);
    return { attribute, value: text(value) };
  },
  exec({ session }, args): Reply {
    if (args.attribute === "LIB-NAME") session.libName = args.value;
    else session.libVersion = args.value;
    return OK;
  },
});

const clientInfo = defineCommand({
  name: "info", arity: 2, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "Describes this connection in CLIENT LIST's format.", since: "6.2.0", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: ({ session, nowMs }): Reply => new VerbatimReply(session.describe(nowMs) + "\n"),
});

const clientList = defineCommand({
  name: "list", arity: -2, flags: ["admin", "noscript", "loading", "stale"], group: "connection",
  summary: "Describes every connection of the server, one line each.", since: "2.4.0", complexity: "O(N) where N is the number of client connections",
  arguments: [
    optional(withToken("TYPE", oneOf("client-type", token("NORMAL"), token("MASTER"), token("REPLICA"), token("PUBSUB")))),
    optional(withToken("ID", multiple(integer("client-id")))),
  ],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv, 2);
    let ids: Set<number> | undefined;
    let onlyNormal: boolean | undefined;
    while (args.hasMore) {
      if (args.token("TYPE") && !args.atEnd) {
        const raw = args.bytes();
        const kind = upper(raw);
        if (!["NORMAL", "MASTER", "REPLICA", "SLAVE", "PUBSUB"].includes(kind)) args.fail(unknownClientType(text(raw)));
        onlyNormal = kind === "NORMAL";
      } else if (args.token("ID") && !args.atEnd) {
        // The ids run to the end of the command.
        ids = new Set();
        while (args.hasMore) ids.add(args.integerIn(CLIENT_IDS, INVALID_CLIENT_ID));
      } else args.fail(SYNTAX);
    }
    return args.finish({ ids, onlyNormal });
  },
  exec({ server, nowMs, session: caller }, filter): Reply {
    let out = "";
    if (filter.onlyNormal === false) return new VerbatimReply("");
    const tenant = caller.principal?.tenant;
    for (const session of server.sessions()) {
      // Only connections of the caller's own tenant are visible to it.
      if (session.principal?.tenant !== tenant) continue;
      if (filter.ids && !filter.ids.has(session.id)) continue;
      out += session.describe(nowMs) + "\n";
    }
    return new VerbatimReply(out);
  },
});

interface KillFilter {
  /** The old form `CLIENT KILL ip:port`: replies OK or "No such client". */
  readonly legacy: boolean;
  readonly id?: number;
  readonly addr?: string;
  readonly laddr?: string;
  readonly user?: string;
  readonly onlyNormal?: boolean;
  readonly skipMe: boolean;
}

/** CLIENT KILL ip:port, or CLIENT KILL option value [option value ...]. */
function parseKill(argv: readonly Uint8Array[]): KillFilter | ErrorReply {
  const args = new ArgumentReader(argv, 2);
  if (args.left === 1) return { legacy: true, addr: text(args.bytes()), skipMe: false };
  if (args.left % 2 !== 0) return SYNTAX;
  const filter: { -readonly [K in keyof KillFilter]: KillFilter[K] } = { legacy: false, skipMe: true };
  while (!args.atEnd) {
    const option = args.keyword();
    const value = args.bytes();
    if (option === "ID") {
      const id = parseSafeInteger(value);
      if (id === undefined || id <= 0) return CLIENT_ID_NOT_POSITIVE;
      filter.id = id;
    } else if (option === "ADDR") filter.addr = text(value);
    else if (option === "LADDR") filter.laddr = text(value);
    else if (option === "USER") filter.user = text(value);
    else if (option === "TYPE") {
      const kind = upper(value);
      if (!["NORMAL", "MASTER", "REPLICA", "SLAVE", "PUBSUB"].includes(kind)) return unknownClientType(text(value));
      filter.onlyNormal = kind === "NORMAL";
    } else if (option === "SKIPME") {
      const answer = upper(value);
      if (answer !== "YES" && answer !== "NO") return SYNTAX;
      filter.skipMe = answer === "YES";
    } else return SYNTAX;
  }
  return filter;
}

const clientKill = defineCommand({
  name: "kill", arity: -3, flags: ["admin", "noscript", "loading", "stale"], group: "connection",
  summary: "Closes connections of the same tenant chosen by id, address, user or type; replies how many.", since: "2.4.0",
  complexity: "O(N) where N is the number of client connections",
  arguments: [oneOf("filter", string("ip:port"), block("new-format",
    optional(withToken("ID", integer("client-id"))),
    optional(withToken("TYPE", oneOf("client-type", token("NORMAL"), token("MASTER"), token("SLAVE"), token("REPLICA"), token("PUBSUB")))),
    optional(withToken("USER", string("username"))),
    optional(withToken("ADDR", string("ip:port"))),
    optional(withToken("LADDR", string("ip:port"))),
    optional(withToken("SKIPME", oneOf("yes/no", token("YES"), token("NO"))))))],
  access: "none",
  parse: parseKill,
  exec({ server, session }, filter): Reply {
    const tenant = session.principal?.tenant;
    const victims: Session[] = [];
    for (const other of server.sessions()) {
      // Only connections of the caller's own tenant are visible to it.
      if (other.principal?.tenant !== tenant) continue;
      if (filter.skipMe && other === session) continue;
      if (filter.id !== undefined && other.id !== filter.id) continue;
      if (filter.addr !== undefined && other.addr !== filter.addr) continue;
      if (filter.laddr !== undefined && other.laddr !== filter.laddr) continue;
      if (filter.user !== undefined && (other.principal?.user ?? "default") !== filter.user) continue;
      if (filter.onlyNormal === false) continue;
      victims.push(other);
    }
    for (const victim of victims) victim.kill();
    if (filter.legacy) return victims.length > 0 ? OK : NO_SUCH_CLIENT;
    return victims.length;
  },
});

/**
 * CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends the wait of a client blocked in
 * BLPOP, BZPOPMIN...: it then answers as on its timeout, or with an
 * UNBLOCKED error. Only clients of the caller's tenant: another tenant's id
 * answers 0, as an unknown one does.
 */
const clientUnblock = defineCommand({
  name: "unblock", arity: -3, flags: ["admin", "noscript", "loading", "stale"], group: "connection",
  summary: "Ends the wait of a client of the same tenant blocked in a blocking command (BLPOP...), as a timeout or with an error; replies 1 if it was blocked, else 0.",
  since: "5.0.0", complexity: "O(log N) where N is the number of client connections",
  arguments: [integer("client-id"), optional(oneOf("timeout_error", token("TIMEOUT"), token("ERROR")))],
  access: "none",
  parse(argv): { id: bigint; reason: UnblockReason } | ErrorReply {
    if (argv.length > 4) return subcommandSyntax(text(argv[1]!), "client");
    // Redis reads the reason before the id.
    let reason: UnblockReason = "timeout";
    if (argv.length === 4) {
      const given = upper(argv[3]!);
      if (given === "ERROR") reason = "error";
      else if (given !== "TIMEOUT") return CLIENT_UNBLOCK_REASON;
    }
    const id = parseInt64(argv[2]!);
    return id === undefined ? NOT_INTEGER : { id, reason };
  },
  exec({ server, session: caller }, args): Reply {
    const tenant = caller.principal?.tenant;
    for (const session of server.sessions()) {
      // Only connections of the caller's own tenant are visible to it.
      if (session.principal?.tenant !== tenant || BigInt(session.id) !== args.id) continue;
      if (session.wait?.blocked !== true) return 0;
      session.wait.unblock(args.reason);
      return 1;
    }
    return 0;
  },
});

/** Whose clients CLIENT PAUSE and UNPAUSE act on: the operator's, every tenant's; a tenant's, its own. */
function pauseScopeOf(session: Session): PauseScope {
  return session.principal?.operator === true ? "every-tenant" : { tenant: session.keyspace.tenant };
}

/**
 * CLIENT PAUSE timeout [WRITE|ALL]: the commands of the caller's tenant's
 * clients on this server (the operator: every client's), the caller's own
 * included, wait until the pause ends (client_pauses.ts). Pausing holds up
 * the tenant's writers: it needs the write right.
 */
const clientPause = defineCommand({
  name: "pause", arity: -3, flags: ["admin", "noscript", "loading", "stale"], group: "connection",
  summary: "Holds the commands (ALL) or the writes (WRITE) of the clients of the caller's tenant on this server for a time in milliseconds.",
  since: "3.0.0", complexity: "O(1)",
  arguments: [integer("timeout"), optional(oneOf("mode", token("WRITE"), token("ALL")))],
  needsRights: ["write"],
  access: "none",
  parse(argv): { timeoutMs: number; mode: PauseMode } | ErrorReply {
    if (argv.length > 4) return subcommandSyntax(text(argv[1]!), "client");
    // Redis reads the mode before the timeout.
    let mode: PauseMode = "all";
    if (argv.length === 4) {
      const given = upper(argv[3]!);
      if (given === "WRITE") mode = "write";
      else if (given !== "ALL") return CLIENT_PAUSE_MODE;
    }
    const timeout = parseInt64(argv[2]!);
    if (timeout === undefined) return PAUSE_TIMEOUT_NOT_INTEGER;
    if (timeout < 0n) return PAUSE_TIMEOUT_NEGATIVE;
    // Beyond any clock: as good as forever (Redis refuses only what overflows its own clock).
    return { timeoutMs: timeout > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(timeout), mode };
  },
  exec({ server, session }, { timeoutMs, mode }): Reply {
    // A timeout of 0 ends at once, as Redis's (an end time of 0 has passed).
    const endMs = timeoutMs === 0 ? 0 : Math.min(Number.MAX_SAFE_INTEGER, server.clock() + timeoutMs);
    server.pauses.pause(pauseScopeOf(session), mode, endMs);
    return OK;
  },
});

const clientUnpause = defineCommand({
  name: "unpause", arity: 2, flags: ["admin", "noscript", "loading", "stale"], group: "connection",
  summary: "Ends the pause of the caller's tenant's clients (the operator: of every client); the commands it held run.",
  since: "6.2.0", complexity: "O(N) Where N is the number of paused clients",
  needsRights: ["write"],
  access: "none",
  parse: () => undefined,
  exec({ server, session }): Reply {
    server.pauses.unpause(pauseScopeOf(session));
    return OK;
  },
});

/** CLIENT NO-EVICT / NO-TOUCH: accepted; Materia neither evicts clients nor tracks key access times. */
function onOffSwitch(name: string, summary: string, since: string): CommandSpec {
  return defineCommand({
    name, arity: 3, flags: ["admin", "noscript", "loading", "stale"], group: "connection",
    summary, since, complexity: "O(1)",
    arguments: [oneOf("enabled", token("ON"), token("OFF"))],
    access: "none",
    parse(argv) {
      const args = new ArgumentReader(argv, 2);
      args.oneOf("ON", "OFF");
      return args.finish(undefined);
    },
    exec: (): Reply => OK,
  });
}

const clientReply = defineCommand({
  name: "reply", arity: 3, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "OFF stops replies to this connection until ON (whose OK is sent); SKIP drops the next command's reply. Push frames still arrive.",
  since: "3.2.0", complexity: "O(1)",
  arguments: [oneOf("action", token("ON"), token("OFF"), token("SKIP"))],
  access: "none",
  parse(argv) {
    const mode = upper(new ArgumentReader(argv, 2).bytes());
    return mode === "ON" || mode === "OFF" || mode === "SKIP" ? mode : SYNTAX;
  },
  exec({ session }, mode): Reply {
    // SKIP under OFF changes nothing (Redis); the connection silences this command's own reply unless it is ON.
    if (mode === "ON") session.replyMode = "on";
    else if (mode === "OFF") session.replyMode = "off";
    else if (session.replyMode !== "off") session.replyMode = "skip";
    return OK;
  },
});

const clientNoEvict = onOffSwitch("no-evict", "Accepted for compatibility: Materia never evicts client connections.", "7.0.0");
const clientNoTouch = onOffSwitch("no-touch", "Accepted for compatibility: Materia does not track key access times.", "7.2.0");

const CLIENT_HELP = [
  "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CACHING (YES|NO)",
  "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "    * ID <client-id> [<client-id> ...]",
  "      Return clients of specified IDs only.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "SETINFO <option> <value>",
  "    Set client meta attr. Options are:",
  "    * LIB-NAME: the client lib name.",
  "    * LIB-VER: the client lib version.",
  "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
  "         [OPTIN] [OPTOUT] [NOLOOP]",
  "    Control server assisted client side caching.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
  "NO-TOUCH (ON|OFF)",
  "    Will not touch LRU/LFU stats when this mode is on.",
  "HELP",
  "    Prints this help.",
];

const clientHelp = helpSubcommand("client", { group: "connection", since: "5.0.0", lines: CLIENT_HELP });

const client = defineCommand({
  name: "client",
  arity: -2,
  flags: [],
  group: "connection",
  summary: "A container for connection management commands.",
  since: "2.4.0",
  complexity: "Depends on subcommand.",
  // A CLIENT CACHING choice survives every CLIENT subcommand (Redis's resetClient spares its CLIENT command).
  subcommands: [
    clientId, clientGetName, clientSetName, clientSetInfo, clientInfo, clientList, clientKill, clientUnblock, clientPause, clientUnpause, clientNoEvict, clientNoTouch, clientReply,
    clientTracking, clientCaching, clientGetRedir, clientTrackingInfo, clientHelp,
  ].map((sub): CommandSpec => ({ ...sub, keepsCachingChoice: true })),
  access: "none",
  parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

const reset = defineCommand({
  name: "reset",
  allowedWhileSubscribed: true,
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
  runsInsideMulti: true,
  group: "connection",
  summary: "Resets the connection: no transaction or WATCH, RESP2, database 0, no name, and unauthenticated when the server requires auth.",
  since: "6.2.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec({ session, server }): Reply {
    session.multi = undefined;
    unwatch(session, server);
    if (session.subscribed) session.subscriptions.clear();
    server.tracking.disable(session);
    session.replyMode = "on";
    session.protocol = 2;
    session.db = 0;
    session.name = "";
    session.principal = server.auth.required ? undefined : server.auth.anonymous;
    server.monitors.stop(session);
    return RESET;
  },
});

const RESET = new SimpleString("RESET");

export const CONNECTION_COMMANDS: readonly CommandSpec[] = [ping, echo, quit, select, auth, hello, client, reset];
