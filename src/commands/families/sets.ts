// Set commands: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS,
// SRANDMEMBER, SPOP, SMOVE, SSCAN, SINTER, SINTERCARD, SINTERSTORE, SUNION,
// SUNIONSTORE, SDIFF, SDIFFSTORE.
import { onlyKeyAt } from "../key_positions.ts";
import * as sets from "../../model/sets.ts";
import type { MaybePromise } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import { isStatus, type Status } from "../../model/status.ts";
import { ErrorReply, type Reply, SetReply } from "../../resp/reply.ts";
import { integer, key, multiple, optional, string, withToken } from "../arguments.ts";
import { parseInt64 } from "../args.ts";
import { allArguments, ArgumentReader, clampToSafe, onlyKey } from "../argument_reader.ts";
import { COUNT_NOT_POSITIVE, LIMIT_NEGATIVE, NUMKEYS_NOT_POSITIVE, NUMKEYS_TOO_MANY, SYNTAX, WRONGTYPE } from "../errors.ts";
import { replyOfStatus } from "../reply_of_status.ts";
import { type CommandSpec, defineCommand, type KeyPositions } from "../spec.ts";
import { collectionScan, readRandomCount, tooManyRepeats } from "./hashes.ts";

function replyOf<T extends Reply>(result: T | Status): Reply {
  return isStatus(result) ? replyOfStatus(result) : result;
}

const KEY_ONLY: KeyPositions = { first: 1, last: 1, step: 1 };
const ALL_KEYS: KeyPositions = { first: 1, last: -1, step: 1 };

/** key member [member ...]: SADD, SREM, SISMEMBER, SMISMEMBER. */
function parseKeyMembers(argv: readonly Uint8Array[]): { key: Uint8Array; members: Uint8Array[] } {
  const args = new ArgumentReader(argv);
  return { key: args.key(), members: args.rest() };
}

const sadd = defineCommand({
  name: "sadd",
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "set",
  summary: "Adds members to a set, creating it when missing; returns how many members are new.",
  since: "1.0.0",
  complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
  arguments: [key("key"), multiple(string("member"))],
  access: "write",
  parse: parseKeyMembers,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(sets.addMembers(tx, ks, args.key, { members: args.members, nowMs }), replyOf),
});

const srem = defineCommand({
  name: "srem",
  arity: -3,
  flags: ["write", "fast"],
  keys: KEY_ONLY,
  group: "set",
  summary: "Removes members from a set, and the set when none is left; returns how many were members.",
  since: "1.0.0",
  complexity: "O(N) where N is the number of members to be removed.",
  arguments: [key("key"), multiple(string("member"))],
  access: "write",
  parse: parseKeyMembers,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(sets.removeMembers(tx, ks, args.key, { members: args.members, nowMs }), replyOf),
});

const scard = defineCommand({
  name: "scard",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "set",
  summary: "Returns the number of members of a set; 0 when the key is missing.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "read",
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, k): MaybePromise<Reply> => then(sets.cardinality(tx, ks, k, nowMs), replyOf),
});

const sismember = defineCommand({
  name: "sismember",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "set",
  summary: "Tells whether a value is a member of a set: 1 or 0.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [key("key"), string("member")],
  access: "read",
  parse: parseKeyMembers,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(sets.areMembers(tx, ks, args.key, { members: args.members, nowMs }), (found) => found === "WRONGTYPE" ? WRONGTYPE : found[0] ? 1 : 0),
});

const smismember = defineCommand({
  name: "smismember",
  arity: -3,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "set",
  summary: "Tells for each of several values whether it is a member of a set: an array of 1 and 0.",
  since: "6.2.0",
  complexity: "O(N) where N is the number of elements being checked for membership",
  arguments: [key("key"), multiple(string("member"))],
  access: "read",
  parse: parseKeyMembers,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(sets.areMembers(tx, ks, args.key, { members: args.members, nowMs }), (found) => found === "WRONGTYPE" ? WRONGTYPE : found.map((yes) => (yes ? 1 : 0))),
});

