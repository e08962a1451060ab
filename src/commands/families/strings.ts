// String commands: GET, SET and their variants (SETNX, SETEX, PSETEX, GETSET,
// GETDEL, GETEX), MGET, MSET, MSETNX, the INCR family and INCRBYFLOAT,
// APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE; and the bitmap commands over
// strings (GETBIT, SETBIT, BITCOUNT, BITPOS, BITOP).
//
// Where Redis checks an argument only after looking the key up (BITCOUNT's
// range, INCRBYFLOAT's increment, GETEX's time), `parse` keeps the error and
// `exec` returns it at Redis's point, so a missing key or WRONGTYPE wins as
// in Redis.
import { onlyKeyAt } from "../key_positions.ts";
import { lookupForWrite, readEachInOrder, removeKey } from "../../model/db.ts";
import { isExpired, KeyType, type Meta } from "../../model/meta.ts";
import type { MaybePromise, Txn } from "../../engine/contract.ts";
import { sequence, then } from "../../engine/maybe_promise.ts";
import type { Keyspace } from "../../model/keyspace.ts";
import * as bitmaps from "../../model/bitmaps.ts";
import * as strings from "../../model/strings.ts";
import { isStatus, type Status } from "../../model/status.ts";
import { ErrorReply, OK, type Reply } from "../../resp/reply.ts";
import { key, double, integer, multiple, oneOf, optional, string, token, unixTime, withToken, block } from "../arguments.ts";
import { allArguments, ArgumentReader, onlyKey } from "../argument_reader.ts";
import {
  BIT_ARGUMENT_INVALID,
  BIT_OFFSET_INVALID,
  BIT_VALUE_INVALID,
  BITOP_NOT_SINGLE_SOURCE,
  DECREMENT_OVERFLOW,
  OFFSET_OUT_OF_RANGE,
  SYNTAX,
  WRONGTYPE,
  wrongArity,
} from "../errors.ts";
import { type ExpireArgument, type ExpireOption, resolveExpireAt } from "../expire_time.ts";
import { replyOfStatus } from "../reply_of_status.ts";
import { defineCommand, type CommandSpec } from "../spec.ts";

const get = defineCommand({
  name: "get",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Returns the string value of a key, or nil when the key does not exist.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "read",
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, k) => then(strings.getString(tx, ks, k, nowMs), (value) => value === "WRONGTYPE" ? WRONGTYPE : (value ?? null)),
});

interface SetArgs {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly condition: "NX" | "XX" | undefined;
  readonly get: boolean;
  readonly keepTtl: boolean;
  readonly expire: ExpireArgument | undefined;
}

function isExpireOption(option: string): option is ExpireOption {
  return option === "EX" || option === "PX" || option === "EXAT" || option === "PXAT";
}

/** SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT time|KEEPTTL]: repeats allowed, conflicts are syntax errors. */
function parseSet(argv: readonly Uint8Array[]): SetArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  const value = args.bytes();
  let condition: "NX" | "XX" | undefined;
  let getOld = false;
  let expiration: ExpireOption | "KEEPTTL" | undefined;
  let time: Uint8Array | undefined;
  while (args.hasMore) {
    const option = args.keyword();
    if (option === "NX" || option === "XX") condition = args.exclusive(condition, option);
    else if (option === "GET") getOld = true;
    else if (option === "KEEPTTL") expiration = args.exclusive(expiration, option);
    else if (isExpireOption(option)) {
      expiration = args.exclusive(expiration, option);
      time = args.bytes();
    } else args.fail(SYNTAX);
  }
  const expire = expiration === undefined || expiration === "KEEPTTL" ? undefined : { option: expiration, raw: time! };
  return args.finish({ key, value, condition, get: getOld, keepTtl: expiration === "KEEPTTL", expire });
}

