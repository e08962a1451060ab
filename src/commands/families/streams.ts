// Stream commands: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID and
// XREAD (which may BLOCK: declared with blockingCommand, so it waits through
// the executor's runBlocking as BLPOP does). Consumer groups come later; the
// model keeps what they need (model/stream_layout.ts).
import type { MaybePromise } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import { compareIds, formatId, type StreamId } from "../../model/stream_id.ts";
import * as streams from "../../model/streams.ts";
import type { WaitingAttempt } from "../../core/operation.ts";
import { ErrorReply, MapReply, NullArray, OK, type Reply } from "../../resp/reply.ts";
import { block, integer, key, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { parseInt64, upper } from "../args.ts";
import { ArgumentReader, clampToSafe, onlyKey } from "../argument_reader.ts";
import { blockingCommand, keysToTry, WOULD_BLOCK, type WouldBlock } from "../blocking.ts";
import {
  ENTRIES_ADDED_NEGATIVE,
  NO_SUCH_KEY,
  NOT_INTEGER,
  STREAM_ELEMENTS_TOO_LARGE,
  STREAM_EXHAUSTED,
  STREAM_ID_INVALID,
  SYNTAX,
  WRONGTYPE,
  wrongArity,
  XADD_ID_TOO_SMALL,
  XADD_ID_ZERO,
  XREAD_GREATER_ID,
  XSETID_BELOW_GIVEN_MAX_DELETED,
  XSETID_BELOW_TOP_ITEM,
  XSETID_ENTRIES_ADDED_BELOW_LENGTH,
} from "../errors.ts";
import { type AddOrTrimOptions, parseRangeBound, parseReadArguments, readAddOrTrimOptions, readKeyPositions, readStrictId } from "../stream_arguments.ts";
import { type CommandSpec, defineCommand, type TxContext } from "../spec.ts";

const KEY_ONLY = { first: 1, last: 1, step: 1 } as const;

/** One entry as Redis sends it: [id, [field, value, ...]]. */
function entryReply(entry: streams.StreamEntry): Reply {
  return [formatId(entry.id), entry.fields];
}

/** MAXLEN|MINID [=|~] threshold [LIMIT count], of XADD and XTRIM. */
const trimArgument = block(
  "trim",
  oneOf("strategy", token("MAXLEN"), token("MINID")),
  optional(oneOf("operator", token("="), token("~"))),
  string("threshold"),
  optional(withToken("LIMIT", integer("count"))),
);

// --- XADD ---

interface AddArgs extends AddOrTrimOptions {
  readonly key: Uint8Array;
  readonly fields: Uint8Array[];
}

const ADD_ERRORS: Record<streams.AddError, ErrorReply> = {
  ID_TOO_SMALL: XADD_ID_TOO_SMALL,
  EXHAUSTED: STREAM_EXHAUSTED,
  SEQUENCE_EXHAUSTED: STREAM_ELEMENTS_TOO_LARGE,
};

const xadd = defineCommand({
  name: "xadd",
  arity: -5,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "stream",
  summary: "Appends an entry (field-value pairs) to a stream, creating it unless NOMKSTREAM, and trims it by MAXLEN or MINID if asked; replies the new entry's id.",
  since: "5.0.0",
  complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
  arguments: [
    key("key"),
    optional(token("NOMKSTREAM")),
    optional(trimArgument),
    oneOf("id-selector", token("*"), string("id")),
    multiple(block("data", string("field"), string("value"))),
  ],
  access: "write",
  parse(argv): AddArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const options = readAddOrTrimOptions(args, true);
    if (args.error) return args.error;
    // Redis counts the field-value pairs before it looks at the id's value.
    if (options.id === undefined || args.left < 2 || args.left % 2 !== 0) return wrongArity("xadd");
    if (options.zeroId) return XADD_ID_ZERO;
    return { ...options, key, fields: args.rest() };
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(streams.add(tx, ks, args.key, { id: args.id!, fields: args.fields, noMakeStream: args.noMakeStream, trim: args.trim, nowMs }), (added) => {
      if (added === undefined) return null;
      if (added === "WRONGTYPE") return WRONGTYPE;
      if (typeof added === "string") return ADD_ERRORS[added];
      return formatId(added);
    }),
});

// --- XLEN ---

const xlen = defineCommand({
  name: "xlen",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "stream",
  summary: "Returns the number of entries of a stream; 0 when the key is missing.",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "read",
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, key): MaybePromise<Reply> =>
    then(streams.length(tx, ks, key, nowMs), (length) => (length === "WRONGTYPE" ? WRONGTYPE : length)),
});

