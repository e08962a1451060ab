// List commands: pushes and pops at both ends, LLEN, LRANGE, LINDEX, LSET,
// LINSERT, LREM, LTRIM, LPOS, LMOVE, RPOPLPUSH. The layout and the cost of
// each is described in model/lists.ts.
import * as lists from "../../model/lists.ts";
import type { MaybePromise } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import { isStatus } from "../../model/status.ts";
import { type ErrorReply, NullArray, OK, type Reply } from "../../resp/reply.ts";
import { type ArgumentDoc, integer, key, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { parseClampedInteger } from "../args.ts";
import { ArgumentReader, clampToSafe, onlyKey } from "../argument_reader.ts";
import {
  COUNT_NOT_POSITIVE,
  LPOS_COUNT_NEGATIVE,
  LPOS_MAXLEN_NEGATIVE,
  LPOS_RANK_ZERO,
  SYNTAX,
  wrongArity,
} from "../errors.ts";
import { replyOfStatus } from "../reply_of_status.ts";
import { WOULD_BLOCK } from "../blocking.ts";
import { numkeysPositions, parseMultiPopKeys, popList } from "./blocking.ts";
import { type CommandSpec, defineCommand, type TxContext } from "../spec.ts";

const INT64_MIN = -9223372036854775808n;

/** The second key argument (destination) of LMOVE and RPOPLPUSH. */
const secondKey = (name: string): ArgumentDoc => ({ ...key(name), keySpecIndex: 1 });
const end = (name: string): ArgumentDoc => oneOf(name, token("LEFT"), token("RIGHT"));

function readEnd(args: ArgumentReader): lists.ListEnd {
  return args.oneOf("LEFT", "RIGHT") === "LEFT" ? "left" : "right";
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
    parse(argv) {
      const args = new ArgumentReader(argv);
      return { key: args.key(), elements: args.rest() };
    },
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
      const args = new ArgumentReader(argv);
      const key = args.key();
      if (args.left > 1) return wrongArity(spec.name);
      if (args.atEnd) return { key, count: undefined };
      // Redis's getPositiveLongFromObjectOrReply: non-integers get the same error.
      return args.finish({ key, count: args.count(COUNT_NOT_POSITIVE) });
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
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, k): MaybePromise<Reply> => then(lists.length(tx, ks, k, nowMs), lengthReply),
});

interface BoundsArgs {
  readonly key: Uint8Array;
  readonly start: number;
  readonly stop: number;
}

function parseBounds(argv: readonly Uint8Array[]): BoundsArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  return args.finish({ key: args.key(), start: args.clampedInteger(), stop: args.clampedInteger() });
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
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { key: args.key(), index: parseClampedInteger(args.bytes()) };
  },
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
  // As LINDEX: the index is checked once the key is found.
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { key: args.key(), index: parseClampedInteger(args.bytes()), element: args.bytes() };
  },
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
    const args = new ArgumentReader(argv);
    const key = args.key();
    const where = args.oneOf("BEFORE", "AFTER") === "BEFORE" ? "before" : "after";
    return args.finish({ key, where, pivot: args.bytes(), element: args.bytes() });
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
    const args = new ArgumentReader(argv);
    return args.finish({ key: args.key(), count: args.clampedInteger(), element: args.bytes() });
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

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: checked in argument order with Redis's texts. */
function parsePosition(argv: readonly Uint8Array[]): PositionArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  const element = args.bytes();
  let rank = 1;
  let count: number | undefined;
  let maxlen = 0;
  let rankIsInt64Min = false;
  while (args.hasMore) {
    const option = args.keyword();
    // Every option takes a value: one missing is a syntax error whatever the option.
    if (args.atEnd) args.fail(SYNTAX);
    else if (option === "RANK") {
      const parsed = args.integer();
      if (parsed === 0n) args.fail(LPOS_RANK_ZERO);
      rankIsInt64Min = parsed === INT64_MIN;
      rank = clampToSafe(parsed);
    } else if (option === "COUNT") count = args.count(LPOS_COUNT_NEGATIVE);
    else if (option === "MAXLEN") maxlen = args.count(LPOS_MAXLEN_NEGATIVE);
    else args.fail(SYNTAX);
  }
  if (args.error) return args.error;
  // Redis 7.0 negates RANK in a C long: -2^63 stays negative, so every match
  // from the tail counts, and the COUNT check never stops the walk.
  if (rankIsInt64Min) {
    rank = -1;
    if (count !== undefined) count = 0;
  }
  return { key, element, rank, count, maxlen };
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
    const args = new ArgumentReader(argv);
    return args.finish({ source: args.key(), destination: args.key(), from: readEnd(args), to: readEnd(args) });
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
  parse(argv): MoveArgs {
    const args = new ArgumentReader(argv);
    return { source: args.key(), destination: args.key(), from: "right", to: "left" };
  },
  exec: execMove,
});

const lmpop = defineCommand({
  name: "lmpop",
  arity: -4,
  flags: ["write", "movablekeys"],
  // BLMPOP's reading of `numkeys key [key ...]`, one place to the left.
  movableKeys: (argv) => numkeysPositions(argv, 1),
  // popList announces the key it popped from, and only that one.
  writtenKeys: () => [],
  group: "list",
  summary: "Pops up to count elements from one end of the first non-empty list among the keys; replies [key, [elements]], or nil when all are empty.",
  since: "7.0.0",
  complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
  arguments: [integer("numkeys"), multiple(key("key")), end("where"), optional(withToken("COUNT", integer("count")))],
  access: "write",
  parse: (argv) => parseMultiPopKeys(new ArgumentReader(argv), ["LEFT", "RIGHT"]),
  // BLMPOP's attempt, run once: nothing to pop is LMPOP's nil (a null array).
  exec: async (ctx, args): Promise<Reply> => {
    const reply = await popList(ctx, { keys: args.keys, end: args.where === "LEFT" ? "left" : "right", count: args.count }, undefined);
    return reply === WOULD_BLOCK ? NullArray.instance : reply;
  },
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
  lmpop,
];