const set = defineCommand({
  name: "set",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Sets a key to a string value, replacing any value and type; options set an expiry, a condition, or return the old value.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [
    key("key"),
    string("value"),
    optional(oneOf("condition", token("NX"), token("XX"))),
    optional(token("GET")),
    optional(oneOf("expiration", withToken("EX", integer("seconds")), withToken("PX", integer("milliseconds")),
      withToken("EXAT", unixTime("unix-time-seconds")), withToken("PXAT", unixTime("unix-time-milliseconds")), token("KEEPTTL"))),
  ],
  access: "write",
  parse: parseSet,
  exec({ tx, ks, nowMs }, args): MaybePromise<Reply> {
    let expireAt = 0;
    if (args.expire) {
      const resolved = resolveExpireAt(args.expire, { nowMs, commandName: "set" });
      if (resolved instanceof ErrorReply) return resolved;
      expireAt = resolved;
    }
    return then(lookupForWrite(tx, ks, args.key, nowMs), (previous) => {
      // SET ... GET reads the key as GET does: a missing one is a key miss.
      if (args.get && previous === undefined) ks.notify("m", "keymiss", args.key);
      if (!args.get || previous === undefined) return finishSet({ tx, ks, nowMs }, args, { previous, expireAt, oldValue: null });
      // SET ... GET on a non-string fails without writing.
      if (previous.type !== KeyType.String) return WRONGTYPE;
      return then(strings.readValue(tx, ks, args.key, previous), (oldValue) => finishSet({ tx, ks, nowMs }, args, { previous, expireAt, oldValue }));
    });
  },
});

/** SET's write, once the previous value is known. */
function finishSet(
  { tx, ks, nowMs }: { readonly tx: Txn; readonly ks: Keyspace; readonly nowMs: number },
  args: SetArgs,
  found: { readonly previous: Meta | undefined; readonly expireAt: number; readonly oldValue: Uint8Array | null },
): Reply {
  const { previous, oldValue } = found;
  let expireAt = found.expireAt;
  const blocked = (args.condition === "NX" && previous !== undefined) || (args.condition === "XX" && previous === undefined);
  if (!blocked) {
    if (args.keepTtl && previous !== undefined) expireAt = previous.expireAt;
    // An expiry already past (EXAT/PXAT in the past) leaves no key behind, as in Redis. Redis
    // writes the key, then expires it at its first lookup: the same events, `expired` at once.
    if (isExpired(expireAt, nowMs)) {
      if (previous !== undefined) removeKey(tx, ks, args.key, previous);
      else ks.notify("n", "new", args.key);
      strings.notifySet(ks, args.key, expireAt);
      ks.notify("x", "expired", args.key);
    } else {
      strings.writeString(tx, ks, args.key, previous, args.value, { expireAt });
      strings.notifySet(ks, args.key, args.keepTtl ? 0 : expireAt);
    }
  }
  if (args.get) return oldValue;
  return blocked ? null : OK;
}

/** A model outcome as a reply: statuses become Redis's errors. */
function replyOfOutcome(result: number | Uint8Array | Status): Reply {
  return isStatus(result) ? replyOfStatus(result) : result;
}

const mget = defineCommand({
  name: "mget",
  arity: -2,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: -1, step: 1 },
  group: "string",
  summary: "Returns the values of several keys; nil for each key that is missing or not a string.",
  since: "1.0.0",
  complexity: "O(N) where N is the number of keys",
  arguments: [multiple(key("key"))],
  access: "read",
  parse: allArguments,
  exec: ({ tx, ks, nowMs }, keys) =>
    then(readEachInOrder(ks, keys, (view, k) => strings.getString(tx, view, k, nowMs)), (values) => values.map((v) => (v === "WRONGTYPE" || v === undefined ? null : v))),
});

const mset = defineCommand({
  name: "mset",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: -1, step: 2 },
  group: "string",
  summary: "Sets several keys to string values in one atomic step.",
  since: "1.0.1",
  complexity: "O(N) where N is the number of keys",
  arguments: [multiple(block("data", key("key"), string("value")))],
  access: "write",
  parse: (argv) => (argv.length % 2 === 0 ? wrongArity("mset") : argv),
  exec({ tx, ks, nowMs }, argv): MaybePromise<Reply> {
    const pairs: number[] = [];
    for (let i = 1; i < argv.length; i += 2) pairs.push(i);
    return then(sequence(pairs, (i) => strings.setString(tx, ks, argv[i]!, argv[i + 1]!, { expireAt: 0, nowMs })), () => OK);
  },
});