// --- XRANGE, XREVRANGE ---

interface RangeArgs {
  readonly key: Uint8Array;
  readonly start: StreamId;
  readonly end: StreamId;
  /** -1: no COUNT; 0 (or negative given): Redis's null array. */
  readonly count: number;
}

function rangeCommand(spec: { name: string; reverse: boolean; summary: string; since: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -4,
    flags: ["readonly"],
    keys: KEY_ONLY,
    group: "stream",
    summary: spec.summary,
    since: spec.since,
    complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
    arguments: spec.reverse
      ? [key("key"), string("end"), string("start"), optional(withToken("COUNT", integer("count")))]
      : [key("key"), string("start"), string("end"), optional(withToken("COUNT", integer("count")))],
    access: "read",
    longRead: true,
    parse(argv): RangeArgs | ErrorReply {
      const start = parseRangeBound(spec.reverse ? argv[3]! : argv[2]!, "start");
      if (start instanceof ErrorReply) return start;
      const end = parseRangeBound(spec.reverse ? argv[2]! : argv[3]!, "end");
      if (end instanceof ErrorReply) return end;
      let count = -1;
      for (let j = 4; j < argv.length; j++) {
        if (upper(argv[j]!) !== "COUNT" || j + 1 >= argv.length) return SYNTAX;
        const n = parseInt64(argv[++j]!);
        if (n === undefined) return NOT_INTEGER;
        count = n < 0n ? 0 : clampToSafe(n);
      }
      return { key: argv[1]!, start, end, count };
    },
    async exec({ tx, ks, nowMs }, args): Promise<Reply> {
      if (args.count === 0) {
        // COUNT 0 still looks at the key: a missing key is an empty array, another type WRONGTYPE, a stream a null array.
        const present = await streams.isPresent(tx, ks, args.key, nowMs);
        return present === "WRONGTYPE" ? WRONGTYPE : present ? NullArray.instance : [];
      }
      const entries = await streams.range(tx, ks, args.key, { start: args.start, end: args.end, count: Math.max(args.count, 0), reverse: spec.reverse, nowMs });
      if (entries === "WRONGTYPE") return WRONGTYPE;
      return entries.map(entryReply);
    },
  });
}

const xrange = rangeCommand({
  name: "xrange",
  reverse: false,
  summary: "Returns the entries of a stream with ids between start and end (`-` and `+` for the ends, `(` for an exclusive bound), oldest first, at most COUNT.",
  since: "5.0.0",
});
const xrevrange = rangeCommand({
  name: "xrevrange",
  reverse: true,
  summary: "Returns the entries of a stream with ids between end and start, newest first (`+` and `-` for the ends, `(` for an exclusive bound), at most COUNT.",
  since: "5.0.0",
});

// --- XDEL ---

const xdel = defineCommand({
  name: "xdel",
  arity: -3,
  flags: ["write", "fast"],
  keys: KEY_ONLY,
  group: "stream",
  summary: "Removes entries from a stream by id; replies how many existed. The stream stays, even empty.",
  since: "5.0.0",
  complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
  arguments: [key("key"), multiple(string("id"))],
  access: "write",
  parse: (argv): { key: Uint8Array; ids: Uint8Array[] } => ({ key: argv[1]!, ids: argv.slice(2) }),
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    // Redis 7.0 looks the key up first (missing: 0, another type: WRONGTYPE), then checks every id before removing any.
    const present = await streams.isPresentForWrite(tx, ks, args.key, nowMs);
    if (present === "WRONGTYPE") return WRONGTYPE;
    if (!present) return 0;
    const reader = new ArgumentReader(args.ids, 0);
    const ids = args.ids.map(() => readStrictId(reader));
    if (reader.error) return reader.error;
    const removed = await streams.deleteEntries(tx, ks, args.key, { ids, nowMs });
    return removed === "WRONGTYPE" ? WRONGTYPE : removed;
  },
});

// --- XTRIM ---

