// Consumer groups of streams: XGROUP (CREATE, SETID, DESTROY,
// CREATECONSUMER, DELCONSUMER), XREADGROUP (which may BLOCK, through the
// executor's runBlocking as XREAD does), XACK, XPENDING, XCLAIM, XAUTOCLAIM
// and XINFO. The work is in model/stream_groups.ts; here the arguments are
// read and checked in the order Redis 7.0 checks them (t_stream.c), so that
// the first error a bad call meets is Redis's.
import { compareIds, formatId, MAX_ID, MIN_ID, type StreamId } from "../../model/stream_id.ts";
import * as streams from "../../model/streams.ts";
import * as groups from "../../model/stream_groups.ts";
import type { WaitingAttempt } from "../../core/operation.ts";
import { ErrorReply, MapReply, NullArray, OK, type Reply } from "../../resp/reply.ts";
import { block, integer, key, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { parseInt64, upper } from "../args.ts";
import { ArgumentReader, clampToSafe } from "../argument_reader.ts";
import { blockingCommand, keysToTry, WOULD_BLOCK, type WouldBlock } from "../blocking.ts";
import {
  BUSYGROUP,
  ENTRIES_READ_INVALID,
  NO_SUCH_KEY,
  noSuchGroupForKey,
  noSuchKeyOrGroup,
  noSuchKeyOrGroupInXreadgroup,
  NOT_INTEGER,
  subcommandSyntax,
  SYNTAX,
  WRONGTYPE,
  XAUTOCLAIM_COUNT,
  xclaimInvalid,
  xclaimUnrecognizedOption,
  XGROUP_KEY_REQUIRED,
  XREADGROUP_DOLLAR_ID,
  XREADGROUP_GROUP_GONE,
  XREADGROUP_KEY_GONE,
} from "../errors.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { parseRangeBound, parseReadArguments, readKeyPositions, readLooseId, readStrictId } from "../stream_arguments.ts";
import { type CommandSpec, defineCommand, type TxContext } from "../spec.ts";

const KEY_AT_1 = { first: 1, last: 1, step: 1 } as const;
const KEY_AT_2 = { first: 2, last: 2, step: 1 } as const;

const DOLLAR = 0x24;
const GREATER = 0x3e;
/** A blocked XREADGROUP without COUNT is served at most this many entries per wake-up (Redis's XREAD_BLOCKED_DEFAULT_COUNT). */
const BLOCKED_DEFAULT_COUNT = 1000;

const isByte = (raw: Uint8Array, byte: number): boolean => raw.length === 1 && raw[0] === byte;
const text = (raw: Uint8Array): string => new TextDecoder().decode(raw);

/** One entry as Redis sends it: [id, [field, value, ...]]. */
function entryReply(entry: streams.StreamEntry): Reply {
  return [formatId(entry.id), entry.fields];
}

/** A claimed entry: its id (JUSTID) or the whole entry. */
function claimedReply(claimed: groups.Claimed): Reply {
  return "fields" in claimed ? entryReply(claimed) : formatId(claimed);
}

/** The stream at `key` and its group `name`, for commands that read the key (Redis's lookupKeyRead). */
async function openGroup(ctx: TxContext, key: Uint8Array, name: Uint8Array): Promise<groups.GroupRef | undefined | "WRONGTYPE"> {
  const stream = await streams.openForRead(ctx.tx, ctx.ks, key, ctx.nowMs);
  if (stream === undefined || stream === "WRONGTYPE") return stream;
  return groups.lookupGroup(ctx.tx, stream, name);
}

// --- XGROUP ---

interface GroupArgs {
  /** argv[1] as the client wrote it, for Redis's subcommand syntax error. */
  readonly subcommand: string;
  readonly argc: number;
  readonly key: Uint8Array;
  readonly group: Uint8Array;
  /** argv[4]: the id (CREATE, SETID) or the consumer (CREATECONSUMER, DELCONSUMER). */
  readonly fourth: Uint8Array | undefined;
  readonly makeStream: boolean;
  readonly entriesRead: bigint;
}

/** XGROUP's options after argv[4], read before anything else as Redis reads them: MKSTREAM (CREATE) and ENTRIESREAD (CREATE, SETID). */
function parseGroupArgs(argv: readonly Uint8Array[], options: { readonly create: boolean; readonly setId: boolean }): GroupArgs | ErrorReply {
  const subcommand = text(argv[1]!);
  let makeStream = false;
  let entriesRead = groups.ENTRIES_READ_UNKNOWN;
  for (let i = 5; i < argv.length; i++) {
    const word = upper(argv[i]!);
    if (options.create && word === "MKSTREAM") makeStream = true;
    else if ((options.create || options.setId) && word === "ENTRIESREAD" && i + 1 < argv.length) {
      const value = parseInt64(argv[++i]!);
      if (value === undefined) return NOT_INTEGER;
      if (value < 0n && value !== groups.ENTRIES_READ_UNKNOWN) return ENTRIES_READ_INVALID;
      entriesRead = value;
    } else return subcommandSyntax(subcommand, "xgroup");
  }
  return { subcommand, argc: argv.length, key: argv[2]!, group: argv[3]!, fourth: argv[4], makeStream, entriesRead };
}

/** The stream an XGROUP subcommand works on: missing only with MKSTREAM; an error as Redis checks it. */
async function xgroupStream(ctx: TxContext, args: GroupArgs): Promise<streams.StreamRef | undefined | ErrorReply> {
  const stream = await streams.openForWrite(ctx.tx, ctx.ks, args.key, ctx.nowMs);
  if (stream === "WRONGTYPE") return WRONGTYPE;
  if (stream === undefined && !args.makeStream) return XGROUP_KEY_REQUIRED;
  return stream;
}

/** The group an XGROUP subcommand needs (SETID, CREATECONSUMER, DELCONSUMER), or its error. */
async function xgroupGroup(ctx: TxContext, args: GroupArgs): Promise<groups.GroupRef | ErrorReply> {
  const stream = await xgroupStream(ctx, args);
  if (stream instanceof ErrorReply) return stream;
  const group = await groups.lookupGroup(ctx.tx, stream!, args.group);
  return group ?? noSuchGroupForKey(args.group, args.key);
}

const xgroupCreate = defineCommand({
  name: "create",
  arity: -5,
  flags: ["write", "denyoom"],
  keys: KEY_AT_2,
  group: "stream",
  summary: "Creates a consumer group that reads a stream after an id (`$`: from the stream's last id); MKSTREAM creates an empty stream when the key is missing.",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [
    key("key"),
    string("group"),
    oneOf("id-selector", string("id"), token("$")),
    optional(token("MKSTREAM")),
    optional(withToken("ENTRIESREAD", integer("entries-read"))),
  ],
  access: "write",
  parse: (argv) => parseGroupArgs(argv, { create: true, setId: false }),
  async exec(ctx, args): Promise<Reply> {
    let stream = await xgroupStream(ctx, args);
    if (stream instanceof ErrorReply) return stream;
    if (args.argc > 8) return subcommandSyntax(args.subcommand, "xgroup");
    let lastId: StreamId;
    if (isByte(args.fourth!, DOLLAR)) lastId = stream?.header.lastId ?? MIN_ID;
    else {
      const reader = new ArgumentReader([args.fourth!], 0);
      lastId = readStrictId(reader);
      if (reader.error) return reader.error;
    }
    stream ??= streams.createStream(ctx.tx, ctx.ks, args.key);
    const created = await groups.createGroup(ctx.tx, ctx.ks, stream, { name: args.group, record: { lastId, entriesRead: args.entriesRead } });
    return created ? OK : BUSYGROUP;
  },
});

const xgroupSetId = defineCommand({
  name: "setid",
  arity: -5,
  flags: ["write"],
  keys: KEY_AT_2,
  group: "stream",
  summary: "Sets a consumer group's last delivered id (`$`: the stream's last id) and, with ENTRIESREAD, its read counter.",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("group"), oneOf("id-selector", string("id"), token("$")), optional(withToken("ENTRIESREAD", integer("entries-read")))],
  access: "write",
  parse: (argv) => parseGroupArgs(argv, { create: false, setId: true }),
  async exec(ctx, args): Promise<Reply> {
    const group = await xgroupGroup(ctx, args);
    if (group instanceof ErrorReply) return group;
    if (args.argc !== 5 && args.argc !== 7) return subcommandSyntax(args.subcommand, "xgroup");
    let lastId: StreamId;
    if (isByte(args.fourth!, DOLLAR)) lastId = group.stream.header.lastId;
    else {
      const reader = new ArgumentReader([args.fourth!], 0);
      lastId = readLooseId(reader);
      if (reader.error) return reader.error;
    }
    groups.setGroupPosition(ctx.tx, ctx.ks, group, { lastId, entriesRead: args.entriesRead });
    return OK;
  },
});