const smembers = defineCommand({
  name: "smembers",
  arity: 2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "set",
  summary: "Returns every member of a set (a set in RESP3).",
  since: "1.0.0",
  complexity: "O(N) where N is the set cardinality.",
  arguments: [key("key")],
  access: "read",
  longRead: true,
  parse: onlyKey,
  async exec({ tx, ks, nowMs }, k): Promise<Reply> {
    const found = await sets.members(tx, ks, k, nowMs);
    return found === "WRONGTYPE" ? WRONGTYPE : new SetReply(found);
  },
});

const srandmember = defineCommand({
  name: "srandmember",
  arity: -2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "set",
  summary: "Returns random members of a set without removing them: a positive count gives distinct members, a negative one allows repeats.",
  since: "1.0.0",
  complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
  arguments: [key("key"), optional(integer("count"))],
  access: "read",
  parse(argv): { key: Uint8Array; count: number | undefined } | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    if (args.atEnd) return { key, count: undefined };
    if (args.left > 1) return SYNTAX;
    const count = readRandomCount(args);
    return args.finish({ key, count: clampToSafe(count) });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const count = args.count ?? 1;
    const refused = tooManyRepeats(count);
    const picked = await sets.randomMembers(tx, ks, args.key, { count: refused ? 0 : count, nowMs });
    if (picked === "WRONGTYPE") return WRONGTYPE;
    if (args.count === undefined) return picked?.[0] ?? null;
    if (picked === undefined) return [];
    return refused ?? picked;
  },
});

const spop = defineCommand({
  name: "spop",
  arity: -2,
  flags: ["write", "fast"],
  keys: KEY_ONLY,
  group: "set",
  summary: "Removes and returns random members of a set; with a count, up to that many distinct members (a set in RESP3).",
  since: "1.0.0",
  complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
  arguments: [key("key"), optional(integer("count"))],
  access: "write",
  parse(argv): { key: Uint8Array; count: number | undefined } | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    if (args.atEnd) return { key, count: undefined };
    if (args.left > 1) return SYNTAX;
    return args.finish({ key, count: args.count(COUNT_NOT_POSITIVE) });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const popped = await sets.popMembers(tx, ks, args.key, { count: args.count ?? 1, nowMs });
    if (popped === "WRONGTYPE") return WRONGTYPE;
    if (args.count === undefined) return popped?.[0] ?? null;
    return new SetReply(popped ?? []);
  },
});

const smove = defineCommand({
  name: "smove",
  arity: 4,
  flags: ["write", "fast"],
  keys: { first: 1, last: 2, step: 1 },
  group: "set",
  summary: "Moves a member from one set to another, creating the destination when missing; returns 1 when the member was in the source.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [key("source"), key("destination"), string("member")],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { source: args.key(), destination: args.key(), member: args.bytes() };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    return replyOf(await sets.moveMember(tx, ks, { ...args, nowMs }));
  },
});

const sscan = collectionScan({
  name: "sscan",
  group: "set",
  summary: "Iterates over the members of a set with a cursor; start with 0, done when 0 comes back.",
  allowNoValues: false,
  async page(tx, ks, key, page) {
    const found = await sets.scanMembers(tx, ks, key, page);
    if (found === undefined || found === "WRONGTYPE") return found;
    return { items: found.members, resumeAfter: found.resumeAfter };
  },
});

function combineCommand(spec: { name: string; operation: sets.SetOperation; summary: string; complexity: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    group: "set",
    summary: spec.summary,
    since: "1.0.0",
    complexity: spec.complexity,
    arguments: [multiple(key("key"))],
    access: "read",
    parse: allArguments,
    async exec({ tx, ks, nowMs }, keys): Promise<Reply> {
      const found = await sets.combineSets(tx, ks, keys, { operation: spec.operation, nowMs });
      return found === "WRONGTYPE" ? WRONGTYPE : new SetReply(found);
    },
  });
}

function storeCommand(spec: { name: string; operation: sets.SetOperation; summary: string; complexity: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -3,
    flags: ["write", "denyoom"],
    keys: ALL_KEYS,
    writtenKeys: onlyKeyAt(1),
    group: "set",
    summary: spec.summary,
    since: "1.0.0",
    complexity: spec.complexity,
    arguments: [key("destination"), multiple(key("key"))],
    access: "write",
    parse(argv) {
      const args = new ArgumentReader(argv);
      return { destination: args.key(), keys: args.rest() };
    },
    async exec({ tx, ks, nowMs }, args): Promise<Reply> {
      return replyOf(await sets.storeCombination(tx, ks, { ...args, operation: spec.operation, nowMs }));
    },
  });
}

