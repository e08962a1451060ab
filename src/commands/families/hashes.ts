// Hash commands: HSET, HMSET, HSETNX, HGET, HMGET, HDEL, HEXISTS, HLEN, HKEYS,
// HVALS, HGETALL, HINCRBY, HINCRBYFLOAT, HSTRLEN, HRANDFIELD, HSCAN. Also the
// cursor scan shared with SSCAN (collectionScan).
import type { MaybePromise, ReadTxn } from "../../engine/contract.ts";
import { MAX_RANDOM_REPEATS } from "../../model/collections.ts";
import { compileGlob } from "../../model/glob.ts";
import * as hashes from "../../model/hashes.ts";
import { then } from "../../engine/maybe_promise.ts";
import type { Keyspace } from "../../model/keyspace.ts";
import { parseLongDouble } from "../../model/long_double.ts";
import { isStatus, type Status } from "../../model/status.ts";
import { ErrorReply, MapReply, OK, PairsReply, type Reply } from "../../resp/reply.ts";
import { block, integer, key, multiple, optional, pattern, string, token, withToken } from "../arguments.ts";
import { ArgumentReader, clampToSafe, onlyKey } from "../argument_reader.ts";
import { MAX_SCAN_COUNT } from "../../model/limits.ts";
import {
  COUNT_OUT_OF_LONG_RANGE,
  INCREMENT_NAN_OR_INFINITY,
  INVALID_CURSOR,
  NOT_FLOAT,
  SYNTAX,
  tooManyRandomRepeats,
  VALUE_OUT_OF_RANGE,
  WRONGTYPE,
  wrongArity,
} from "../errors.ts";
import { replyOfStatus } from "../reply_of_status.ts";
import { type CommandGroup, type CommandSpec, defineCommand } from "../spec.ts";
import { byteString } from "../../engine/bytes.ts";

/** A model outcome as a reply: statuses become Redis's errors. */
function replyOf<T extends Reply>(result: T | Status): Reply {
  return isStatus(result) ? replyOfStatus(result) : result;
}

const KEY_ONLY = { first: 1, last: 1, step: 1 } as const;

/** field value [field value ...], to the end. */
function readPairs(args: ArgumentReader): hashes.FieldValue[] {
  const pairs: hashes.FieldValue[] = [];
  while (!args.atEnd) pairs.push([args.bytes(), args.bytes()]);
  return pairs;
}

function setCommand(name: "hset" | "hmset") {
  return defineCommand({
    name,
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_ONLY,
    group: "hash",
    summary: name === "hset"
      ? "Sets one or more fields of a hash, creating the hash when missing; returns how many fields are new."
      : "Sets one or more fields of a hash (the older form of HSET); replies OK.",
    since: "2.0.0",
    complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
    arguments: [key("key"), multiple(block("data", string("field"), string("value")))],
    access: "write",
    parse(argv) {
      const args = new ArgumentReader(argv);
      const key = args.key();
      return args.left % 2 !== 0 ? wrongArity(name) : { key, pairs: readPairs(args) };
    },
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
      then(hashes.setFields(tx, ks, args.key, { pairs: args.pairs, nowMs }), (added) => {
        if (isStatus(added)) return replyOfStatus(added);
        return name === "hset" ? added : OK;
      }),
  });
}

/** key field: HGET, HEXISTS, HSTRLEN. */
function parseKeyField(argv: readonly Uint8Array[]): { key: Uint8Array; field: Uint8Array } {
  const args = new ArgumentReader(argv);
  return { key: args.key(), field: args.bytes() };
}

const hsetnx = defineCommand({
  name: "hsetnx",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Sets a field of a hash only when the field does not exist yet; returns 1 when it was set.",
  since: "2.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("field"), string("value")],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { key: args.key(), pairs: readPairs(args) };
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(hashes.setFields(tx, ks, args.key, { pairs: args.pairs, nowMs, onlyIfNew: true }), replyOf),
});