function incrementCommand(spec: {
  name: string;
  arity: number;
  summary: string;
  since: string;
  /** Reads the amount to add, after the key. */
  delta: (args: ArgumentReader) => bigint;
}): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: spec.arity,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: spec.summary,
    since: spec.since,
    complexity: "O(1)",
    arguments: spec.arity === 3 ? [key("key"), integer(spec.name === "incrby" ? "increment" : "decrement")] : [key("key")],
    access: "write",
    parse(argv) {
      const args = new ArgumentReader(argv);
      return args.finish({ key: args.key(), delta: spec.delta(args) });
    },
    exec: ({ tx, ks, nowMs }, args: { key: Uint8Array; delta: bigint }) =>
      then(strings.incrementBy(tx, ks, args.key, { delta: args.delta, nowMs }), (result) => isStatus(result) ? replyOfStatus(result) : result),
  });
}

const INT64_MIN = -9223372036854775808n;

const incr = incrementCommand({ name: "incr", arity: 2, summary: "Adds one to the integer stored at a key (a missing key counts as 0).", since: "1.0.0", delta: () => 1n });
const decr = incrementCommand({ name: "decr", arity: 2, summary: "Subtracts one from the integer stored at a key (a missing key counts as 0).", since: "1.0.0", delta: () => -1n });
const incrby = incrementCommand({
  name: "incrby",
  arity: 3,
  summary: "Adds an integer to the integer stored at a key (a missing key counts as 0).",
  since: "1.0.0",
  delta: (args) => args.integer(),
});
const decrby = incrementCommand({
  name: "decrby",
  arity: 3,
  summary: "Subtracts an integer from the integer stored at a key (a missing key counts as 0).",
  since: "1.0.0",
  delta(args) {
    const value = args.integer();
    // -LLONG_MIN does not fit in int64: Redis has its own text for it.
    if (value === INT64_MIN) args.fail(DECREMENT_OVERFLOW);
    return -value;
  },
});

const append = defineCommand({
  name: "append",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Appends a string to the value of a key, creating it when missing; returns the new length.",
  since: "2.0.0",
  complexity: "O(1), the amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size",
  arguments: [key("key"), string("value")],
  access: "write",
  parse: (argv) => argv,
  exec: ({ tx, ks, nowMs }, argv): MaybePromise<Reply> => then(strings.append(tx, ks, argv[1]!, argv[2]!, nowMs), replyOfOutcome),
});

const strlen = defineCommand({
  name: "strlen",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Returns the length in bytes of a string value; 0 when the key is missing.",
  since: "2.2.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "read",
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, k): MaybePromise<Reply> => then(strings.strlen(tx, ks, k, nowMs), replyOfOutcome),
});

/** GETRANGE and its old name SUBSTR. */
function rangeCommand(spec: { name: string; since: string; summary: string; deprecated?: CommandSpec["deprecated"] }): CommandSpec {
  return defineCommand({
    name: spec.name,
    deprecated: spec.deprecated,
    arity: 4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: spec.summary,
    since: spec.since,
    complexity: "O(N) where N is the length of the returned string",
    arguments: [key("key"), integer("start"), integer("end")],
    access: "read",
    parse(argv) {
      const args = new ArgumentReader(argv);
      return args.finish({ key: args.key(), start: args.clampedInteger(), end: args.clampedInteger() });
    },
    async exec({ tx, ks, nowMs }, args: { key: Uint8Array; start: number; end: number }): Promise<Reply> {
      const result = await strings.getRange(tx, ks, args.key, { start: args.start, end: args.end, nowMs });
      return isStatus(result) ? replyOfStatus(result) : result;
    },
  });
}

const getrange = rangeCommand({
  name: "getrange",
  since: "2.4.0",
  summary: "Returns the bytes of a string between two offsets, both inclusive; negative offsets count from the end.",
});
const substr = rangeCommand({
  name: "substr",
  since: "1.0.0",
  deprecated: { since: "2.0.0", replacedBy: "`GETRANGE`" },
  summary: "Former name of GETRANGE: the bytes of a string between two inclusive offsets.",
});

const setnx = defineCommand({
  name: "setnx",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Sets a key to a string value only when the key does not exist; replies 1 when it was set, else 0.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("value")],
  access: "write",
  parse: (argv) => argv,
  exec: ({ tx, ks, nowMs }, argv): MaybePromise<Reply> => then(strings.setIfMissing(tx, ks, argv[1]!, argv[2]!, nowMs), (set) => set ? 1 : 0),
});