const INTER_COMPLEXITY = "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
const UNION_COMPLEXITY = "O(N) where N is the total number of elements in all given sets.";
const DIFF_COMPLEXITY = "O(N) where N is the total number of elements in all given sets.";

const sinter = combineCommand({ name: "sinter", operation: "inter", summary: "Returns the members present in every given set; a missing key is an empty set.", complexity: INTER_COMPLEXITY });
const sunion = combineCommand({ name: "sunion", operation: "union", summary: "Returns the members present in any of the given sets.", complexity: UNION_COMPLEXITY });
const sdiff = combineCommand({ name: "sdiff", operation: "diff", summary: "Returns the members of the first set that are in none of the other sets.", complexity: DIFF_COMPLEXITY });
const sinterstore = storeCommand({
  name: "sinterstore",
  operation: "inter",
  summary: "Stores the intersection of sets at a destination key, replacing it; returns the result's size (an empty result deletes the destination).",
  complexity: INTER_COMPLEXITY,
});
const sunionstore = storeCommand({
  name: "sunionstore",
  operation: "union",
  summary: "Stores the union of sets at a destination key, replacing it; returns the result's size (an empty result deletes the destination).",
  complexity: UNION_COMPLEXITY,
});
const sdiffstore = storeCommand({
  name: "sdiffstore",
  operation: "diff",
  summary: "Stores the difference of the first set and the others at a destination key, replacing it; returns the result's size.",
  complexity: DIFF_COMPLEXITY,
});

/** SINTERCARD's and ZINTERCARD's options after their keys: `LIMIT limit`, 0 (the default) for none. */
export function readIntercardLimit(args: ArgumentReader): number {
  let limit = 0;
  while (args.hasMore) {
    if (args.token("LIMIT") && !args.atEnd) {
      const value = args.integer(LIMIT_NEGATIVE);
      if (value < 0n) args.fail(LIMIT_NEGATIVE);
      // Past any set's size a limit changes nothing: 0 is "no limit".
      limit = value > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(value);
    } else args.fail(SYNTAX);
  }
  return limit;
}

const sintercard = defineCommand({
  name: "sintercard",
  arity: -3,
  flags: ["readonly", "movablekeys"],
  group: "set",
  summary: "Returns the size of the intersection of sets, counting no further than LIMIT when given (0 means no limit).",
  since: "7.0.0",
  complexity: INTER_COMPLEXITY,
  // No fixed key positions (COMMAND INFO: 0 0 0, movablekeys, as Redis): numkeys says where they are.
  movableKeys(argv) {
    const numkeys = parseInt64(argv[1] ?? new Uint8Array(0));
    if (numkeys === undefined || numkeys < 1n || numkeys > BigInt(argv.length - 2)) return [];
    return Array.from({ length: Number(numkeys) }, (_, i) => i + 2);
  },
  arguments: [integer("numkeys"), multiple(key("key")), optional(withToken("LIMIT", integer("limit")))],
  access: "read",
  parse(argv): { keys: Uint8Array[]; limit: number } | ErrorReply {
    const args = new ArgumentReader(argv);
    const numkeys = args.integerIn({ min: 1n }, NUMKEYS_NOT_POSITIVE);
    if (numkeys > args.left) args.fail(NUMKEYS_TOO_MANY);
    if (args.error) return args.error;
    const keys = args.several(numkeys);
    return args.finish({ keys, limit: readIntercardLimit(args) });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    return replyOf(await sets.intersectionSize(tx, ks, args.keys, { limit: args.limit, nowMs }));
  },
});

export const SET_COMMANDS: readonly CommandSpec[] = [
  sadd,
  srem,
  scard,
  sismember,
  smismember,
  smembers,
  srandmember,
  spop,
  smove,
  sscan,
  sinter,
  sintercard,
  sinterstore,
  sunion,
  sunionstore,
  sdiff,
  sdiffstore,
];