const xtrim = defineCommand({
  name: "xtrim",
  arity: -4,
  flags: ["write"],
  keys: KEY_ONLY,
  group: "stream",
  summary: "Removes the oldest entries of a stream: beyond MAXLEN entries, or below the MINID id; replies how many were removed. `~` with LIMIT bounds the work.",
  since: "5.0.0",
  complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
  arguments: [key("key"), trimArgument],
  access: "write",
  parse(argv): { key: Uint8Array; rule: streams.TrimRule } | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const options = readAddOrTrimOptions(args, false);
    return args.error ?? { key, rule: options.trim! };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const removed = await streams.trim(tx, ks, args.key, { rule: args.rule, nowMs });
    return removed === "WRONGTYPE" ? WRONGTYPE : removed;
  },
});

// --- XSETID ---

interface SetIdArgs {
  readonly key: Uint8Array;
  readonly id: StreamId;
  readonly entriesAdded: bigint | undefined;
  readonly maxDeletedId: StreamId | undefined;
}

const SET_ID_ERRORS: Record<streams.SetIdError, ErrorReply> = {
  NO_SUCH_KEY,
  WRONGTYPE,
  BELOW_TOP_ITEM: XSETID_BELOW_TOP_ITEM,
  ENTRIES_ADDED_BELOW_LENGTH: XSETID_ENTRIES_ADDED_BELOW_LENGTH,
};

const xsetid = defineCommand({
  name: "xsetid",
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "stream",
  summary: "Sets a stream's last id (not below its last entry), and optionally its entries-added count and max deleted id; Redis uses it to replicate streams.",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [
    key("key"),
    string("last-id"),
    optional(withToken("ENTRIESADDED", integer("entries-added"))),
    optional(withToken("MAXDELETEDID", string("max-deleted-id"))),
  ],
  access: "write",
  parse(argv): SetIdArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const id = readStrictId(args);
    let entriesAdded: bigint | undefined;
    let maxDeletedId: StreamId | undefined;
    while (args.hasMore) {
      const more = args.left > 1;
      if (more && args.token("ENTRIESADDED")) {
        entriesAdded = args.integer(NOT_INTEGER);
        if (entriesAdded < 0n) args.fail(ENTRIES_ADDED_NEGATIVE);
      } else if (more && args.token("MAXDELETEDID")) {
        maxDeletedId = readStrictId(args);
        if (args.error === undefined && compareIds(id, maxDeletedId) < 0) args.fail(XSETID_BELOW_GIVEN_MAX_DELETED);
      } else args.fail(SYNTAX);
    }
    return args.finish({ key, id, entriesAdded, maxDeletedId });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const outcome = await streams.setLastId(tx, ks, args.key, { id: args.id, entriesAdded: args.entriesAdded, maxDeletedId: args.maxDeletedId, nowMs });
    return outcome === "OK" ? OK : SET_ID_ERRORS[outcome];
  },
});

// --- XREAD ---

/** The id after which XREAD reads a stream: `$` (its last id when the command first runs) or an id, kept unparsed until Redis would check it. */
type ReadFrom = { readonly kind: "last" } | { readonly kind: "raw"; readonly raw: Uint8Array };

interface ReadArgs {
  readonly keys: Uint8Array[];
  readonly from: ReadFrom[];
  /** 0: no limit. */
  readonly count: number;
  /** Undefined without BLOCK (never waits); 0 waits forever. */
  readonly blockMs: number | undefined;
  /**
   * Where each stream is read from, fixed by the first run (`$` is the last
   * id then): later runs after wake-ups keep them. Set per call: each call
   * parses its own arguments.
   */
  starts?: ReadStart[];
}

function parseRead(argv: readonly Uint8Array[]): ReadArgs | ErrorReply {
  const read = parseReadArguments(argv, false);
  if (read instanceof ErrorReply) return read;
  const from = read.ids.map((raw): ReadFrom => (raw.length === 1 && raw[0] === 0x24 /* $ */ ? { kind: "last" } : { kind: "raw", raw }));
  return { keys: read.keys, from, count: read.count, blockMs: read.blockMs };
}

/** What the first run fixed for one stream: the id it reads after, and the stream's entries-added count then. */
interface ReadStart {
  readonly after: StreamId;
  readonly entriesAdded: bigint;
}

