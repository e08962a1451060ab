// Sorted-set commands: ZADD, ZINCRBY, ZCARD, ZSCORE, ZMSCORE, ZREM, ZCOUNT,
// ZLEXCOUNT, ZRANK, ZREVRANK, ZRANGE and its older forms, ZRANGESTORE, the
// ZREMRANGEBY* commands, ZPOPMIN, ZPOPMAX, ZMPOP, ZRANDMEMBER, ZSCAN, ZUNION,
// ZINTER, ZDIFF and their STORE forms, ZINTERCARD.
//
// Scores print as Redis 7.0 prints them ("%.17g", score_text.ts): a bulk
// string in RESP2, a double in RESP3 (whose digits the RESP writer chooses;
// docs/COMPATIBILITY.md).
import { onlyKeyAt } from "../key_positions.ts";
import type { MaybePromise } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import * as zsets from "../../model/sorted_sets.ts";
import { formatScore, parseBoundScore, parseScore } from "../../model/score_text.ts";
import { DoubleReply, ErrorReply, NullArray, PairsReply, type Reply } from "../../resp/reply.ts";
import { block, double, integer, key, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { parseInt64 } from "../args.ts";
import { ArgumentReader, clampToSafe } from "../argument_reader.ts";
import {
  COUNT_NOT_POSITIVE,
  MEMBER_TOO_LARGE,
  NOT_FLOAT,
  NOT_INTEGER,
  NUMKEYS_NOT_POSITIVE,
  SYNTAX,
  VALUE_OUT_OF_RANGE,
  WRONGTYPE,
  ZADD_GT_LT_NX,
  ZADD_INCR_SINGLE_PAIR,
  ZADD_NX_XX,
  ZCOUNT_SHOULD_BE_POSITIVE,
  ZMIN_MAX_NOT_FLOAT,
  ZMIN_MAX_NOT_STRING_RANGE,
  ZRANGE_LIMIT_NEEDS_BY,
  ZRANGE_WITHSCORES_BYLEX,
  ZSCORE_NAN,
  ZWEIGHT_NOT_FLOAT,
  zatLeastOneKey,
} from "../errors.ts";
import { type CommandSpec, defineCommand, type KeyPositions } from "../spec.ts";
import { collectionScan, readRandomCount, tooManyRepeats } from "./hashes.ts";
import { readIntercardLimit } from "./sets.ts";

const KEY_ONLY: KeyPositions = { first: 1, last: 1, step: 1 };
const LONG_MAX = 9223372036854775807n;

function statusReply(status: zsets.ZsetStatus): ErrorReply {
  switch (status) {
    case "WRONGTYPE":
      return WRONGTYPE;
    case "MEMBER_TOO_LARGE":
      return MEMBER_TOO_LARGE;
    case "SCORE_NAN":
      return ZSCORE_NAN;
  }
}

/** A score as Redis 7.0 sends it: its "%.17g" text, as a bulk string in RESP2 and a double in RESP3. */
function scoreReply(score: number): Reply {
  return new DoubleReply(score, formatScore(score));
}

/** Members, or members and scores: pairs in RESP3, one flat array in RESP2 (PairsReply). */
function entriesReply(entries: readonly zsets.ScoredMember[], withScores: boolean): Reply {
  if (!withScores) return entries.map((entry) => entry.member);
  return new PairsReply(entries.map((entry) => [entry.member, scoreReply(entry.score)]));
}

// --- ZADD, ZINCRBY ---

interface AddArgs {
  readonly key: Uint8Array;
  readonly entries: zsets.ScoredMember[];
  readonly options: zsets.AddOptions & { readonly ch: boolean };
}

const zadd = defineCommand({
  name: "zadd",
  arity: -4,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "sorted-set",
  summary: "Adds members with scores to a sorted set, or updates their scores; NX, XX, GT and LT choose which changes apply, CH counts changes too, INCR adds to one score.",
  since: "1.2.0",
  complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
  arguments: [
    key("key"),
    optional(oneOf("condition", token("NX"), token("XX"))),
    optional(oneOf("comparison", token("GT"), token("LT"))),
    optional(token("CH")),
    optional(token("INCR")),
    multiple(block("data", double("score"), string("member"))),
  ],
  access: "write",
  parse(argv): AddArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const flags = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: false };
    for (;;) {
      if (args.token("NX")) flags.nx = true;
      else if (args.token("XX")) flags.xx = true;
      else if (args.token("GT")) flags.gt = true;
      else if (args.token("LT")) flags.lt = true;
      else if (args.token("CH")) flags.ch = true;
      else if (args.token("INCR")) flags.incr = true;
      else break;
    }
    if (args.left === 0 || args.left % 2 !== 0) return SYNTAX;
    if (flags.nx && flags.xx) return ZADD_NX_XX;
    if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) return ZADD_GT_LT_NX;
    if (flags.incr && args.left > 2) return ZADD_INCR_SINGLE_PAIR;
    const entries: zsets.ScoredMember[] = [];
    while (!args.atEnd) {
      const score = parseScore(args.bytes());
      if (score === undefined) return NOT_FLOAT;
      entries.push({ score, member: args.bytes() });
    }
    return { key, entries, options: flags };
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(zsets.addMembers(tx, ks, args.key, { entries: args.entries, options: args.options, nowMs }), (outcome) => {
      if (typeof outcome === "string") return statusReply(outcome);
      if (args.options.incr) return outcome.score === null ? null : scoreReply(outcome.score);
      return args.options.ch ? outcome.added + outcome.changed : outcome.added;
    }),
});