const hget = defineCommand({
  name: "hget",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns the value of a field of a hash, or nil when the field or the key is missing.",
  since: "2.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("field")],
  access: "read",
  parse: parseKeyField,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(hashes.getField(tx, ks, args.key, { field: args.field, nowMs }), (value) => value === "WRONGTYPE" ? WRONGTYPE : (value ?? null)),
});

const hmget = defineCommand({
  name: "hmget",
  arity: -3,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns the values of several fields of a hash, with nil for each missing field.",
  since: "2.0.0",
  complexity: "O(N) where N is the number of fields being requested.",
  arguments: [key("key"), multiple(string("field"))],
  access: "read",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { key: args.key(), fields: args.rest() };
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(hashes.getFields(tx, ks, args.key, { fields: args.fields, nowMs }), replyOf),
});

const hdel = defineCommand({
  name: "hdel",
  arity: -3,
  flags: ["write", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Deletes fields of a hash, and the hash when none is left; returns how many fields existed.",
  since: "2.0.0",
  complexity: "O(N) where N is the number of fields to be removed.",
  arguments: [key("key"), multiple(string("field"))],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { key: args.key(), fields: args.rest() };
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(hashes.deleteFields(tx, ks, args.key, { fields: args.fields, nowMs }), replyOf),
});

const hexists = defineCommand({
  name: "hexists",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Tells whether a field exists in a hash: 1 or 0.",
  since: "2.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("field")],
  access: "read",
  parse: parseKeyField,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(hashes.fieldExists(tx, ks, args.key, { field: args.field, nowMs }), (found) => found === "WRONGTYPE" ? WRONGTYPE : found ? 1 : 0),
});

const hlen = defineCommand({
  name: "hlen",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns the number of fields of a hash; 0 when the key is missing.",
  since: "2.0.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "read",
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, k): MaybePromise<Reply> => then(hashes.hashLength(tx, ks, k, nowMs), replyOf),
});

const hkeys = defineCommand({
  name: "hkeys",
  arity: 2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns every field name of a hash.",
  since: "2.0.0",
  complexity: "O(N) where N is the size of the hash.",
  arguments: [key("key")],
  access: "read",
  longRead: true,
  parse: onlyKey,
  async exec({ tx, ks, nowMs }, k): Promise<Reply> {
    return replyOf(await hashes.getFieldNames(tx, ks, k, nowMs));
  },
});

const hvals = defineCommand({
  name: "hvals",
  arity: 2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns every value of a hash.",
  since: "2.0.0",
  complexity: "O(N) where N is the size of the hash.",
  arguments: [key("key")],
  access: "read",
  longRead: true,
  parse: onlyKey,
  async exec({ tx, ks, nowMs }, k): Promise<Reply> {
    const all = await hashes.getAll(tx, ks, k, nowMs);
    return all === "WRONGTYPE" ? WRONGTYPE : all.map(([, value]) => value);
  },
});

const hgetall = defineCommand({
  name: "hgetall",
  arity: 2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns every field of a hash with its value (a map in RESP3).",
  since: "2.0.0",
  complexity: "O(N) where N is the size of the hash.",
  arguments: [key("key")],
  access: "read",
  longRead: true,
  parse: onlyKey,
  async exec({ tx, ks, nowMs }, k): Promise<Reply> {
    const all = await hashes.getAll(tx, ks, k, nowMs);
    return all === "WRONGTYPE" ? WRONGTYPE : new MapReply(all);
  },
});

const hincrby = defineCommand({
  name: "hincrby",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Adds an integer to the integer in a field of a hash (a missing field counts as 0); returns the new value.",
  since: "2.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("field"), integer("increment")],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return args.finish({ key: args.key(), field: args.bytes(), delta: args.integer() });
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(hashes.incrementField(tx, ks, args.key, { field: args.field, delta: args.delta, nowMs }), replyOf),
});

