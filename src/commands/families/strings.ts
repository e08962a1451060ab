// String commands of this slice: GET, SET, MGET, MSET, the INCR family,
// APPEND, STRLEN, GETRANGE.
import { lookupForWrite, removeKey } from "../../model/db.ts";
import { isExpired, KeyType } from "../../model/meta.ts";
import * as strings from "../../model/strings.ts";
import { isStatus } from "../../model/status.ts";
import { ErrorReply, OK, type Reply } from "../../resp/reply.ts";
import { key, integer, multiple, oneOf, optional, string, token, unixTime, withToken, block } from "../arguments.ts";
import { parseInt64, parseClampedInteger, upper } from "../args.ts";
import { DECREMENT_OVERFLOW, NOT_INTEGER, SYNTAX, WRONGTYPE, wrongArity } from "../errors.ts";
import { type ExpireArgument, resolveExpireAt } from "../expire_time.ts";
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
  parse: (argv) => argv[1]!,
  async exec({ tx, ks, nowMs }, k): Promise<Reply> {
    const value = await strings.getString(tx, ks, k, nowMs);
    return value === "WRONGTYPE" ? WRONGTYPE : (value ?? null);
  },
});

interface SetArgs {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly condition: "NX" | "XX" | undefined;
  readonly get: boolean;
  readonly keepTtl: boolean;
  readonly expire: ExpireArgument | undefined;
}

/** SET's options, with Redis's rules: repeats allowed, conflicts are syntax errors. */
function parseSet(argv: readonly Uint8Array[]): SetArgs | ErrorReply {
  let condition: "NX" | "XX" | undefined;
  let getOld = false;
  let keepTtl = false;
  let expire: ExpireArgument | undefined;
  for (let i = 3; i < argv.length; i++) {
    const option = upper(argv[i]!);
    const next = argv[i + 1];
    if (option === "NX" && condition !== "XX") condition = "NX";
    else if (option === "XX" && condition !== "NX") condition = "XX";
    else if (option === "GET") getOld = true;
    else if (option === "KEEPTTL" && expire === undefined) keepTtl = true;
    else if ((option === "EX" || option === "PX" || option === "EXAT" || option === "PXAT") && !keepTtl && next !== undefined &&
      (expire === undefined || expire.option === option)) {
      expire = { option, raw: next };
      i++;
    } else return SYNTAX;
  }
  return { key: argv[1]!, value: argv[2]!, condition, get: getOld, keepTtl, expire };
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
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    let expireAt = 0;
    if (args.expire) {
      const resolved = resolveExpireAt(args.expire, { nowMs, commandName: "set" });
      if (resolved instanceof ErrorReply) return resolved;
      expireAt = resolved;
    }
    const previous = await lookupForWrite(tx, ks, args.key, nowMs);
    let oldValue: Uint8Array | null = null;
    if (args.get && previous !== undefined) {
      // SET ... GET on a non-string fails without writing.
      if (previous.type !== KeyType.String) return WRONGTYPE;
      oldValue = await strings.readValue(tx, ks, args.key, previous);
    }
    const blocked = (args.condition === "NX" && previous !== undefined) || (args.condition === "XX" && previous === undefined);
    if (!blocked) {
      if (args.keepTtl && previous !== undefined) expireAt = previous.expireAt;
      // An expiry already past (EXAT/PXAT in the past) leaves no key behind, as in Redis.
      if (isExpired(expireAt, nowMs)) {
        if (previous !== undefined) removeKey(tx, ks, args.key, previous);
      } else {
        strings.writeString(tx, ks, args.key, previous, args.value, { expireAt });
      }
    }
    if (args.get) return oldValue;
    return blocked ? null : OK;
  },
});

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
  parse: (argv) => argv.slice(1),
  async exec({ tx, ks, nowMs }, keys): Promise<Reply> {
    const values = await Promise.all(keys.map((k) => strings.getString(tx, ks, k, nowMs)));
    return values.map((v) => (v === "WRONGTYPE" || v === undefined ? null : v));
  },
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
  async exec({ tx, ks, nowMs }, argv): Promise<Reply> {
    for (let i = 1; i < argv.length; i += 2) await strings.setString(tx, ks, argv[i]!, argv[i + 1]!, { expireAt: 0, nowMs });
    return OK;
  },
});

function incrementCommand(spec: {
  name: string;
  arity: number;
  summary: string;
  since: string;
  delta: (argv: readonly Uint8Array[]) => bigint | ErrorReply;
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
      const delta = spec.delta(argv);
      return delta instanceof ErrorReply ? delta : { key: argv[1]!, delta };
    },
    async exec({ tx, ks, nowMs }, args: { key: Uint8Array; delta: bigint }): Promise<Reply> {
      const result = await strings.incrementBy(tx, ks, args.key, { delta: args.delta, nowMs });
      return isStatus(result) ? replyOfStatus(result) : result;
    },
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
  delta: (argv) => parseInt64(argv[2]!) ?? NOT_INTEGER,
});
const decrby = incrementCommand({
  name: "decrby",
  arity: 3,
  summary: "Subtracts an integer from the integer stored at a key (a missing key counts as 0).",
  since: "1.0.0",
  delta(argv) {
    const value = parseInt64(argv[2]!);
    if (value === undefined) return NOT_INTEGER;
    // -LLONG_MIN does not fit in int64: Redis has its own text for it.
    return value === INT64_MIN ? DECREMENT_OVERFLOW : -value;
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
  async exec({ tx, ks, nowMs }, argv): Promise<Reply> {
    const result = await strings.append(tx, ks, argv[1]!, argv[2]!, nowMs);
    return isStatus(result) ? replyOfStatus(result) : result;
  },
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
  parse: (argv) => argv[1]!,
  async exec({ tx, ks, nowMs }, k): Promise<Reply> {
    const result = await strings.strlen(tx, ks, k, nowMs);
    return isStatus(result) ? replyOfStatus(result) : result;
  },
});

const getrange = defineCommand({
  name: "getrange",
  arity: 4,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  group: "string",
  summary: "Returns the bytes of a string between two offsets, both inclusive; negative offsets count from the end.",
  since: "2.4.0",
  complexity: "O(N) where N is the length of the returned string",
  arguments: [key("key"), integer("start"), integer("end")],
  access: "read",
  parse(argv) {
    const start = parseClampedInteger(argv[2]!);
    const end = parseClampedInteger(argv[3]!);
    if (start === undefined || end === undefined) return NOT_INTEGER;
    return { key: argv[1]!, start, end };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const result = await strings.getRange(tx, ks, args.key, { start: args.start, end: args.end, nowMs });
    return isStatus(result) ? replyOfStatus(result) : result;
  },
});

export const STRING_COMMANDS: readonly CommandSpec[] = [get, set, mget, mset, incr, decr, incrby, decrby, append, strlen, getrange];