/** SETEX (seconds) and PSETEX (milliseconds): SET with a relative expiry that must be positive. */
function setWithExpiryCommand(spec: { name: string; option: "EX" | "PX"; since: string; summary: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: 4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: spec.summary,
    since: spec.since,
    complexity: "O(1)",
    arguments: [key("key"), integer(spec.option === "EX" ? "seconds" : "milliseconds"), string("value")],
    access: "write",
    parse: (argv) => argv,
    exec({ tx, ks, nowMs }, argv: readonly Uint8Array[]): MaybePromise<Reply> {
      const expireAt = resolveExpireAt({ option: spec.option, raw: argv[2]! }, { nowMs, commandName: spec.name });
      if (expireAt instanceof ErrorReply) return expireAt;
      return then(strings.setString(tx, ks, argv[1]!, argv[3]!, { expireAt, nowMs }), () => OK);
    },
  });
}

const setex = setWithExpiryCommand({
  name: "setex",
  option: "EX",
  since: "2.0.0",
  summary: "Sets a key to a string value that expires after the given number of seconds.",
});
const psetex = setWithExpiryCommand({
  name: "psetex",
  option: "PX",
  since: "2.6.0",
  summary: "Sets a key to a string value that expires after the given number of milliseconds.",
});

const getset = defineCommand({
  name: "getset",
  deprecated: { since: "6.2.0", replacedBy: "`SET` with the `GET` argument" },
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Sets a key to a string value and returns its previous value (nil when missing); the key loses its expiry.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("value")],
  access: "write",
  parse: (argv) => argv,
  exec: ({ tx, ks, nowMs }, argv): MaybePromise<Reply> =>
    then(strings.getAndSet(tx, ks, argv[1]!, argv[2]!, nowMs), (old) => old === "WRONGTYPE" ? WRONGTYPE : (old ?? null)),
});

const getdel = defineCommand({
  name: "getdel",
  arity: 2,
  flags: ["write", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Returns the string value of a key and deletes the key; nil when missing.",
  since: "6.2.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "write",
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, k): MaybePromise<Reply> =>
    then(strings.getAndDelete(tx, ks, k, nowMs), (value) => value === "WRONGTYPE" ? WRONGTYPE : (value ?? null)),
});

type ExpiryChange = { readonly kind: "keep" } | { readonly kind: "persist" } | { readonly kind: "expire"; readonly argument: ExpireArgument };

/** GETEX key [EX|PX|EXAT|PXAT time|PERSIST]: repeating the same option is allowed, another one is a syntax error. */
function parseGetex(argv: readonly Uint8Array[]): { key: Uint8Array; change: ExpiryChange } | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  let expiration: ExpireOption | "PERSIST" | undefined;
  let time: Uint8Array | undefined;
  while (args.hasMore) {
    const option = args.keyword();
    if (option === "PERSIST") expiration = args.exclusive(expiration, option);
    else if (isExpireOption(option)) {
      expiration = args.exclusive(expiration, option);
      time = args.bytes();
    } else args.fail(SYNTAX);
  }
  const change: ExpiryChange = expiration === undefined ? { kind: "keep" }
    : expiration === "PERSIST" ? { kind: "persist" }
    : { kind: "expire", argument: { option: expiration, raw: time! } };
  return args.finish({ key, change });
}

const getex = defineCommand({
  name: "getex",
  arity: -2,
  flags: ["write", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Returns the string value of a key and optionally sets or removes its expiry.",
  since: "6.2.0",
  complexity: "O(1)",
  arguments: [
    key("key"),
    optional(oneOf("expiration", withToken("EX", integer("seconds")), withToken("PX", integer("milliseconds")),
      withToken("EXAT", unixTime("unix-time-seconds")), withToken("PXAT", unixTime("unix-time-milliseconds")), token("PERSIST"))),
  ],
  access: "write",
  parse: parseGetex,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(strings.getForUpdate(tx, ks, args.key, nowMs), (current) => {
      if (current === undefined) return null;
      if (current === "WRONGTYPE") return WRONGTYPE;
      const { change } = args;
      if (change.kind === "expire") {
        // Redis validates the time only once the key is known to be a string.
        const expireAt = resolveExpireAt(change.argument, { nowMs, commandName: "getex" });
        if (expireAt instanceof ErrorReply) return expireAt;
        strings.changeExpiry(tx, ks, args.key, current.meta, { expireAt, nowMs });
      } else if (change.kind === "persist") {
        strings.changeExpiry(tx, ks, args.key, current.meta, { expireAt: 0, nowMs });
      }
      return current.value;
    }),
});

const msetnx = defineCommand({
  name: "msetnx",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: -1, step: 2 },
  group: "string",
  summary: "Sets several keys to string values only when none of them exists, in one atomic step; replies 1 when set, else 0.",
  since: "1.0.1",
  complexity: "O(N) where N is the number of keys to set.",
  arguments: [multiple(block("key_value", key("key"), string("value")))],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    if (args.left % 2 !== 0) return wrongArity("msetnx");
    const pairs: (readonly [Uint8Array, Uint8Array])[] = [];
    while (!args.atEnd) pairs.push([args.key(), args.bytes()]);
    return pairs;
  },
  async exec({ tx, ks, nowMs }, pairs): Promise<Reply> {
    return (await strings.setAllIfNoneExists(tx, ks, pairs, nowMs)) ? 1 : 0;
  },
});

