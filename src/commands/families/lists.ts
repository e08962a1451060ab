// List commands: pushes and pops at both ends, LLEN, LRANGE, LINDEX, LSET,
// LINSERT, LREM, LTRIM, LPOS, LMOVE, RPOPLPUSH. The layout and the cost of
// each is described in model/lists.ts.
import * as lists from "../../model/lists.ts";
import type { MaybePromise } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import { isStatus } from "../../model/status.ts";
import { type ErrorReply, NullArray, OK, type Reply } from "../../resp/reply.ts";
import { type ArgumentDoc, integer, key, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { parseClampedInteger, parseInt64, upper } from "../args.ts";
import {
  COUNT_NOT_POSITIVE,
  LPOS_COUNT_NEGATIVE,
  LPOS_MAXLEN_NEGATIVE,
  LPOS_RANK_ZERO,
  NOT_INTEGER,
  SYNTAX,
  wrongArity,
} from "../errors.ts";
import { replyOfStatus } from "../reply_of_status.ts";
import { type CommandSpec, defineCommand, type TxContext } from "../spec.ts";

const INT64_MIN = -9223372036854775808n;

/** The second key argument (destination) of LMOVE and RPOPLPUSH. */
const secondKey = (name: string): ArgumentDoc => ({ ...key(name), keySpecIndex: 1 });
const end = (name: string): ArgumentDoc => oneOf(name, token("LEFT"), token("RIGHT"));

function parseEnd(bytes: Uint8Array): lists.ListEnd | undefined {
  const word = upper(bytes);
  return word === "LEFT" ? "left" : word === "RIGHT" ? "right" : undefined;
}

/**
 * Redis's getPositiveLongFromObjectOrReply: a non-negative int64, anything
 * else (non-integers included) gets the caller's error. Clamped to the
 * safe-integer range, far beyond any list length.
 */
function parseNonNegative(bytes: Uint8Array): number | undefined {
  const value = parseInt64(bytes);
  if (value === undefined || value < 0n) return undefined;
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function pushCommand(spec: { name: string; summary: string; since: string; end: lists.ListEnd; onlyIfExists: boolean }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "list",
    summary: spec.summary,
    since: spec.since,
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    arguments: [key("key"), multiple(string("element"))],
    access: "write",
    parse: (argv) => ({ key: argv[1]!, elements: argv.slice(2) }),
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
      then(lists.push(tx, ks, args.key, { elements: args.elements, end: spec.end, onlyIfExists: spec.onlyIfExists, nowMs }), lengthReply),
  });
}

const lpush = pushCommand({
  name: "lpush",
  summary: "Adds elements at the head of a list, creating the list when the key is missing; returns the new length.",
  since: "1.0.0",
  end: "left",
  onlyIfExists: false,
});
const rpush = pushCommand({
  name: "rpush",
  summary: "Adds elements at the tail of a list, creating the list when the key is missing; returns the new length.",
  since: "1.0.0",
  end: "right",
  onlyIfExists: false,
});
const lpushx = pushCommand({
  name: "lpushx",
  summary: "Adds elements at the head of a list only when the list already exists; returns the new length, or 0.",
  since: "2.2.0",
  end: "left",
  onlyIfExists: true,
});
const rpushx = pushCommand({
  name: "rpushx",
  summary: "Adds elements at the tail of a list only when the list already exists; returns the new length, or 0.",
  since: "2.2.0",
  end: "right",
  onlyIfExists: true,
});

interface PopArgs {
  readonly key: Uint8Array;
  /** Undefined without the count argument: the reply is one element, not an array. */
  readonly count: number | undefined;
}

function popCommand(spec: { name: string; summary: string; end: lists.ListEnd }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -2,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "list",
    summary: spec.summary,
    since: "1.0.0",
    complexity: "O(N) where N is the number of elements returned",
    arguments: [key("key"), optional(integer("count"))],
    access: "write",
    parse(argv): PopArgs | ErrorReply {
      if (argv.length > 3) return wrongArity(spec.name);
      if (argv.length === 2) return { key: argv[1]!, count: undefined };
      const count = parseNonNegative(argv[2]!);
      return count === undefined ? COUNT_NOT_POSITIVE : { key: argv[1]!, count };
    },
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
      then(lists.pop(tx, ks, args.key, { end: spec.end, count: args.count ?? 1, nowMs }), (items) => popReply(items, args.count)),
  });
}

/** A list's length as a reply, or its error. */
function lengthReply(result: number | "WRONGTYPE"): Reply {
  return isStatus(result) ? replyOfStatus(result) : result;
}

/** LPOP's and RPOP's reply: one element without a count, an array with one. */
function popReply(items: Uint8Array[] | undefined | "WRONGTYPE", count: number | undefined): Reply {
  if (isStatus(items)) return replyOfStatus(items);
  if (count === undefined) return items?.[0] ?? null;
  // With a count, a missing key is a null array (RESP2 *-1), as in Redis.
  return items ?? NullArray.instance;
}

