// SORT and SORT_RO (src/model/sort.ts). Redis reads SORT's options when the
// command runs, so `parse` never refuses: it keeps the first bad option,
// and `exec` answers it in Redis's order (the option loop, then the key's
// type). SORT's keys move (STORE may come anywhere): `movableKeys` finds them
// as Redis's sortGetKeys does, so COMMAND GETKEYS, WATCH and a token's key
// prefixes see the destination.
//
// Tenants and tokens: BY and GET patterns name keys of the caller's own
// keyspace (its tenant and database) only. A token limited to key prefixes
// may use a pattern only when every key it can name is inside its prefixes
// (the text before the pattern's `*` starts with one of them); otherwise
// SORT answers Redis's error for a user without full key access ("BY option
// of SORT denied due to insufficient ACL permissions."). `#` and patterns
// without `*` read no key and are always allowed; STORE's destination is
// checked with the command's keys (write right, prefixes).
import * as sort from "../../model/sort.ts";
import { everyKeyWithPrefixInScope } from "../../model/scoped_keys.ts";
import { ErrorReply, type Reply } from "../../resp/reply.ts";
import { lower } from "../args.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { integer, key, multiple, oneOf, optional, pattern, token, withToken, block } from "../arguments.ts";
import { SORT_BY_DENIED, SORT_GET_DENIED, SORT_SCORE_NOT_DOUBLE, SYNTAX, WRONGTYPE } from "../errors.ts";
import type { Keyspace } from "../../model/keyspace.ts";
import { defineCommand, type CommandSpec, type TxContext } from "../spec.ts";

/** A BY or GET pattern that reads keys: a token limited to key prefixes may not use it outside them. */
interface PatternUse {
  readonly denied: ErrorReply;
  readonly head: Uint8Array;
}

interface SortArgs {
  readonly key: Uint8Array;
  readonly options: sort.SortOptions;
  /** The patterns that read keys, in argument order, up to the first bad option. */
  readonly patterns: readonly PatternUse[];
  /** The first bad option, answered when the command runs (after the pattern checks before it). */
  readonly error: ErrorReply | undefined;
}

const STAR = 0x2a;

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination], options in any order. */
function parseSort(argv: readonly Uint8Array[], readonly: boolean): SortArgs {
  const args = new ArgumentReader(argv);
  const key = args.key();
  let desc = false, alpha = false, dontSort = false;
  let by: Uint8Array | undefined;
  let store: Uint8Array | undefined;
  let limit = { offset: 0, count: -1 };
  const gets: Uint8Array[] = [];
  const patterns: PatternUse[] = [];
  while (args.hasMore) {
    const option = args.keyword();
    const left = args.left;
    if (option === "ASC") desc = false;
    else if (option === "DESC") desc = true;
    else if (option === "ALPHA") alpha = true;
    else if (option === "LIMIT" && left >= 2) {
      const offset = args.integer();
      limit = { offset: clampToNumber(offset), count: clampToNumber(args.integer()) };
    } else if (!readonly && option === "STORE" && left >= 1) store = args.key();
    else if (option === "BY" && left >= 1) {
      by = args.bytes();
      // A BY without `*` (BY nosort) turns sorting off for good, as in Redis, whatever BY comes later.
      const head = sort.patternHead(by);
      if (by.indexOf(STAR) === -1) dontSort = true;
      else if (head !== undefined) patterns.push({ denied: SORT_BY_DENIED, head });
    } else if (option === "GET" && left >= 1) {
      const get = args.bytes();
      gets.push(get);
      const head = sort.patternHead(get);
      if (head !== undefined) patterns.push({ denied: SORT_GET_DENIED, head });
    } else args.fail(SYNTAX);
  }
  const sortBy = by !== undefined && by.indexOf(STAR) !== -1 ? by : undefined;
  return { key, options: { desc, alpha, limit, by: sortBy, dontSort, gets, store }, patterns, error: args.error };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** LIMIT's longs, as numbers: past 2^53 only their sign and size matter (they are clamped to the collection). */
function clampToNumber(value: bigint): number {
  return Number(value > MAX_SAFE ? MAX_SAFE : value < -MAX_SAFE ? -MAX_SAFE : value);
}

/** The first pattern the caller's token may not use, as Redis's refusal. */
function refusedPattern(ks: Keyspace, patterns: readonly PatternUse[]): ErrorReply | undefined {
  for (const use of patterns) if (!everyKeyWithPrefixInScope(ks, use.head)) return use.denied;
  return undefined;
}

async function runSort(ctx: TxContext, args: SortArgs): Promise<Reply> {
  const { tx, ks, nowMs } = ctx;
  const refused = refusedPattern(ks, args.patterns);
  if (refused !== undefined) return refused;
  if (args.error !== undefined) return args.error;
  const outcome = await sort.sortValues(tx, ks, { key: args.key, options: args.options, nowMs });
  if (outcome === "WRONGTYPE") return WRONGTYPE;
  if (outcome === "NOT_A_DOUBLE") return SORT_SCORE_NOT_DOUBLE;
  if (args.options.store === undefined) return outcome.values;
  return await sort.storeSorted(tx, ks, { dest: args.options.store, values: outcome.values, nowMs });
}

/** Redis's sortGetKeys: the key, then the destination of the last STORE (LIMIT skips two arguments, GET and BY one). */
function sortKeyPositions(argv: readonly Uint8Array[]): number[] {
  const store = storePosition(argv);
  return store === undefined ? [1] : [1, store];
}

function storePosition(argv: readonly Uint8Array[]): number | undefined {
  let store: number | undefined;
  for (let i = 2; i < argv.length; i++) {
    const word = lower(argv[i]!);
    if (word === "limit") i += 2;
    else if (word === "store" && i + 1 < argv.length) store = i + 1;
    else if (word === "get" || word === "by") i += 1;
  }
  return store;
}

const SORT_ARGUMENTS = [
  key("key"),
  optional(withToken("BY", pattern("pattern"))),
  optional(withToken("LIMIT", block("limit", integer("offset"), integer("count")))),
  optional(multiple(withToken("GET", pattern("pattern")))),
  optional(oneOf("order", token("ASC"), token("DESC"))),
  optional(token("ALPHA")),
];

const sortCommand = defineCommand({
  name: "sort",
  arity: -2,
  flags: ["write", "denyoom", "movablekeys"],
  keys: { first: 1, last: 1, step: 1 },
  movableKeys: sortKeyPositions,
  writtenKeys: (argv) => {
    const store = storePosition(argv);
    return store === undefined ? [] : [store];
  },
  group: "generic",
  summary: "Sorts the elements of a list, set or sorted set (numerically, or by bytes with ALPHA), optionally by the values of other keys (BY) and returning other keys' values (GET); STORE keeps the result as a list.",
  since: "1.0.0",
  complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
  arguments: [...SORT_ARGUMENTS, optional(withToken("STORE", { ...key("destination"), keySpecIndex: 2 }))],
  access: "write",
  parse: (argv) => parseSort(argv, false),
  exec: runSort,
});

const sortRo = defineCommand({
  name: "sort_ro",
  arity: -2,
  flags: ["readonly", "movablekeys"],
  keys: { first: 1, last: 1, step: 1 },
  movableKeys: () => [1],
  group: "generic",
  summary: "Sorts the elements of a list, set or sorted set as SORT does, without STORE: a read-only command.",
  since: "7.0.0",
  complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
  arguments: SORT_ARGUMENTS,
  access: "read",
  parse: (argv) => parseSort(argv, true),
  exec: runSort,
});

export const SORT_COMMANDS: readonly CommandSpec[] = [sortCommand, sortRo];