const hincrbyfloat = defineCommand({
  name: "hincrbyfloat",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Adds a floating-point number to the number in a field of a hash (a missing field counts as 0); returns the new value as text.",
  since: "2.6.0",
  complexity: "O(1)",
  arguments: [key("key"), string("field"), { name: "increment", type: "double" }],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const field = args.bytes();
    const increment = parseLongDouble(args.bytes());
    if (increment === undefined) return NOT_FLOAT;
    // Redis checks the increment alone before it looks at the key.
    if ("infinity" in increment) return INCREMENT_NAN_OR_INFINITY;
    return { key, field, increment };
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(hashes.incrementFieldByFloat(tx, ks, args.key, { field: args.field, increment: args.increment, nowMs }), replyOf),
});

const hstrlen = defineCommand({
  name: "hstrlen",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns the length in bytes of the value of a field of a hash; 0 when missing.",
  since: "3.2.0",
  complexity: "O(1)",
  arguments: [key("key"), string("field")],
  access: "read",
  parse: parseKeyField,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(hashes.fieldLength(tx, ks, args.key, { field: args.field, nowMs }), replyOf),
});

const LONG_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * The count of SRANDMEMBER and HRANDFIELD, with Redis's checks (range
 * -LONG_MAX..LONG_MAX). Callers clamp it past any collection's size.
 */
export function readRandomCount(args: ArgumentReader): bigint {
  const count = args.integer();
  if (count === INT64_MIN) args.fail(COUNT_OUT_OF_LONG_RANGE);
  return count;
}

/** Our cap on repeats (MAX_RANDOM_REPEATS), checked once the key is known to exist, as Redis answers [] for a missing key. */
export function tooManyRepeats(count: number): ErrorReply | undefined {
  return count < -MAX_RANDOM_REPEATS ? tooManyRandomRepeats(MAX_RANDOM_REPEATS) : undefined;
}

interface RandomFieldArgs {
  readonly key: Uint8Array;
  /** Undefined: no count given, reply with one field or nil. */
  readonly count: number | undefined;
  readonly withValues: boolean;
}

const hrandfield = defineCommand({
  name: "hrandfield",
  arity: -2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns random fields of a hash: a positive count gives distinct fields, a negative one allows repeats; WITHVALUES adds the values.",
  since: "6.2.0",
  complexity: "O(N) where N is the number of fields returned",
  arguments: [key("key"), optional(block("options", integer("count"), optional(token("WITHVALUES"))))],
  access: "read",
  parse(argv): RandomFieldArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    if (args.atEnd) return { key, count: undefined, withValues: false };
    const count = readRandomCount(args);
    const withValues = args.token("WITHVALUES");
    if (!args.atEnd) args.fail(SYNTAX);
    // Redis: with values the reply has 2 * |count| items, so |count| must stay within LONG_MAX / 2.
    if (withValues && (count < -(LONG_MAX / 2n) || count > LONG_MAX / 2n)) args.fail(VALUE_OUT_OF_RANGE);
    return args.finish({ key, count: clampToSafe(count), withValues });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const count = args.count ?? 1;
    const refused = tooManyRepeats(count);
    const picked = await hashes.randomFields(tx, ks, args.key, { count: refused ? 0 : count, withValues: args.withValues, nowMs });
    if (picked === "WRONGTYPE") return WRONGTYPE;
    if (args.count === undefined) return picked?.[0]?.[0] ?? null;
    if (picked === undefined) return [];
    if (refused) return refused;
    if (!args.withValues) return picked.map(([field]) => field);
    return new PairsReply(picked);
  },
});

// --- cursor scans (HSCAN here, SSCAN in sets.ts) ---

interface ScanArgs {
  readonly key: Uint8Array;
  readonly cursor: bigint;
  readonly count: number;
  readonly match: ((member: Uint8Array) => boolean) | undefined;
  readonly noValues: boolean;
  /** Redis parses the options only once it has found the key: a missing key answers an empty page even so. */
  readonly optionsError: ErrorReply | undefined;
}