const zincrby = defineCommand({
  name: "zincrby",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "sorted-set",
  summary: "Adds an increment to a member's score, creating the member (and the key) when missing; returns the new score.",
  since: "1.2.0",
  complexity: "O(log(N)) where N is the number of elements in the sorted set.",
  arguments: [key("key"), integer("increment"), string("member")],
  access: "write",
  parse(argv): { key: Uint8Array; increment: number; member: Uint8Array } | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const increment = parseScore(args.bytes());
    if (increment === undefined) return NOT_FLOAT;
    return { key, increment, member: args.bytes() };
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(zsets.addMembers(tx, ks, args.key, { entries: [{ score: args.increment, member: args.member }], options: { incr: true }, nowMs }), (outcome) => {
      if (typeof outcome === "string") return statusReply(outcome);
      return outcome.score === null ? null : scoreReply(outcome.score);
    }),
});

// --- single-member reads ---

const zcard = defineCommand({
  name: "zcard",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "sorted-set",
  summary: "Returns the number of members of a sorted set; 0 when the key is missing.",
  since: "1.2.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "read",
  parse: (argv) => argv[1]!,
  exec: ({ tx, ks, nowMs }, k): MaybePromise<Reply> => then(zsets.cardinality(tx, ks, k, nowMs), (n) => (n === "WRONGTYPE" ? WRONGTYPE : n)),
});

function parseKeyMembers(argv: readonly Uint8Array[]): { key: Uint8Array; members: Uint8Array[] } {
  const args = new ArgumentReader(argv);
  return { key: args.key(), members: args.rest() };
}

const zscore = defineCommand({
  name: "zscore",
  arity: 3,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "sorted-set",
  summary: "Returns a member's score, or nil when the member or the key is missing.",
  since: "1.2.0",
  complexity: "O(1)",
  arguments: [key("key"), string("member")],
  access: "read",
  parse: parseKeyMembers,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(zsets.scoresOf(tx, ks, args.key, { members: args.members, nowMs }), (found) => {
      if (found === "WRONGTYPE") return WRONGTYPE;
      const score = found[0];
      return score === undefined ? null : scoreReply(score);
    }),
});

const zmscore = defineCommand({
  name: "zmscore",
  arity: -3,
  flags: ["readonly", "fast"],
  keys: KEY_ONLY,
  group: "sorted-set",
  summary: "Returns the scores of several members, nil for each one missing.",
  since: "6.2.0",
  complexity: "O(N) where N is the number of members being requested.",
  arguments: [key("key"), multiple(string("member"))],
  access: "read",
  parse: parseKeyMembers,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(zsets.scoresOf(tx, ks, args.key, { members: args.members, nowMs }), (found) =>
      found === "WRONGTYPE" ? WRONGTYPE : found.map((score) => (score === undefined ? null : scoreReply(score)))),
});

const zrem = defineCommand({
  name: "zrem",
  arity: -3,
  flags: ["write", "fast"],
  keys: KEY_ONLY,
  group: "sorted-set",
  summary: "Removes members from a sorted set, and the key with its last member; returns how many were members.",
  since: "1.2.0",
  complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
  arguments: [key("key"), multiple(string("member"))],
  access: "write",
  parse: parseKeyMembers,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(zsets.removeMembers(tx, ks, args.key, { members: args.members, nowMs }), (n) => (n === "WRONGTYPE" ? WRONGTYPE : n)),
});