const lpop = popCommand({
  name: "lpop",
  summary: "Removes and returns the first element of a list, or the first count elements; the list is deleted once empty.",
  end: "left",
});
const rpop = popCommand({
  name: "rpop",
  summary: "Removes and returns the last element of a list, or the last count elements; the list is deleted once empty.",
  end: "right",
});

const llen = defineCommand({
  name: "llen",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "list",
  summary: "Returns the number of elements of a list; 0 when the key is missing.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "read",
  parse: (argv) => argv[1]!,
  exec: ({ tx, ks, nowMs }, k): MaybePromise<Reply> => then(lists.length(tx, ks, k, nowMs), lengthReply),
});

interface BoundsArgs {
  readonly key: Uint8Array;
  readonly start: number;
  readonly stop: number;
}

function parseBounds(argv: readonly Uint8Array[]): BoundsArgs | ErrorReply {
  const start = parseClampedInteger(argv[2]!);
  const stop = parseClampedInteger(argv[3]!);
  if (start === undefined || stop === undefined) return NOT_INTEGER;
  return { key: argv[1]!, start, stop };
}

const lrange = defineCommand({
  name: "lrange",
  arity: 4,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  group: "list",
  summary: "Returns the elements of a list between two positions, inclusive; negative positions count from the end.",
  since: "1.0.0",
  complexity:
    "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
  arguments: [key("key"), integer("start"), integer("stop")],
  access: "read",
  longRead: true,
  parse: parseBounds,
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const result = await lists.range(tx, ks, args.key, { start: args.start, stop: args.stop, nowMs });
    return isStatus(result) ? replyOfStatus(result) : result;
  },
});

const lindex = defineCommand({
  name: "lindex",
  arity: 3,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  group: "list",
  summary: "Returns the element at a position of a list (negative positions count from the end), or nil when out of range.",
  since: "1.0.0",
  complexity: "O(1): one read of the element",
  arguments: [key("key"), integer("index")],
  access: "read",
  // Redis checks the key before the index: a bad index on a missing key replies nil.
  parse: (argv) => ({ key: argv[1]!, index: parseClampedInteger(argv[2]!) }),
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(lists.itemAt(tx, ks, args.key, { index: args.index, nowMs }), (result) => isStatus(result) ? replyOfStatus(result) : (result ?? null)),
});

const lset = defineCommand({
  name: "lset",
  arity: 4,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 1, step: 1 },
  group: "list",
  summary: "Replaces the element at a position of a list; errors when the key is missing or the position is out of range.",
  since: "1.0.0",
  complexity: "O(1): one write of the element",
  arguments: [key("key"), integer("index"), string("element")],
  access: "write",
  parse: (argv) => ({ key: argv[1]!, index: parseClampedInteger(argv[2]!), element: argv[3]! }),
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const result = await lists.setItem(tx, ks, args.key, { index: args.index, element: args.element, nowMs });
    return result === true ? OK : replyOfStatus(result);
  },
});

interface InsertArgs {
  readonly key: Uint8Array;
  readonly where: "before" | "after";
  readonly pivot: Uint8Array;
  readonly element: Uint8Array;
}

const linsert = defineCommand({
  name: "linsert",
  arity: 5,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 1, step: 1 },
  group: "list",
  summary: "Inserts an element before or after the first occurrence of a pivot; returns the new length, -1 without the pivot.",
  since: "2.2.0",
  complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot.",
  arguments: [key("key"), oneOf("where", token("BEFORE"), token("AFTER")), string("pivot"), string("element")],
  access: "write",
  parse(argv): InsertArgs | ErrorReply {
    const word = upper(argv[2]!);
    if (word !== "BEFORE" && word !== "AFTER") return SYNTAX;
    return { key: argv[1]!, where: word === "BEFORE" ? "before" : "after", pivot: argv[3]!, element: argv[4]! };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const result = await lists.insert(tx, ks, args.key, { where: args.where, pivot: args.pivot, element: args.element, nowMs });
    return isStatus(result) ? replyOfStatus(result) : result;
  },
});

const lrem = defineCommand({
  name: "lrem",
  arity: 4,
  flags: ["write"],
  keys: { first: 1, last: 1, step: 1 },
  group: "list",
  summary: "Removes elements equal to a value: the first count from the head, the last -count from the tail, or all with 0.",
  since: "1.0.0",
  complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
  arguments: [key("key"), integer("count"), string("element")],
  access: "write",
  parse(argv) {
    const count = parseClampedInteger(argv[2]!);
    return count === undefined ? NOT_INTEGER : { key: argv[1]!, count, element: argv[3]! };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const result = await lists.remove(tx, ks, args.key, { count: args.count, element: args.element, nowMs });
    return isStatus(result) ? replyOfStatus(result) : result;
  },
});