const xgroupDestroy = defineCommand({
  name: "destroy",
  arity: 4,
  flags: ["write"],
  keys: KEY_AT_2,
  group: "stream",
  summary: "Destroys a consumer group with its consumers and pending entries; replies 1, or 0 when there was no such group. Consumers blocked on it get NOGROUP.",
  since: "5.0.0",
  complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
  arguments: [key("key"), string("group")],
  access: "write",
  parse: (argv) => parseGroupArgs(argv, { create: false, setId: false }),
  async exec(ctx, args): Promise<Reply> {
    const stream = await xgroupStream(ctx, args);
    if (stream instanceof ErrorReply) return stream;
    return (await groups.destroyGroup(ctx.tx, ctx.ks, stream!, args.group)) ? 1 : 0;
  },
});

const xgroupCreateConsumer = defineCommand({
  name: "createconsumer",
  arity: 5,
  flags: ["write", "denyoom"],
  keys: KEY_AT_2,
  group: "stream",
  summary: "Creates a consumer in a consumer group; replies 1, or 0 when it exists.",
  since: "6.2.0",
  complexity: "O(1)",
  arguments: [key("key"), string("group"), string("consumer")],
  access: "write",
  parse: (argv) => parseGroupArgs(argv, { create: false, setId: false }),
  async exec(ctx, args): Promise<Reply> {
    const group = await xgroupGroup(ctx, args);
    if (group instanceof ErrorReply) return group;
    return (await groups.createConsumer(ctx.tx, ctx.ks, group, args.fourth!, ctx.nowMs)) ? 1 : 0;
  },
});