function rankCommand(spec: { name: string; reverse: boolean; summary: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    // Redis 7.2's WITHSCORE makes the arity -3 (7.0: 3).
    arity: -3,
    flags: ["readonly", "fast"],
    keys: KEY_ONLY,
    group: "sorted-set",
    summary: spec.summary,
    since: "2.0.0",
    complexity: "O(log(N))",
    arguments: [key("key"), string("member"), optional(token("WITHSCORE"))],
    access: "read",
    parse(argv): { key: Uint8Array; member: Uint8Array; withScore: boolean } | ErrorReply {
      const args = new ArgumentReader(argv);
      const parsed = { key: args.key(), member: args.bytes(), withScore: args.token("WITHSCORE") };
      return args.atEnd ? parsed : SYNTAX;
    },
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
      then(zsets.rankOfMember(tx, ks, args.key, { member: args.member, reverse: spec.reverse, nowMs }), (found) => {
        if (found === "WRONGTYPE") return WRONGTYPE;
        if (found === undefined) return args.withScore ? NullArray.instance : null;
        return args.withScore ? [found.rank, scoreReply(found.score)] : found.rank;
      }),
  });
}

const zrank = rankCommand({ name: "zrank", reverse: false, summary: "Returns a member's rank (0 for the lowest score), nil when missing; WITHSCORE adds its score." });
const zrevrank = rankCommand({ name: "zrevrank", reverse: true, summary: "Returns a member's rank from the highest score (0 for the highest), nil when missing; WITHSCORE adds its score." });

// --- range parsing ---

function parseScoreBound(raw: Uint8Array): { value: number; exclusive: boolean } | undefined {
  const exclusive = raw[0] === 0x28; // "("
  const value = parseBoundScore(exclusive ? raw.subarray(1) : raw);
  return value === undefined ? undefined : { value, exclusive };
}

function parseScoreRange(min: Uint8Array, max: Uint8Array): zsets.ScoreRange | undefined {
  const low = parseScoreBound(min);
  const high = parseScoreBound(max);
  if (low === undefined || high === undefined) return undefined;
  return { min: low.value, minExclusive: low.exclusive, max: high.value, maxExclusive: high.exclusive };
}

function parseLexBound(raw: Uint8Array): zsets.LexBound | "-" | "+" | undefined {
  if (raw.length === 1 && raw[0] === 0x2b) return "+";
  if (raw.length === 1 && raw[0] === 0x2d) return "-";
  if (raw[0] === 0x28) return { member: raw.subarray(1), exclusive: true };
  if (raw[0] === 0x5b) return { member: raw.subarray(1), exclusive: false };
  return undefined;
}

function parseLexRange(min: Uint8Array, max: Uint8Array): zsets.LexRange | undefined {
  const low = parseLexBound(min);
  const high = parseLexBound(max);
  if (low === undefined || high === undefined) return undefined;
  return { min: low, max: high };
}

type RangeBy = "rank" | "score" | "lex";

interface RangeArgs {
  readonly key: Uint8Array;
  readonly query: zsets.RangeQuery;
  readonly withScores: boolean;
}

/**
 * Redis's zrangeGenericCommand: `key min max [options]` where the command
 * fixes the kind and direction (ZRANGEBYSCORE...) or ZRANGE reads them from
 * BYSCORE, BYLEX and REV. Every error is found before the key is read.
 */
function parseRange(args: ArgumentReader, preset: { by?: RangeBy; reverse?: boolean; store: boolean }): Omit<RangeArgs, "key"> | ErrorReply {
  const first = args.bytes();
  const second = args.bytes();
  let by = preset.by;
  let reverse = preset.reverse;
  let withScores = false;
  let offset = 0;
  let count = -1;
  while (!args.atEnd) {
    if (!preset.store && args.token("WITHSCORES")) withScores = true;
    else if (args.left >= 3 && args.token("LIMIT")) {
      // Its numbers are parsed as they come, so a bad one wins over a bad option after it (as in Redis).
      const o = parseInt64(args.bytes());
      const c = o === undefined ? undefined : parseInt64(args.bytes());
      if (o === undefined || c === undefined) return NOT_INTEGER;
      offset = clampToSafe(o);
      count = clampToSafe(c);
    } else if (reverse === undefined && args.token("REV")) reverse = true;
    else if (by === undefined && args.token("BYLEX")) by = "lex";
    else if (by === undefined && args.token("BYSCORE")) by = "score";
    else return SYNTAX;
  }
  by ??= "rank";
  reverse ??= false;
  // A count of -1 is no limit at all, so `LIMIT n -1` is accepted by rank (Redis checks the count only).
  if (count !== -1 && by === "rank") return ZRANGE_LIMIT_NEEDS_BY;
  // ... and its offset then counts for nothing: a range by rank has no LIMIT.
  if (by === "rank") offset = 0;
  if (withScores && by === "lex") return ZRANGE_WITHSCORES_BYLEX;
  // BYSCORE and BYLEX with REV take max then min.
  const [min, max] = reverse && by !== "rank" ? [second, first] : [first, second];
  let spec: zsets.RangeSpec;
  if (by === "rank") {
    const start = parseInt64(min);
    const stop = parseInt64(max);
    if (start === undefined || stop === undefined) return NOT_INTEGER;
    spec = { by, start: clampToSafe(start), stop: clampToSafe(stop) };
  } else if (by === "score") {
    const range = parseScoreRange(min, max);
    if (range === undefined) return ZMIN_MAX_NOT_FLOAT;
    spec = { by, range };
  } else {
    const range = parseLexRange(min, max);
    if (range === undefined) return ZMIN_MAX_NOT_STRING_RANGE;
    spec = { by, range };
  }
  // A negative offset selects nothing (Redis walks past the end).
  if (offset < 0) count = 0;
  return { query: { spec, reverse, offset: Math.max(offset, 0), count }, withScores };
}