const ltrim = defineCommand({
  name: "ltrim",
  arity: 4,
  flags: ["write"],
  keys: { first: 1, last: 1, step: 1 },
  group: "list",
  summary: "Keeps only the elements of a list between two positions, inclusive; the list is deleted when nothing is left.",
  since: "1.0.0",
  complexity: "O(N) where N is the number of elements to be removed by the operation.",
  arguments: [key("key"), integer("start"), integer("stop")],
  access: "write",
  parse: parseBounds,
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const result = await lists.trim(tx, ks, args.key, { start: args.start, stop: args.stop, nowMs });
    return result === true ? OK : replyOfStatus(result);
  },
});

interface PositionArgs {
  readonly key: Uint8Array;
  readonly element: Uint8Array;
  readonly rank: number;
  /** Undefined without COUNT: the reply is one position or nil. 0 = every match. */
  readonly count: number | undefined;
  readonly maxlen: number;
}

/** LPOS's options, checked in argument order with Redis's texts. */
function parsePosition(argv: readonly Uint8Array[]): PositionArgs | ErrorReply {
  let rank = 1;
  let count: number | undefined;
  let maxlen = 0;
  let rankIsInt64Min = false;
  for (let i = 3; i < argv.length; i++) {
    const option = upper(argv[i]!);
    const value = argv[i + 1];
    if (value === undefined) return SYNTAX;
    i++;
    if (option === "RANK") {
      const parsed = parseInt64(value);
      if (parsed === undefined) return NOT_INTEGER;
      if (parsed === 0n) return LPOS_RANK_ZERO;
      rankIsInt64Min = parsed === INT64_MIN;
      rank = parsed > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : parsed < BigInt(-Number.MAX_SAFE_INTEGER) ? -Number.MAX_SAFE_INTEGER : Number(parsed);
    } else if (option === "COUNT") {
      count = parseNonNegative(value);
      if (count === undefined) return LPOS_COUNT_NEGATIVE;
    } else if (option === "MAXLEN") {
      const parsed = parseNonNegative(value);
      if (parsed === undefined) return LPOS_MAXLEN_NEGATIVE;
      maxlen = parsed;
    } else return SYNTAX;
  }
  // Redis 7.0 negates RANK in a C long: -2^63 stays negative, so every match
  // from the tail counts, and the COUNT check never stops the walk.
  if (rankIsInt64Min) {
    rank = -1;
    if (count !== undefined) count = 0;
  }
  return { key: argv[1]!, element: argv[2]!, rank, count, maxlen };
}

const lpos = defineCommand({
  name: "lpos",
  arity: -3,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  group: "list",
  summary: "Returns the position of matching elements of a list; RANK picks which match, COUNT how many, MAXLEN how far to look.",
  since: "6.0.6",
  complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
  arguments: [
    key("key"),
    string("element"),
    optional(withToken("RANK", integer("rank"))),
    optional(withToken("COUNT", integer("num-matches"))),
    optional(withToken("MAXLEN", integer("len"))),
  ],
  access: "read",
  parse: parsePosition,
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const found = await lists.positions(tx, ks, args.key, {
      element: args.element,
      rank: args.rank,
      count: args.count ?? 1,
      maxlen: args.maxlen,
      nowMs,
    });
    if (isStatus(found)) return replyOfStatus(found);
    if (args.count !== undefined) return found ?? [];
    return found?.[0] ?? null;
  },
});

interface MoveArgs {
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  readonly from: lists.ListEnd;
  readonly to: lists.ListEnd;
}

async function execMove({ tx, ks, nowMs }: TxContext, args: MoveArgs): Promise<Reply> {
  const result = await lists.move(tx, ks, { ...args, nowMs });
  return isStatus(result) ? replyOfStatus(result) : (result ?? null);
}

const lmove = defineCommand({
  name: "lmove",
  arity: 5,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 2, step: 1 },
  group: "list",
  summary: "Pops an element from one end of a list and pushes it on one end of another (or the same) list; returns it.",
  since: "6.2.0",
  complexity: "O(1)",
  arguments: [key("source"), secondKey("destination"), end("wherefrom"), end("whereto")],
  access: "write",
  parse(argv): MoveArgs | ErrorReply {
    const from = parseEnd(argv[3]!);
    const to = parseEnd(argv[4]!);
    if (from === undefined || to === undefined) return SYNTAX;
    return { source: argv[1]!, destination: argv[2]!, from, to };
  },
  exec: execMove,
});

const rpoplpush = defineCommand({
  name: "rpoplpush",
  arity: 3,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 2, step: 1 },
  group: "list",
  summary: "Pops the last element of a list and pushes it at the head of another (or the same) list; returns it. Same as LMOVE RIGHT LEFT.",
  since: "1.2.0",
  complexity: "O(1)",
  arguments: [key("source"), secondKey("destination")],
  access: "write",
  parse: (argv): MoveArgs => ({ source: argv[1]!, destination: argv[2]!, from: "right", to: "left" }),
  exec: execMove,
});

export const LIST_COMMANDS: readonly CommandSpec[] = [
  lpush,
  rpush,
  lpushx,
  rpushx,
  lpop,
  rpop,
  llen,
  lrange,
  lindex,
  lset,
  linsert,
  lrem,
  ltrim,
  lpos,
  lmove,
  rpoplpush,
];