const xgroupDelConsumer = defineCommand({
  name: "delconsumer",
  arity: 5,
  flags: ["write"],
  keys: KEY_AT_2,
  group: "stream",
  summary: "Deletes a consumer from a consumer group; its pending entries leave the group's pending list. Replies how many it had.",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("group"), string("consumer")],
  access: "write",
  parse: (argv) => parseGroupArgs(argv, { create: false, setId: false }),
  async exec(ctx, args): Promise<Reply> {
    const group = await xgroupGroup(ctx, args);
    if (group instanceof ErrorReply) return group;
    return (await groups.deleteConsumer(ctx.tx, ctx.ks, group, args.fourth!)) ?? 0;
  },
});

const XGROUP_HELP = [
  "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
  "HELP",
  "    Prints this help.",
];

const xgroup = defineCommand({
  name: "xgroup",
  arity: -2,
  flags: [],
  group: "stream",
  summary: "A container for consumer groups commands.",
  since: "5.0.0",
  complexity: "Depends on subcommand.",
  subcommands: [xgroupCreate, xgroupSetId, xgroupDestroy, xgroupCreateConsumer, xgroupDelConsumer, helpSubcommand("xgroup", { group: "stream", since: "5.0.0", lines: XGROUP_HELP })],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

// --- XREADGROUP ---

interface ReadGroupArgs {
  readonly group: Uint8Array;
  readonly consumer: Uint8Array;
  readonly keys: Uint8Array[];
  /** Per stream, as given: `>`, `$` (refused once the key is checked) or an id, parsed when Redis parses it. */
  readonly ids: Uint8Array[];
  /** 0: no limit. */
  readonly count: number;
  readonly blockMs: number | undefined;
  readonly noAck: boolean;
  /**
   * What each stream looked like at the last run that found nothing for it
   * (set per call: each call parses its own arguments): a later run serves a
   * stream only if an XADD or an XGROUP DESTROY came since, the writes that
   * wake Redis's blocked consumers (others, such as XSETID or XGROUP SETID,
   * leave them blocked).
   */
  seen?: StreamMark[];
}

interface StreamMark {
  readonly entriesAdded: bigint;
  readonly groups: number;
}

const markOf = (stream: streams.StreamRef): StreamMark => ({ entriesAdded: stream.header.entriesAdded, groups: stream.header.groups });

function parseReadGroup(argv: readonly Uint8Array[]): ReadGroupArgs | ErrorReply {
  const read = parseReadArguments(argv, true);
  if (read instanceof ErrorReply) return read;
  return { group: read.group!.name, consumer: read.group!.consumer, keys: read.keys, ids: read.ids, count: read.count, blockMs: read.blockMs, noAck: read.noAck };
}

/** RESP2: [[key, entries], ...]; RESP3: a map of key to entries. */
function readReply(ctx: TxContext, served: Array<readonly [Uint8Array, Reply]>): Reply {
  return ctx.session.protocol === 3 ? new MapReply(served) : served.map(([key, entries]) => [key, entries]);
}

type ReadTarget = { readonly key: Uint8Array; readonly group: groups.GroupRef; readonly after: StreamId | ">" };

/** The first run's checks, stream by stream as Redis makes them: the key's type, its group, then its id. */
async function resolveTargets(ctx: TxContext, args: ReadGroupArgs): Promise<ReadTarget[] | ErrorReply> {
  const targets: ReadTarget[] = [];
  for (let i = 0; i < args.keys.length; i++) {
    const key = args.keys[i]!;
    const group = await openGroup(ctx, key, args.group);
    if (group === "WRONGTYPE") return WRONGTYPE;
    if (group === undefined) return noSuchKeyOrGroupInXreadgroup(key, args.group);
    const raw = args.ids[i]!;
    if (isByte(raw, DOLLAR)) return XREADGROUP_DOLLAR_ID;
    if (isByte(raw, GREATER)) {
      targets.push({ key, group, after: ">" });
      continue;
    }
    const reader = new ArgumentReader([raw], 0);
    const after = readStrictId(reader);
    if (reader.error) return reader.error;
    // Redis stands for `>` with the greatest id, so that id given explicitly reads new entries too.
    targets.push({ key, group, after: compareIds(after, MAX_ID) === 0 ? ">" : after });
  }
  return targets;
}

function historyReply(entries: readonly groups.HistoryEntry[]): Reply {
  return entries.map((entry) => [formatId(entry.id), entry.fields ?? NullArray.instance]);
}

/**
 * One run of XREADGROUP. The first serves each stream read by id (the
 * consumer's own history, always) and each stream read with `>` that has
 * entries after the group's last id. A run after a wake-up serves the first
 * woken stream whose last id is past the group's (possibly with no entries,
 * when they were deleted meanwhile, as Redis answers); a stream or group gone
 * meanwhile ends the wait with Redis's UNBLOCKED or NOGROUP error.
 */
async function readGroup(ctx: TxContext, args: ReadGroupArgs, waiting: WaitingAttempt | undefined): Promise<Reply | WouldBlock> {
  const first = waiting === undefined || waiting.attempt === 1;
  if (first) {
    const targets = await resolveTargets(ctx, args);
    if (!Array.isArray(targets)) return targets;
    const served: Array<readonly [Uint8Array, Reply]> = [];
    for (const target of targets) {
      // Read again: a stream named twice has had entries delivered by its first mention.
      const group = (await groups.lookupGroup(ctx.tx, target.group.stream, args.group))!;
      if (target.after !== ">") {
        await groups.touchConsumer(ctx.tx, ctx.ks, group, args.consumer, ctx.nowMs);
        const history = await groups.deliverHistory(ctx.tx, group, { consumer: args.consumer, after: target.after, count: args.count, nowMs: ctx.nowMs });
        served.push([target.key, historyReply(history)]);
        continue;
      }
      const entries = await groups.deliverNew(ctx.tx, group, { consumer: args.consumer, count: args.count, noAck: args.noAck, nowMs: ctx.nowMs });
      if (entries.length === 0) continue;
      await groups.touchConsumer(ctx.tx, ctx.ks, group, args.consumer, ctx.nowMs);
      served.push([target.key, entries.map(entryReply)]);
    }
    if (served.length > 0) return readReply(ctx, served);
    args.seen = targets.map((target) => markOf(target.group.stream));
    return WOULD_BLOCK;
  }
  // Marks change only when this run ends blocked: a run that serves and is retried (a conflict) must see the same wake again.
  const seenNow = args.seen === undefined ? undefined : [...args.seen];
  for (const key of keysToTry(args.keys, waiting)) {
    const stream = await streams.openForRead(ctx.tx, ctx.ks, key, ctx.nowMs);
    if (stream === undefined || stream === "WRONGTYPE") return XREADGROUP_KEY_GONE;
    const group = await groups.lookupGroup(ctx.tx, stream, args.group);
    if (group === undefined) return XREADGROUP_GROUP_GONE;
    const i = args.keys.indexOf(key);
    const seen = seenNow?.[i];
    const mark = markOf(stream);
    // Only an XADD (entries added) or a destroyed group wakes a consumer in Redis; either way it is served if the stream is past the group.
    if (seen !== undefined && mark.entriesAdded === seen.entriesAdded && mark.groups >= seen.groups) continue;
    if (seenNow !== undefined) seenNow[i] = mark;
    if (compareIds(stream.header.lastId, group.record.lastId) <= 0) continue;
    await groups.touchConsumer(ctx.tx, ctx.ks, group, args.consumer, ctx.nowMs);
    const count = args.count === 0 ? BLOCKED_DEFAULT_COUNT : args.count;
    const entries = await groups.deliverNew(ctx.tx, group, { consumer: args.consumer, count, noAck: args.noAck, nowMs: ctx.nowMs });
    return readReply(ctx, [[key, entries.map(entryReply)]]);
  }
  args.seen = seenNow;
  return WOULD_BLOCK;
}

const xreadgroup = blockingCommand<ReadGroupArgs>({
  name: "xreadgroup",
  arity: -7,
  flags: ["write", "blocking", "movablekeys"],
  movableKeys: readKeyPositions,
  group: "stream",
  summary: "Reads streams as a consumer of a group: `>` delivers entries no consumer of the group was given (they become pending until XACK, unless NOACK); an id replays the consumer's own pending entries after it. With BLOCK, waits up to that many ms (0: forever) for new entries.",
  since: "5.0.0",
  complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
  arguments: [
    { ...block("group-block", string("group"), string("consumer")), token: "GROUP" },
    optional(withToken("COUNT", integer("count"))),
    optional(withToken("BLOCK", integer("milliseconds"))),
    optional(token("NOACK")),
    { ...block("streams", multiple(key("key")), multiple(string("id"))), token: "STREAMS" },
  ],
  parse: parseReadGroup,
  waits: (args) => args.blockMs !== undefined,
  timeoutMs: (args) => args.blockMs ?? 0,
  waitKeys: (args) => args.keys,
  attempt: readGroup,
  nothingInMulti: NullArray.instance,
});

// --- XACK ---

const xack = defineCommand({
  name: "xack",
  arity: -4,
  flags: ["write", "fast"],
  keys: KEY_AT_1,
  group: "stream",
  summary: "Acknowledges entries of a consumer group: they leave its pending entries list. Replies how many were pending.",
  since: "5.0.0",
  complexity: "O(1) for each message ID processed.",
  arguments: [key("key"), string("group"), multiple(string("id"))],
  access: "write",
  parse: (argv): readonly Uint8Array[] => argv,
  async exec(ctx, argv): Promise<Reply> {
    const group = await openGroup(ctx, argv[1]!, argv[2]!);
    if (group === "WRONGTYPE") return WRONGTYPE;
    if (group === undefined) return 0;
    // Every id is checked before any is acknowledged: the reply cannot be an error once some were.
    const reader = new ArgumentReader(argv, 3);
    const ids: StreamId[] = [];
    while (reader.hasMore && reader.error === undefined) ids.push(readStrictId(reader));
    if (reader.error) return reader.error;
    return groups.acknowledge(ctx.tx, group, ids);
  },
});

// --- XPENDING ---

interface PendingArgs {
  readonly key: Uint8Array;
  readonly group: Uint8Array;
  /** Undefined: the summary form. */
  readonly range?: { readonly start: StreamId; readonly end: StreamId; readonly count: number; readonly minIdleMs: number; readonly consumer: Uint8Array | undefined };
}

function parsePending(argv: readonly Uint8Array[]): PendingArgs | ErrorReply {
  const base = { key: argv[1]!, group: argv[2]! };
  if (argv.length === 3) return base;
  if (argv.length < 6 || argv.length > 9) return SYNTAX;
  let at = 3;
  let minIdle = 0n;
  if (upper(argv[3]!) === "IDLE") {
    const idle = parseInt64(argv[4]!);
    if (idle === undefined) return NOT_INTEGER;
    if (argv.length < 8) return SYNTAX;
    minIdle = idle;
    at += 2;
  }
  const count = parseInt64(argv[at + 2]!);
  if (count === undefined) return NOT_INTEGER;
  const start = parseRangeBound(argv[at]!, "start");
  if (start instanceof ErrorReply) return start;
  const end = parseRangeBound(argv[at + 1]!, "end");
  if (end instanceof ErrorReply) return end;
  return {
    ...base,
    range: { start, end, count: count < 0n ? 0 : clampToSafe(count), minIdleMs: clampToSafe(minIdle < 0n ? 0n : minIdle), consumer: argv[at + 3] },
  };
}

const xpending = defineCommand({
  name: "xpending",
  arity: -3,
  flags: ["readonly"],
  keys: KEY_AT_1,
  group: "stream",
  summary: "Shows a consumer group's pending entries: a summary (count, smallest and greatest id, count per consumer), or with start, end and count the entries themselves with their consumer, idle time and delivery count (IDLE: only those idle that long; a consumer: only its own).",
  since: "5.0.0",
  complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
  arguments: [
    key("key"),
    string("group"),
    optional(block("filters", optional(withToken("IDLE", integer("min-idle-time"))), string("start"), string("end"), integer("count"), optional(string("consumer")))),
  ],
  access: "read",
  parse: parsePending,
  async exec(ctx, args): Promise<Reply> {
    const group = await openGroup(ctx, args.key, args.group);
    if (group === "WRONGTYPE") return WRONGTYPE;
    if (group === undefined) return noSuchKeyOrGroup(args.key, args.group);
    const range = args.range;
    if (range === undefined) {
      const summary = await groups.pendingSummary(ctx.tx, group);
      if (summary.count === 0) return [0, null, null, NullArray.instance];
      return [summary.count, formatId(summary.first!), formatId(summary.last!), summary.consumers.map(([name, n]) => [name, String(n)])];
    }
    if (range.consumer !== undefined && !(await groups.hasConsumer(ctx.tx, group, range.consumer))) return [];
    const rows = await groups.pendingEntries(ctx.tx, group, { ...range, nowMs: ctx.nowMs });
    return rows.map(({ id, nack }) => [formatId(id), nack.consumer, Math.max(0, ctx.nowMs - nack.deliveredMs), nack.deliveries]);
  },
});

// --- XCLAIM ---

const xclaim = defineCommand({
  name: "xclaim",
  arity: -6,
  flags: ["write", "fast"],
  keys: KEY_AT_1,
  group: "stream",
  summary: "Gives pending entries of a consumer group to a consumer when they have been idle at least min-idle-time ms; IDLE or TIME set their delivery time, RETRYCOUNT their delivery count, FORCE claims entries not pending, JUSTID replies ids only, LASTID moves the group's last id up.",
  since: "5.0.0",
  complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
  arguments: [
    key("key"),
    string("group"),
    string("consumer"),
    integer("min-idle-time"),
    multiple(string("id")),
    optional(withToken("IDLE", integer("ms"))),
    optional(withToken("TIME", integer("unix-time-milliseconds"))),
    optional(withToken("RETRYCOUNT", integer("count"))),
    optional(token("FORCE")),
    optional(token("JUSTID")),
    optional(withToken("LASTID", string("lastid"))),
  ],
  access: "write",
  parse: (argv): readonly Uint8Array[] => argv,
  async exec(ctx, argv): Promise<Reply> {
    let group = await openGroup(ctx, argv[1]!, argv[2]!);
    if (group === "WRONGTYPE") return WRONGTYPE;
    if (group === undefined) return noSuchKeyOrGroup(argv[1]!, argv[2]!);
    const minIdle = parseInt64(argv[4]!);
    if (minIdle === undefined) return xclaimInvalid("min-idle-time", "XCLAIM");
    // Ids until the first argument that is none; the options follow.
    const ids: StreamId[] = [];
    let j = 5;
    for (; j < argv.length; j++) {
      const reader = new ArgumentReader([argv[j]!], 0);
      const id = readStrictId(reader);
      if (reader.error) break;
      ids.push(id);
    }
    const now = ctx.nowMs;
    let deliveredMs: number | undefined;
    let retryCount: bigint | undefined;
    let force = false;
    let justId = false;
    let lastId = MIN_ID;
    for (; j < argv.length; j++) {
      const option = upper(argv[j]!);
      const more = j < argv.length - 1;
      if (option === "FORCE") force = true;
      else if (option === "JUSTID") justId = true;
      else if (option === "IDLE" && more) {
        const idle = parseInt64(argv[++j]!);
        if (idle === undefined) return xclaimInvalid("IDLE option", "XCLAIM");
        deliveredMs = now - Number(idle);
      } else if (option === "TIME" && more) {
        const time = parseInt64(argv[++j]!);
        if (time === undefined) return xclaimInvalid("TIME option", "XCLAIM");
        deliveredMs = Number(time);
      } else if (option === "RETRYCOUNT" && more) {
        const count = parseInt64(argv[++j]!);
        if (count === undefined) return xclaimInvalid("RETRYCOUNT option", "XCLAIM");
        retryCount = count >= 0n ? count : undefined;
      } else if (option === "LASTID" && more) {
        const reader = new ArgumentReader([argv[++j]!], 0);
        lastId = readStrictId(reader);
        if (reader.error) return reader.error;
      } else return xclaimUnrecognizedOption(argv[j]!);
    }
    group = groups.raiseLastId(ctx.tx, group, lastId);
    // A delivery time in the future or before the epoch is taken as now, as Redis does rather than fail a client whose clock is ahead.
    if (deliveredMs === undefined || deliveredMs < 0 || deliveredMs > now) deliveredMs = now;
    const claimed = await groups.claim(ctx.tx, ctx.ks, group, ids, {
      consumer: argv[3]!,
      minIdleMs: minIdle < 0n ? 0 : clampToSafe(minIdle),
      deliveredMs,
      retryCount,
      force,
      justId,
      nowMs: now,
    });
    return claimed.map(claimedReply);
  },
});

// --- XAUTOCLAIM ---

interface AutoClaimArgs {
  readonly key: Uint8Array;
  readonly group: Uint8Array;
  readonly consumer: Uint8Array;
  readonly minIdleMs: number;
  readonly start: StreamId;
  readonly count: number;
  readonly justId: boolean;
}

/** Redis's bound on COUNT: LONG_MAX / 16 (the larger of an id's size and the attempts factor), so its buffers cannot overflow. */
const AUTOCLAIM_MAX_COUNT = 576460752303423487n;

function parseAutoClaim(argv: readonly Uint8Array[]): AutoClaimArgs | ErrorReply {
  const minIdle = parseInt64(argv[4]!);
  if (minIdle === undefined) return xclaimInvalid("min-idle-time", "XAUTOCLAIM");
  const start = parseRangeBound(argv[5]!, "start");
  if (start instanceof ErrorReply) return start;
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const option = upper(argv[j]!);
    if (option === "COUNT" && j < argv.length - 1) {
      const n = parseInt64(argv[++j]!);
      if (n === undefined || n < 1n || n > AUTOCLAIM_MAX_COUNT) return XAUTOCLAIM_COUNT;
      count = clampToSafe(n);
    } else if (option === "JUSTID") justId = true;
    else return SYNTAX;
  }
  return { key: argv[1]!, group: argv[2]!, consumer: argv[3]!, minIdleMs: minIdle < 0n ? 0 : clampToSafe(minIdle), start, count, justId };
}

const xautoclaim = defineCommand({
  name: "xautoclaim",
  arity: -6,
  flags: ["write", "fast"],
  keys: KEY_AT_1,
  group: "stream",
  summary: "Walks a consumer group's pending entries from start and gives those idle at least min-idle-time ms to a consumer, up to COUNT (100); replies the cursor to continue from (0-0: done), the entries claimed, and the ids of pending entries that had left the stream (now removed).",
  since: "6.2.0",
  complexity: "O(1) if COUNT is small.",
  arguments: [key("key"), string("group"), string("consumer"), integer("min-idle-time"), string("start"), optional(withToken("COUNT", integer("count"))), optional(token("JUSTID"))],
  access: "write",
  parse: parseAutoClaim,
  async exec(ctx, args): Promise<Reply> {
    const group = await openGroup(ctx, args.key, args.group);
    if (group === "WRONGTYPE") return WRONGTYPE;
    if (group === undefined) return noSuchKeyOrGroup(args.key, args.group);
    const result = await groups.autoClaim(ctx.tx, ctx.ks, group, { ...args, nowMs: ctx.nowMs });
    return [formatId(result.cursor), result.claimed.map(claimedReply), result.deleted.map(formatId)];
  },
});

// --- XINFO ---

/** The stream an XINFO subcommand describes: `ERR no such key` when missing, as Redis's lookupKeyReadOrReply. */
async function xinfoStream(ctx: TxContext, key: Uint8Array): Promise<streams.StreamRef | ErrorReply> {
  const stream = await streams.openForRead(ctx.tx, ctx.ks, key, ctx.nowMs);
  if (stream === undefined) return NO_SUCH_KEY;
  if (stream === "WRONGTYPE") return WRONGTYPE;
  return stream;
}

const lagReply = (stream: streams.StreamRef, record: groups.GroupRecord): Reply => groups.lagOf(stream.header, record) ?? null;
const entriesReadReply = (record: groups.GroupRecord): Reply => (record.entriesRead === groups.ENTRIES_READ_UNKNOWN ? null : record.entriesRead);

/**
 * What XINFO STREAM reports of Redis's radix tree of listpacks, which
 * Materia does not have: the figures Redis gives for the same number of
 * entries in nodes of 100 (stream-node-max-entries), exact for streams of
 * one node, an estimate beyond (docs/COMPATIBILITY.md).
 */
function radixTreeFigures(length: number): { keys: number; nodes: number } {
  const keys = Math.ceil(length / 100);
  return { keys, nodes: keys + 1 };
}

function streamHeaderFields(stream: streams.StreamRef): Array<readonly [Reply, Reply]> {
  const header = stream.header;
  const tree = radixTreeFigures(header.length);
  return [
    ["length", header.length],
    ["radix-tree-keys", tree.keys],
    ["radix-tree-nodes", tree.nodes],
    ["last-generated-id", formatId(header.lastId)],
    ["max-deleted-entry-id", formatId(header.maxDeletedId)],
    ["entries-added", header.entriesAdded],
    ["recorded-first-entry-id", formatId(header.firstId)],
  ];
}

async function streamInfo(ctx: TxContext, stream: streams.StreamRef): Promise<Reply> {
  const edge = async (reverse: boolean): Promise<Reply> => {
    const [entry] = await streams.readRange(ctx.tx, stream, { start: MIN_ID, end: MAX_ID, count: 1, reverse });
    return entry === undefined ? null : entryReply(entry);
  };
  return new MapReply([...streamHeaderFields(stream), ["groups", stream.header.groups], ["first-entry", await edge(false)], ["last-entry", await edge(true)]]);
}

async function fullStreamInfo(ctx: TxContext, stream: streams.StreamRef, count: number): Promise<Reply> {
  const entries = await streams.readRange(ctx.tx, stream, { start: MIN_ID, end: MAX_ID, count, reverse: false });
  const groupReplies: Reply[] = [];
  for (const info of await groups.listGroups(ctx.tx, stream)) {
    const group = groups.groupRefOf(stream, info);
    const pending = await groups.pendingEntries(ctx.tx, group, { start: MIN_ID, end: MAX_ID, count: count === 0 ? Number.MAX_SAFE_INTEGER : count, minIdleMs: 0, consumer: undefined, nowMs: ctx.nowMs });
    const consumers: Reply[] = [];
    for (const consumer of await groups.listConsumers(ctx.tx, group)) {
      const own = await groups.consumerPendingEntries(ctx.tx, group, consumer.name, count);
      consumers.push(new MapReply([
        ["name", consumer.name],
        ["seen-time", consumer.seenMs],
        ["pel-count", consumer.pending],
        ["pending", own.map(({ id, nack }) => [formatId(id), nack.deliveredMs, nack.deliveries])],
      ]));
    }
    groupReplies.push(new MapReply([
      ["name", info.name],
      ["last-delivered-id", formatId(info.record.lastId)],
      ["entries-read", entriesReadReply(info.record)],
      ["lag", lagReply(stream, info.record)],
      ["pel-count", info.pending],
      ["pending", pending.map(({ id, nack }) => [formatId(id), nack.consumer, nack.deliveredMs, nack.deliveries])],
      ["consumers", consumers],
    ]));
  }
  return new MapReply([...streamHeaderFields(stream), ["entries", entries.map(entryReply)], ["groups", groupReplies]]);
}

const xinfoStreamCommand = defineCommand({
  name: "stream",
  arity: -3,
  flags: ["readonly"],
  keys: KEY_AT_2,
  group: "stream",
  summary: "Describes a stream: length, ids, counters, groups, first and last entries; FULL lists entries, groups, pending entries and consumers (COUNT of each, 10 by default, 0: all).",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [key("key"), optional(block("full-block", token("FULL"), optional(withToken("COUNT", integer("count")))))],
  access: "read",
  longRead: true,
  parse: (argv): readonly Uint8Array[] => argv,
  async exec(ctx, argv): Promise<Reply> {
    const stream = await xinfoStream(ctx, argv[2]!);
    if (stream instanceof ErrorReply) return stream;
    const options = argv.length - 3;
    if (options === 0) return streamInfo(ctx, stream);
    const syntax = subcommandSyntax(text(argv[1]!), "xinfo");
    if ((options !== 1 && options !== 3) || upper(argv[3]!) !== "FULL") return syntax;
    let count = 10;
    if (options === 3) {
      if (upper(argv[4]!) !== "COUNT") return syntax;
      const n = parseInt64(argv[5]!);
      if (n === undefined) return NOT_INTEGER;
      count = n < 0n ? 10 : clampToSafe(n);
    }
    return fullStreamInfo(ctx, stream, count);
  },
});

const xinfoGroups = defineCommand({
  name: "groups",
  arity: 3,
  flags: ["readonly"],
  keys: KEY_AT_2,
  group: "stream",
  summary: "Lists a stream's consumer groups: name, consumers, pending entries, last delivered id, entries read and lag.",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "read",
  parse: (argv): Uint8Array => argv[2]!,
  async exec(ctx, key): Promise<Reply> {
    const stream = await xinfoStream(ctx, key);
    if (stream instanceof ErrorReply) return stream;
    return (await groups.listGroups(ctx.tx, stream)).map((info) => new MapReply([
      ["name", info.name],
      ["consumers", info.consumers],
      ["pending", info.pending],
      ["last-delivered-id", formatId(info.record.lastId)],
      ["entries-read", entriesReadReply(info.record)],
      ["lag", lagReply(stream, info.record)],
    ]));
  },
});

const xinfoConsumers = defineCommand({
  name: "consumers",
  arity: 4,
  flags: ["readonly"],
  keys: KEY_AT_2,
  group: "stream",
  summary: "Lists the consumers of a consumer group: name, pending entries, and ms since it last read or claimed.",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("group")],
  access: "read",
  parse: (argv): readonly Uint8Array[] => argv,
  async exec(ctx, argv): Promise<Reply> {
    const stream = await xinfoStream(ctx, argv[2]!);
    if (stream instanceof ErrorReply) return stream;
    const group = await groups.lookupGroup(ctx.tx, stream, argv[3]!);
    if (group === undefined) return noSuchGroupForKey(argv[3]!, argv[2]!);
    return (await groups.listConsumers(ctx.tx, group)).map((consumer) => new MapReply([
      ["name", consumer.name],
      ["pending", consumer.pending],
      ["idle", Math.max(0, ctx.nowMs - consumer.seenMs)],
    ]));
  },
});

const XINFO_HELP = [
  "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
  "HELP",
  "    Prints this help.",
];

const xinfo = defineCommand({
  name: "xinfo",
  arity: -2,
  flags: [],
  group: "stream",
  summary: "A container for stream introspection commands.",
  since: "5.0.0",
  complexity: "Depends on subcommand.",
  subcommands: [xinfoConsumers, xinfoGroups, xinfoStreamCommand, helpSubcommand("xinfo", { group: "stream", since: "5.0.0", lines: XINFO_HELP })],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

export const STREAM_GROUP_COMMANDS: readonly CommandSpec[] = [xgroup, xreadgroup, xack, xpending, xclaim, xautoclaim, xinfo];