function rangeCommand(spec: {
  name: string;
  by?: RangeBy;
  reverse?: boolean;
  since: string;
  summary: string;
  complexity: string;
  arguments: CommandSpec["arguments"];
}): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -4,
    flags: ["readonly"],
    keys: KEY_ONLY,
    group: "sorted-set",
    summary: spec.summary,
    since: spec.since,
    complexity: spec.complexity,
    arguments: spec.arguments,
    access: "read",
    longRead: true,
    parse(argv): RangeArgs | ErrorReply {
      const args = new ArgumentReader(argv);
      const key = args.key();
      const parsed = parseRange(args, { by: spec.by, reverse: spec.reverse, store: false });
      return parsed instanceof ErrorReply ? parsed : { key, ...parsed };
    },
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
      then(zsets.rangeOf(tx, ks, args.key, { query: args.query, nowMs }), (found) =>
        found === "WRONGTYPE" ? WRONGTYPE : entriesReply(found, args.withScores)),
  });
}

const LIMIT_DOC = optional(block("limit", withToken("LIMIT", integer("offset")), integer("count")));
const RANGE_COMPLEXITY = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";

const zrange = rangeCommand({
  name: "zrange",
  since: "1.2.0",
  summary: "Returns members of a sorted set by index, by score (BYSCORE) or by member (BYLEX), optionally reversed (REV), paged (LIMIT) and with scores.",
  complexity: RANGE_COMPLEXITY,
  arguments: [
    key("key"),
    string("start"),
    string("stop"),
    optional(oneOf("sortby", token("BYSCORE"), token("BYLEX"))),
    optional(token("REV")),
    LIMIT_DOC,
    optional(token("WITHSCORES")),
  ],
});
const zrevrange = rangeCommand({
  name: "zrevrange",
  by: "rank",
  reverse: true,
  since: "1.2.0",
  summary: "Returns members of a sorted set by index from the highest score (ZRANGE ... REV).",
  complexity: RANGE_COMPLEXITY,
  arguments: [key("key"), integer("start"), integer("stop"), optional(token("WITHSCORES"))],
});
const zrangebyscore = rangeCommand({
  name: "zrangebyscore",
  by: "score",
  reverse: false,
  since: "1.0.5",
  summary: "Returns members of a sorted set with scores within a range, lowest first (ZRANGE ... BYSCORE).",
  complexity: RANGE_COMPLEXITY,
  arguments: [key("key"), double("min"), double("max"), optional(token("WITHSCORES")), LIMIT_DOC],
});
const zrevrangebyscore = rangeCommand({
  name: "zrevrangebyscore",
  by: "score",
  reverse: true,
  since: "2.2.0",
  summary: "Returns members of a sorted set with scores within a range (max first), highest first (ZRANGE ... BYSCORE REV).",
  complexity: RANGE_COMPLEXITY,
  arguments: [key("key"), double("max"), double("min"), optional(token("WITHSCORES")), LIMIT_DOC],
});
const zrangebylex = rangeCommand({
  name: "zrangebylex",
  by: "lex",
  reverse: false,
  since: "2.8.9",
  summary: "Returns members of a sorted set of equal scores within a range of member names (ZRANGE ... BYLEX).",
  complexity: RANGE_COMPLEXITY,
  arguments: [key("key"), string("min"), string("max"), LIMIT_DOC],
});
const zrevrangebylex = rangeCommand({
  name: "zrevrangebylex",
  by: "lex",
  reverse: true,
  since: "2.8.9",
  summary: "Returns members of a sorted set of equal scores within a range of member names (max first), in reverse (ZRANGE ... BYLEX REV).",
  complexity: RANGE_COMPLEXITY,
  arguments: [key("key"), string("max"), string("min"), LIMIT_DOC],
});