const incrbyfloat = defineCommand({
  name: "incrbyfloat",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Adds a floating-point number to the number stored at a key (a missing key counts as 0) and returns the result as a string.",
  since: "2.6.0",
  complexity: "O(1)",
  arguments: [key("key"), double("increment")],
  access: "write",
  // The increment is checked after the key's type and value, as in Redis.
  parse: (argv) => argv,
  exec: ({ tx, ks, nowMs }, argv): MaybePromise<Reply> => then(strings.incrementByFloat(tx, ks, argv[1]!, { increment: argv[2]!, nowMs }), replyOfOutcome),
});

const setrange = defineCommand({
  name: "setrange",
  arity: 4,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Overwrites part of a string from an offset, padding with zero bytes as needed; returns the new length.",
  since: "2.2.0",
  complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
  arguments: [key("key"), integer("offset"), string("value")],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    const key = args.key();
    // Past the size limit every offset is refused alike, so clamping keeps the behaviour.
    const offset = args.clampedInteger();
    if (offset < 0) args.fail(OFFSET_OUT_OF_RANGE);
    return args.finish({ key, offset, value: args.bytes() });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const result = await strings.setRange(tx, ks, args.key, { offset: args.offset, value: args.value, nowMs });
    return isStatus(result) ? replyOfStatus(result) : result;
  },
});

// Bitmap commands: Redis files them under their own group.
const BITMAP_GROUP = "bitmap";

/** Redis's bit offsets: a non-negative integer whose byte (offset / 8) is below 512 MB. */
const BIT_OFFSETS = { min: 0n, max: BigInt(512 * 1024 * 1024 * 8 - 1) };
const BIT_VALUES = { min: 0n, max: 1n };

const getbit = defineCommand({
  name: "getbit",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: BITMAP_GROUP,
  summary: "Returns the bit at an offset of a string; 0 past its end or when the key is missing.",
  since: "2.2.0",
  complexity: "O(1)",
  arguments: [key("key"), integer("offset")],
  access: "read",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return args.finish({ key: args.key(), offset: args.integerIn(BIT_OFFSETS, BIT_OFFSET_INVALID) });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const bit = await bitmaps.getBit(tx, ks, args.key, { offset: args.offset, nowMs });
    return isStatus(bit) ? replyOfStatus(bit) : bit;
  },
});

const setbit = defineCommand({
  name: "setbit",
  arity: 4,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 1, step: 1 },
  group: BITMAP_GROUP,
  summary: "Sets or clears the bit at an offset of a string, growing it with zero bytes as needed; returns the previous bit.",
  since: "2.2.0",
  complexity: "O(1)",
  arguments: [key("key"), integer("offset"), integer("value")],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return args.finish({
      key: args.key(),
      offset: args.integerIn(BIT_OFFSETS, BIT_OFFSET_INVALID),
      value: args.integerIn(BIT_VALUES, BIT_VALUE_INVALID) as 0 | 1,
    });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const old = await bitmaps.setBit(tx, ks, args.key, { offset: args.offset, value: args.value, nowMs });
    return isStatus(old) ? replyOfStatus(old) : old;
  },
});

/** BITCOUNT's [start end [BYTE|BIT]], after the key: the range, or the error Redis gives once the key is found. */
function parseBitcountRange(args: ArgumentReader): bitmaps.BitRange | undefined | ErrorReply {
  if (args.atEnd) return undefined;
  if (args.left !== 2 && args.left !== 3) return SYNTAX;
  const start = args.clampedInteger();
  const end = args.clampedInteger();
  const unit = args.atEnd ? "BYTE" : args.oneOf("BYTE", "BIT");
  return args.finish({ start, end, unit });
}