/**
 * The first run: each stream's type, then its id, in argument order, as
 * Redis checks them (a wrong type before a later bad id); `$` becomes the
 * stream's last id, 0-0 when it is missing.
 */
async function resolveStarts(ctx: TxContext, args: ReadArgs): Promise<ReadStart[] | ErrorReply> {
  const starts: ReadStart[] = [];
  for (let i = 0; i < args.keys.length; i++) {
    const position = await streams.position(ctx.tx, ctx.ks, args.keys[i]!, ctx.nowMs);
    if (position === "WRONGTYPE") return WRONGTYPE;
    const from = args.from[i]!;
    if (from.kind === "last") {
      starts.push({ after: position.lastId, entriesAdded: position.entriesAdded });
      continue;
    }
    if (from.raw.length === 1 && from.raw[0] === 0x3e /* > */) return XREAD_GREATER_ID;
    const reader = new ArgumentReader([from.raw], 0);
    const after = readStrictId(reader);
    if (reader.error) return STREAM_ID_INVALID;
    starts.push({ after, entriesAdded: position.entriesAdded });
  }
  return starts;
}

/** RESP2: [[key, entries], ...]; RESP3: a map of key to entries. */
function readReply(ctx: TxContext, served: Array<readonly [Uint8Array, Reply]>): Reply {
  return ctx.session.protocol === 3 ? new MapReply(served) : served.map(([key, entries]) => [key, entries]);
}

/**
 * One run of XREAD. The first serves every stream with entries after its
 * id. A run after a wake-up serves only the first woken stream (Redis
 * answers a woken reader with the key that woke it) that has entries after
 * its id, or that an XADD moved past its id since the first run even if the
 * entry is gone again (Redis then answers an empty list of entries). Writes
 * that add nothing (XDEL, XTRIM, XSETID, another type) leave it waiting, as
 * they do not wake Redis's readers.
 */
async function readStreams(ctx: TxContext, args: ReadArgs, waiting: WaitingAttempt | undefined): Promise<Reply | WouldBlock> {
  const first = waiting === undefined || waiting.attempt === 1 || args.starts === undefined;
  if (first) {
    const resolved = await resolveStarts(ctx, args);
    if (!Array.isArray(resolved)) return resolved;
    args.starts = resolved;
  }
  const starts = args.starts!;
  const served: Array<readonly [Uint8Array, Reply]> = [];
  const order = first ? args.keys.map((key, i) => [key, i] as const) : keysToTry(args.keys, waiting).map((key) => [key, args.keys.indexOf(key)] as const);
  for (const [key, i] of order) {
    const start = starts[i]!;
    const read = await streams.readAfter(ctx.tx, ctx.ks, key, { after: start.after, count: args.count, nowMs: ctx.nowMs });
    if (read === undefined || read === "WRONGTYPE") continue;
    const added = !first && read.position.entriesAdded > start.entriesAdded && compareIds(read.position.lastId, start.after) > 0;
    if (read.entries.length === 0 && !added) continue;
    served.push([key, read.entries.map(entryReply)]);
    if (!first) break;
  }
  return served.length === 0 ? WOULD_BLOCK : readReply(ctx, served);
}

const xread = blockingCommand<ReadArgs>({
  name: "xread",
  arity: -4,
  flags: ["readonly", "blocking", "movablekeys"],
  movableKeys: readKeyPositions,
  group: "stream",
  summary: "Returns the entries of one or more streams with ids above the given ones (`$`: only entries added from now on), at most COUNT per stream; with BLOCK, waits up to that many ms (0: forever) for one.",
  since: "5.0.0",
  complexity: "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
  arguments: [
    optional(withToken("COUNT", integer("count"))),
    optional(withToken("BLOCK", integer("milliseconds"))),
    { ...block("streams", multiple(key("key")), multiple(string("id"))), token: "STREAMS" },
  ],
  access: "read",
  parse: parseRead,
  waits: (args) => args.blockMs !== undefined,
  timeoutMs: (args) => args.blockMs ?? 0,
  waitKeys: (args) => args.keys,
  attempt: readStreams,
  nothingInMulti: NullArray.instance,
});

export const STREAM_COMMANDS: readonly CommandSpec[] = [xadd, xlen, xrange, xrevrange, xdel, xtrim, xsetid, xread];