const zrangestore = defineCommand({
  name: "zrangestore",
  arity: -5,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 2, step: 1 },
  writtenKeys: onlyKeyAt(1),
  group: "sorted-set",
  summary: "Stores a range of a sorted set (as ZRANGE selects it) at a destination key, replacing it; returns the stored size.",
  since: "6.2.0",
  complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
  arguments: [key("dst"), key("src"), string("min"), string("max"), optional(oneOf("sortby", token("BYSCORE"), token("BYLEX"))), optional(token("REV")), LIMIT_DOC],
  access: "write",
  parse(argv): (RangeArgs & { destination: Uint8Array }) | ErrorReply {
    const args = new ArgumentReader(argv);
    const destination = args.key();
    const key = args.key();
    const parsed = parseRange(args, { store: true });
    return parsed instanceof ErrorReply ? parsed : { destination, key, ...parsed };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const stored = await zsets.storeRange(tx, ks, { destination: args.destination, source: args.key, query: args.query, nowMs });
    return typeof stored === "string" ? statusReply(stored) : stored;
  },
});

function countCommand(spec: { name: string; by: "score" | "lex"; since: string; summary: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: 4,
    flags: ["readonly", "fast"],
    keys: KEY_ONLY,
    group: "sorted-set",
    summary: spec.summary,
    since: spec.since,
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    arguments: spec.by === "score" ? [key("key"), double("min"), double("max")] : [key("key"), string("min"), string("max")],
    access: "read",
    parse(argv): { key: Uint8Array; spec: zsets.RangeSpec } | ErrorReply {
      if (spec.by === "score") {
        const range = parseScoreRange(argv[2]!, argv[3]!);
        return range === undefined ? ZMIN_MAX_NOT_FLOAT : { key: argv[1]!, spec: { by: "score", range } };
      }
      const range = parseLexRange(argv[2]!, argv[3]!);
      return range === undefined ? ZMIN_MAX_NOT_STRING_RANGE : { key: argv[1]!, spec: { by: "lex", range } };
    },
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(zsets.countInRange(tx, ks, args.key, { spec: args.spec, nowMs }), (n) => (n === "WRONGTYPE" ? WRONGTYPE : n)),
  });
}

const zcount = countCommand({ name: "zcount", by: "score", since: "2.0.0", summary: "Counts the members of a sorted set with scores within a range." });
const zlexcount = countCommand({ name: "zlexcount", by: "lex", since: "2.8.9", summary: "Counts the members of a sorted set of equal scores within a range of member names." });

function removeRangeCommand(spec: { name: string; by: RangeBy; since: string; summary: string; arguments: CommandSpec["arguments"] }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: 4,
    flags: ["write"],
    keys: KEY_ONLY,
    group: "sorted-set",
    summary: spec.summary,
    since: spec.since,
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    arguments: spec.arguments,
    access: "write",
    parse(argv): { key: Uint8Array; spec: zsets.RangeSpec } | ErrorReply {
      const [, key, min, max] = argv as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
      if (spec.by === "rank") {
        const start = parseInt64(min);
        const stop = parseInt64(max);
        if (start === undefined || stop === undefined) return NOT_INTEGER;
        return { key, spec: { by: "rank", start: clampToSafe(start), stop: clampToSafe(stop) } };
      }
      if (spec.by === "score") {
        const range = parseScoreRange(min, max);
        return range === undefined ? ZMIN_MAX_NOT_FLOAT : { key, spec: { by: "score", range } };
      }
      const range = parseLexRange(min, max);
      return range === undefined ? ZMIN_MAX_NOT_STRING_RANGE : { key, spec: { by: "lex", range } };
    },
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => then(zsets.removeRange(tx, ks, args.key, { spec: args.spec, nowMs }), (n) => (n === "WRONGTYPE" ? WRONGTYPE : n)),
  });
}

const zremrangebyrank = removeRangeCommand({
  name: "zremrangebyrank",
  by: "rank",
  since: "2.0.0",
  summary: "Removes the members of a sorted set within a range of indexes; returns how many.",
  arguments: [key("key"), integer("start"), integer("stop")],
});
const zremrangebyscore = removeRangeCommand({
  name: "zremrangebyscore",
  by: "score",
  since: "1.2.0",
  summary: "Removes the members of a sorted set with scores within a range; returns how many.",
  arguments: [key("key"), double("min"), double("max")],
});
const zremrangebylex = removeRangeCommand({
  name: "zremrangebylex",
  by: "lex",
  since: "2.8.9",
  summary: "Removes the members of a sorted set of equal scores within a range of member names; returns how many.",
  arguments: [key("key"), string("min"), string("max")],
});