/** key cursor [MATCH pattern] [COUNT count] [NOVALUES]: a bad cursor fails at once, bad options once the key is found. */
function parseScan(argv: readonly Uint8Array[], allowNoValues: boolean): ScanArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  const cursor = args.cursor();
  if (args.error) return args.error;
  let count = 10;
  let match: ScanArgs["match"];
  let noValues = false;
  while (args.hasMore) {
    const option = args.keyword();
    if (option === "COUNT") {
      const n = args.integer();
      if (n < 1n) args.fail(SYNTAX);
      else count = n > BigInt(MAX_SCAN_COUNT) ? MAX_SCAN_COUNT : Number(n);
    } else if (option === "MATCH") {
      const glob = compileGlob(args.bytes());
      match = (member) => glob.matches(member);
    } else if (option === "NOVALUES" && allowNoValues) {
      noValues = true;
    } else args.fail(SYNTAX);
  }
  return { key, cursor, count, match, noValues, optionsError: args.error };
}

export interface ScanPageOf {
  /** Reply items of the page (HSCAN: field, value, ...; SSCAN: members). */
  readonly items: Reply[];
  readonly resumeAfter: Uint8Array | undefined;
}


/**
 * HSCAN and SSCAN: a page is one short read transaction; the cursor is a
 * decimal id for "resume after this member" (server.cursors, like SCAN's),
 * owned by the database and the key. An unknown cursor on an existing key is
 * `ERR invalid cursor` (docs/COMPATIBILITY.md).
 */
export function collectionScan(spec: {
  readonly name: string;
  readonly group: CommandGroup;
  readonly summary: string;
  readonly allowNoValues: boolean;
  readonly page: (
    tx: ReadTxn,
    ks: Keyspace,
    key: Uint8Array,
    page: { readonly after?: Uint8Array; readonly limit: number; readonly match?: (member: Uint8Array) => boolean; readonly noValues: boolean; readonly nowMs: number },
  ) => Promise<ScanPageOf | undefined | "WRONGTYPE">;
}): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -3,
    flags: ["readonly"],
    keys: KEY_ONLY,
    group: spec.group,
    summary: spec.summary,
    since: "2.8.0",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    arguments: [
      key("key"),
      integer("cursor"),
      optional(withToken("MATCH", pattern("pattern"))),
      optional(withToken("COUNT", integer("count"))),
      ...(spec.allowNoValues ? [optional(token("NOVALUES"))] : []),
    ],
    access: "read",
    parse: (argv) => parseScan(argv, spec.allowNoValues),
    async exec({ tx, ks, nowMs, server }, args): Promise<Reply> {
      const owner = { tenant: ks.tenant, scope: `${ks.db}\u0000${spec.name}\u0000${byteString(args.key)}` };
      const after = args.cursor === 0n ? undefined : server.cursors.resolve(owner, args.cursor);
      const page = await spec.page(tx, ks, args.key, { after, limit: args.count, match: args.match, noValues: args.noValues, nowMs });
      if (page === undefined) return ["0", []];
      if (page === "WRONGTYPE") return WRONGTYPE;
      if (args.optionsError) return args.optionsError;
      if (args.cursor !== 0n && after === undefined) return INVALID_CURSOR;
      const next = page.resumeAfter === undefined ? "0" : server.cursors.issue(owner, page.resumeAfter).toString();
      return [next, page.items];
    },
  });
}

const hscan = collectionScan({
  name: "hscan",
  group: "hash",
  summary: "Iterates over the fields and values of a hash with a cursor; start with 0, done when 0 comes back. NOVALUES returns the fields only.",
  allowNoValues: true,
  async page(tx, ks, key, page) {
    const found = await hashes.scanFields(tx, ks, key, page);
    if (found === undefined || found === "WRONGTYPE") return found;
    const items: Reply[] = [];
    for (const [field, value] of found.entries) {
      items.push(field);
      if (!page.noValues) items.push(value);
    }
    return { items, resumeAfter: found.resumeAfter };
  },
});

export const HASH_COMMANDS: readonly CommandSpec[] = [
  setCommand("hset"),
  setCommand("hmset"),
  hsetnx,
  hget,
  hmget,
  hdel,
  hexists,
  hlen,
  hkeys,
  hvals,
  hgetall,
  hincrby,
  hincrbyfloat,
  hstrlen,
  hrandfield,
  hscan,
];