const bitcount = defineCommand({
  name: "bitcount",
  arity: -2,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  group: BITMAP_GROUP,
  summary: "Counts the set bits of a string, or of a range of it given in bytes (default) or bits.",
  since: "2.6.0",
  complexity: "O(N)",
  arguments: [
    key("key"),
    optional(block("index", integer("start"), integer("end"), optional(oneOf("index_unit", token("BYTE"), token("BIT"))))),
  ],
  access: "read",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { key: args.key(), range: parseBitcountRange(args) };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    // A missing key counts 0 and a wrong type fails before the range is looked at, as in Redis.
    const meta = await bitmaps.lookupString(tx, ks, args.key, nowMs);
    if (meta === undefined) return 0;
    if (meta === "WRONGTYPE") return WRONGTYPE;
    if (args.range instanceof ErrorReply) return args.range;
    return bitmaps.countBits(tx, ks, args.key, { meta, range: args.range });
  },
});

/** BITPOS's [start [end [BYTE|BIT]]], after the bit: the range, or the error Redis gives once the key is found. */
function parseBitposRange(args: ArgumentReader): bitmaps.BitRange | undefined | ErrorReply {
  if (args.atEnd) return undefined;
  if (args.left > 3) return SYNTAX;
  const start = args.clampedInteger();
  const end = args.optional();
  // Redis reads the unit before the end.
  const unit = args.atEnd ? "BYTE" : args.oneOf("BYTE", "BIT");
  if (end === undefined) return args.finish({ start, unit });
  return args.finish({ start, end: args.clampedInteger(end), unit });
}

const bitpos = defineCommand({
  name: "bitpos",
  arity: -3,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  group: BITMAP_GROUP,
  summary: "Returns the position of the first bit set to 1 or 0 in a string, or in a range of it given in bytes (default) or bits.",
  since: "2.8.7",
  complexity: "O(N)",
  arguments: [
    key("key"),
    integer("bit"),
    optional(block("index", integer("start"),
      optional(block("end_index", integer("end"), optional(oneOf("index_unit", token("BYTE"), token("BIT"))))))),
  ],
  access: "read",
  parse(argv) {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const bit = args.integer();
    if (bit !== 0n && bit !== 1n) args.fail(BIT_ARGUMENT_INVALID);
    if (args.error) return args.error;
    return { key, bit: bit === 1n ? 1 as const : 0 as const, range: parseBitposRange(args) };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    // A missing key is all zeros: the first 0 is at 0, there is no 1.
    const meta = await bitmaps.lookupString(tx, ks, args.key, nowMs);
    if (meta === undefined) return args.bit === 1 ? -1 : 0;
    if (meta === "WRONGTYPE") return WRONGTYPE;
    if (args.range instanceof ErrorReply) return args.range;
    return bitmaps.findBit(tx, ks, args.key, { meta, bit: args.bit, range: args.range });
  },
});

const bitop = defineCommand({
  name: "bitop",
  arity: -4,
  flags: ["write", "denyoom"],
  keys: { first: 2, last: -1, step: 1 },
  writtenKeys: onlyKeyAt(2),
  group: BITMAP_GROUP,
  summary: "Stores the bitwise AND, OR, XOR of several strings, or the NOT of one, in a destination key; returns its length.",
  since: "2.6.0",
  complexity: "O(N)",
  arguments: [
    oneOf("operation", token("AND"), token("OR"), token("XOR"), token("NOT")),
    key("destkey"),
    multiple({ ...key("key"), keySpecIndex: 1 }),
  ],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    const op: bitmaps.BitOperation = args.oneOf("AND", "OR", "XOR", "NOT");
    if (op === "NOT" && args.left !== 2) args.fail(BITOP_NOT_SINGLE_SOURCE);
    return args.finish({ op, dest: args.key(), sources: args.rest() });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const result = await bitmaps.bitOp(tx, ks, { ...args, nowMs });
    return isStatus(result) ? replyOfStatus(result) : result;
  },
});

export const STRING_COMMANDS: readonly CommandSpec[] = [
  get, set, setnx, setex, psetex, getset, getdel, getex, mget, mset, msetnx, incr, decr, incrby, decrby, incrbyfloat,
  append, strlen, getrange, substr, setrange, getbit, setbit, bitcount, bitpos, bitop,
];