// --- pops ---

function popCommand(spec: { name: string; max: boolean; summary: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -2,
    flags: ["write", "fast"],
    keys: KEY_ONLY,
    group: "sorted-set",
    summary: spec.summary,
    since: "5.0.0",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    arguments: [key("key"), optional(integer("count"))],
    access: "write",
    parse(argv): { key: Uint8Array; count: number | undefined } | ErrorReply {
      const args = new ArgumentReader(argv);
      const key = args.key();
      if (args.atEnd) return { key, count: undefined };
      if (args.left > 1) return SYNTAX;
      return args.finish({ key, count: args.count(COUNT_NOT_POSITIVE) });
    },
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
      then(zsets.popEntries(tx, ks, args.key, { count: args.count ?? 1, max: spec.max, nowMs }), (popped) => {
        if (popped === "WRONGTYPE") return WRONGTYPE;
        const entries = popped ?? [];
        // Without a count: one flat pair (or an empty array) in both protocols.
        if (args.count === undefined) return entries.length === 0 ? [] : [entries[0]!.member, scoreReply(entries[0]!.score)];
        return entriesReply(entries, true);
      }),
  });
}

const zpopmin = popCommand({ name: "zpopmin", max: false, summary: "Removes and returns the members with the lowest scores (one, or up to count), with their scores." });
const zpopmax = popCommand({ name: "zpopmax", max: true, summary: "Removes and returns the members with the highest scores (one, or up to count), with their scores." });

/** numkeys key [key ...] at argv[from]: the keys' indexes, for authorisation and WATCH (movable keys). */
function numkeysPositions(argv: readonly Uint8Array[], from: number): number[] {
  const numkeys = parseInt64(argv[from] ?? new Uint8Array(0));
  if (numkeys === undefined || numkeys < 1n || numkeys > BigInt(argv.length - from - 1)) return [];
  return Array.from({ length: Number(numkeys) }, (_, i) => i + from + 1);
}

const zmpop = defineCommand({
  name: "zmpop",
  arity: -4,
  flags: ["write", "movablekeys"],
  group: "sorted-set",
  summary: "Pops up to count members with the lowest (MIN) or highest (MAX) scores from the first non-empty sorted set of the keys given; replies with its key and the members with scores.",
  since: "7.0.0",
  complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
  movableKeys: (argv) => numkeysPositions(argv, 1),
  arguments: [integer("numkeys"), multiple(key("key")), oneOf("where", token("MIN"), token("MAX")), optional(withToken("COUNT", integer("count")))],
  access: "write",
  parse(argv): { keys: Uint8Array[]; max: boolean; count: number } | ErrorReply {
    const args = new ArgumentReader(argv);
    const numkeys = args.integerIn({ min: 1n }, NUMKEYS_NOT_POSITIVE);
    // More keys than arguments is a syntax error for ZMPOP (Redis 7.0's mpop parsing), not ZUNION's "Number of keys" error.
    if (numkeys >= args.left) args.fail(SYNTAX);
    if (args.error) return args.error;
    const keys = args.several(numkeys);
    const where = args.oneOf("MIN", "MAX");
    let count: number | undefined;
    while (args.hasMore) {
      if (count === undefined && args.left >= 2 && args.token("COUNT")) {
        const n = parseInt64(args.bytes());
        if (n === undefined || n <= 0n) args.fail(ZCOUNT_SHOULD_BE_POSITIVE);
        else count = clampToSafe(n);
      } else args.fail(SYNTAX);
    }
    return args.finish({ keys, max: where === "MAX", count: count ?? 1 });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    for (const key of args.keys) {
      const popped = await zsets.popEntries(tx, ks, key, { count: args.count, max: args.max, nowMs });
      if (popped === "WRONGTYPE") return WRONGTYPE;
      if (popped === undefined || popped.length === 0) continue;
      const pairs = popped.map((entry): Reply => [entry.member, scoreReply(entry.score)]);
      return [key, pairs];
    }
    return NullArray.instance;
  },
});

// --- random members, scans ---

const zrandmember = defineCommand({
  name: "zrandmember",
  arity: -2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "sorted-set",
  summary: "Returns random members of a sorted set: a positive count gives distinct members, a negative one allows repeats; WITHSCORES adds the scores.",
  since: "6.2.0",
  complexity: "O(N) where N is the number of members returned",
  arguments: [key("key"), optional(block("options", integer("count"), optional(token("WITHSCORES"))))],
  access: "read",
  parse(argv): { key: Uint8Array; count: number | undefined; withScores: boolean } | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    if (args.atEnd) return { key, count: undefined, withScores: false };
    const count = readRandomCount(args);
    const withScores = args.token("WITHSCORES");
    if (!args.atEnd) args.fail(SYNTAX);
    if (withScores && (count < -(LONG_MAX / 2n) || count > LONG_MAX / 2n)) args.fail(VALUE_OUT_OF_RANGE);
    return args.finish({ key, count: clampToSafe(count), withScores });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const count = args.count ?? 1;
    const refused = tooManyRepeats(count);
    const picked = await zsets.randomEntries(tx, ks, args.key, { count: refused ? 0 : count, nowMs });
    if (picked === "WRONGTYPE") return WRONGTYPE;
    if (args.count === undefined) return picked?.[0]?.member ?? null;
    if (picked === undefined) return [];
    if (refused) return refused;
    return entriesReply(picked, args.withScores);
  },
});

const zscan = collectionScan({
  name: "zscan",
  group: "sorted-set",
  summary: "Iterates over the members and scores of a sorted set with a cursor; start with 0, done when 0 comes back.",
  allowNoValues: false,
  async page(tx, ks, key, page) {
    const found = await zsets.scanEntries(tx, ks, key, page);
    if (found === undefined || found === "WRONGTYPE") return found;
    // Scores as text in both protocols, as Redis's ZSCAN.
    return { items: found.entries.flatMap((entry) => [entry.member, formatScore(entry.score)]), resumeAfter: found.resumeAfter };
  },
});

// --- ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD ---

interface CombineArgs {
  readonly keys: Uint8Array[];
  readonly weights: number[] | undefined;
  readonly aggregate: zsets.Aggregate;
  readonly withScores: boolean;
}

/** numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES], as zunionInterDiffGenericCommand reads them. */
function parseCombination(args: ArgumentReader, spec: { name: string; operation: zsets.Combination; store: boolean }): CombineArgs | ErrorReply {
  const numkeys = parseInt64(args.bytes());
  if (numkeys === undefined) return NOT_INTEGER;
  if (numkeys < 1n) return zatLeastOneKey(spec.name);
  if (numkeys > BigInt(args.left)) return SYNTAX;
  const keys = args.several(Number(numkeys));
  let weights: number[] | undefined;
  let aggregate: zsets.Aggregate = "sum";
  let withScores = false;
  while (!args.atEnd) {
    if (spec.operation !== "diff" && args.left >= keys.length + 1 && args.token("WEIGHTS")) {
      weights = [];
      for (let i = 0; i < keys.length; i++) {
        const weight = parseScore(args.bytes());
        if (weight === undefined) return ZWEIGHT_NOT_FLOAT;
        weights.push(weight);
      }
    } else if (spec.operation !== "diff" && args.left >= 2 && args.token("AGGREGATE")) {
      const how = args.keyword();
      if (how === "SUM") aggregate = "sum";
      else if (how === "MIN") aggregate = "min";
      else if (how === "MAX") aggregate = "max";
      else return SYNTAX;
    } else if (!spec.store && args.token("WITHSCORES")) withScores = true;
    else return SYNTAX;
  }
  return { keys, weights, aggregate, withScores };
}

const COMBINE_ARGUMENTS = (operation: zsets.Combination): CommandSpec["arguments"] => [
  integer("numkeys"),
  multiple(key("key")),
  ...(operation === "diff" ? [] : [optional(withToken("WEIGHTS", multiple(integer("weight")))), optional(withToken("AGGREGATE", oneOf("aggregate", token("SUM"), token("MIN"), token("MAX"))))]),
];

function combineCommand(spec: { name: string; operation: zsets.Combination; summary: string; complexity: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -3,
    flags: ["readonly", "movablekeys"],
    group: "sorted-set",
    summary: spec.summary,
    since: "6.2.0",
    complexity: spec.complexity,
    movableKeys: (argv) => numkeysPositions(argv, 1),
    arguments: [...COMBINE_ARGUMENTS(spec.operation)!, optional(token("WITHSCORES"))],
    access: "read",
    parse: (argv) => parseCombination(new ArgumentReader(argv), { ...spec, store: false }),
    async exec({ tx, ks, nowMs }, args): Promise<Reply> {
      const found = await zsets.combineSets(tx, ks, args.keys, { operation: spec.operation, weights: args.weights, aggregate: args.aggregate, nowMs });
      return found === "WRONGTYPE" ? WRONGTYPE : entriesReply(found, args.withScores);
    },
  });
}

function storeCommand(spec: { name: string; operation: zsets.Combination; summary: string; complexity: string; since: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -4,
    flags: ["write", "denyoom", "movablekeys"],
    keys: KEY_ONLY,
    group: "sorted-set",
    summary: spec.summary,
    since: spec.since,
    complexity: spec.complexity,
    movableKeys: (argv) => [1, ...numkeysPositions(argv, 2)],
    writtenKeys: onlyKeyAt(1),
    arguments: [key("destination"), ...COMBINE_ARGUMENTS(spec.operation)!],
    access: "write",
    parse(argv): (CombineArgs & { destination: Uint8Array }) | ErrorReply {
      const args = new ArgumentReader(argv);
      const destination = args.key();
      const parsed = parseCombination(args, { ...spec, store: true });
      return parsed instanceof ErrorReply ? parsed : { destination, ...parsed };
    },
    async exec({ tx, ks, nowMs }, args): Promise<Reply> {
      const stored = await zsets.storeCombination(tx, ks, { destination: args.destination, keys: args.keys, operation: spec.operation, weights: args.weights, aggregate: args.aggregate, nowMs });
      return typeof stored === "string" ? statusReply(stored) : stored;
    },
  });
}

const UNION_COMPLEXITY = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.";
const INTER_COMPLEXITY = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.";
const DIFF_COMPLEXITY = "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.";

const zunion = combineCommand({ name: "zunion", operation: "union", summary: "Returns the union of sorted sets (sets count with score 1), scores combined by AGGREGATE after WEIGHTS.", complexity: UNION_COMPLEXITY });
const zinter = combineCommand({ name: "zinter", operation: "inter", summary: "Returns the members present in every given sorted set (or set), scores combined by AGGREGATE after WEIGHTS.", complexity: INTER_COMPLEXITY });
const zdiff = combineCommand({ name: "zdiff", operation: "diff", summary: "Returns the members of the first sorted set that are in none of the others.", complexity: DIFF_COMPLEXITY });
const zunionstore = storeCommand({ name: "zunionstore", operation: "union", since: "2.0.0", summary: "Stores the union of sorted sets at a destination key, replacing it; returns the result's size.", complexity: UNION_COMPLEXITY });
const zinterstore = storeCommand({ name: "zinterstore", operation: "inter", since: "2.0.0", summary: "Stores the intersection of sorted sets at a destination key, replacing it; returns the result's size.", complexity: INTER_COMPLEXITY });
const zdiffstore = storeCommand({ name: "zdiffstore", operation: "diff", since: "6.2.0", summary: "Stores the difference of the first sorted set and the others at a destination key, replacing it; returns the result's size.", complexity: DIFF_COMPLEXITY });

const zintercard = defineCommand({
  name: "zintercard",
  arity: -3,
  flags: ["readonly", "movablekeys"],
  group: "sorted-set",
  summary: "Returns the size of the intersection of sorted sets, counting no further than LIMIT when given (0 means no limit).",
  since: "7.0.0",
  complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
  movableKeys: (argv) => numkeysPositions(argv, 1),
  arguments: [integer("numkeys"), multiple(key("key")), optional(withToken("LIMIT", integer("limit")))],
  access: "read",
  parse(argv): { keys: Uint8Array[]; limit: number } | ErrorReply {
    const args = new ArgumentReader(argv);
    // Redis reads ZINTERCARD's numkeys as ZINTER does (its errors, not SINTERCARD's).
    const numkeys = parseInt64(args.bytes());
    if (numkeys === undefined) return NOT_INTEGER;
    if (numkeys < 1n) return zatLeastOneKey("zintercard");
    if (numkeys > BigInt(args.left)) return SYNTAX;
    const keys = args.several(Number(numkeys));
    return args.finish({ keys, limit: readIntercardLimit(args) });
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const n = await zsets.intersectionSize(tx, ks, args.keys, { limit: args.limit, nowMs });
    return n === "WRONGTYPE" ? WRONGTYPE : n;
  },
});

export const SORTED_SET_COMMANDS: readonly CommandSpec[] = [
  zadd,
  zincrby,
  zcard,
  zscore,
  zmscore,
  zrem,
  zrank,
  zrevrank,
  zcount,
  zlexcount,
  zrange,
  zrevrange,
  zrangebyscore,
  zrevrangebyscore,
  zrangebylex,
  zrevrangebylex,
  zrangestore,
  zremrangebyrank,
  zremrangebyscore,
  zremrangebylex,
  zpopmin,
  zpopmax,
  zmpop,
  zrandmember,
  zscan,
  zunion,
  zinter,
  zdiff,
  zunionstore,
  zinterstore,
  zdiffstore,
  zintercard,
];
