// The blocking commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (lists)
// and BZPOPMIN, BZPOPMAX, BZMPOP (sorted sets). Each is declared once with
// blockingCommand (src/commands/blocking.ts): its `attempt` pops what there
// is, or answers WOULD_BLOCK; dispatch runs it through the executor's
// runBlocking, EXEC runs it once without waiting. The pops reuse the model's
// LPOP/RPOP, LMOVE and ZPOPMIN/ZPOPMAX code; the keyspace events of a pop
// are emitted here, in Redis's order (events.md §1.3).
import { bytesEqual } from "../../engine/bytes.ts";
import * as lists from "../../model/lists.ts";
import * as zsets from "../../model/sorted_sets.ts";
import { formatScore } from "../../model/score_text.ts";
import { DoubleReply, ErrorReply, NullArray, type Reply } from "../../resp/reply.ts";
import type { WaitingAttempt } from "../../core/operation.ts";
import { double, integer, key, multiple, oneOf, optional, token, withToken } from "../arguments.ts";
import { parseInt64 } from "../args.ts";
import { ArgumentReader, clampToSafe } from "../argument_reader.ts";
import { blockingCommand, checksTypes, keysToTry, parseTimeout, WOULD_BLOCK, type WouldBlock } from "../blocking.ts";
import { NUMKEYS_NOT_POSITIVE, SYNTAX, WRONGTYPE, ZCOUNT_SHOULD_BE_POSITIVE } from "../errors.ts";
import type { CommandSpec, KeyPositions, TxContext } from "../spec.ts";

/** BLPOP key [key ...] timeout: every argument but the last is a key. */
const KEYS_BEFORE_TIMEOUT: KeyPositions = { first: 1, last: -2, step: 1 };
/**
 * The writes are announced by the attempts themselves (effects.wrote): only
 * the keys they changed, as Redis signals, and a pop as one that wakes no
 * waiter (it only took elements away).
 */
const ANNOUNCED_BY_ATTEMPT = (): readonly number[] => [];

// --- arguments ---

interface KeysThenTimeout {
  readonly keys: Uint8Array[];
  readonly timeoutMs: number;
}

/** key [key ...] timeout; Redis reads the timeout first. */
function parseKeysThenTimeout(argv: readonly Uint8Array[]): KeysThenTimeout | ErrorReply {
  const timeoutMs = parseTimeout(argv[argv.length - 1]!);
  if (typeof timeoutMs !== "number") return timeoutMs;
  return { keys: argv.slice(1, -1), timeoutMs };
}

function readEnd(args: ArgumentReader): lists.ListEnd {
  return args.oneOf("LEFT", "RIGHT") === "LEFT" ? "left" : "right";
}

const end = (name: string) => oneOf(name, token("LEFT"), token("RIGHT"));

/** The indexes of `numkeys key [key ...]` with numkeys at argv[at] (movable keys: called before parse, so lenient). */
export function numkeysPositions(argv: readonly Uint8Array[], at: number): number[] {
  const numkeys = parseInt64(argv[at] ?? new Uint8Array(0));
  if (numkeys === undefined || numkeys < 1n || numkeys > BigInt(argv.length - at - 1)) return [];
  return Array.from({ length: Number(numkeys) }, (_, i) => at + 1 + i);
}

interface MultiPopArgs<W> {
  readonly timeoutMs: number;
  readonly keys: Uint8Array[];
  readonly where: W;
  readonly count: number;
}

/**
 * BLMPOP and BZMPOP: timeout numkeys key [key ...] where [COUNT count], read
 * in Redis's order (lmpopGenericCommand, zmpopGenericCommand): the timeout,
 * numkeys, then `where` right after the keys (missing: a syntax error), then
 * COUNT once.
 */
function parseMultiPop<W extends string>(argv: readonly Uint8Array[], choices: readonly [W, W]): MultiPopArgs<W> | ErrorReply {
  const timeoutMs = parseTimeout(argv[1]!);
  if (typeof timeoutMs !== "number") return timeoutMs;
  const rest = parseMultiPopKeys(new ArgumentReader(argv, 2), choices);
  return rest instanceof ErrorReply ? rest : { timeoutMs, ...rest };
}

/** numkeys key [key ...] where [COUNT count], from `args`: what LMPOP reads, and BLMPOP after its timeout. */
export function parseMultiPopKeys<W extends string>(args: ArgumentReader, choices: readonly [W, W]): Omit<MultiPopArgs<W>, "timeoutMs"> | ErrorReply {
  const numkeys = args.integerIn({ min: 1n }, NUMKEYS_NOT_POSITIVE);
  if (args.error) return args.error;
  if (numkeys >= args.left) return SYNTAX;
  const keys = args.several(numkeys);
  const where = args.oneOf(...choices);
  let count: number | undefined;
  while (args.hasMore && args.error === undefined) {
    if (count === undefined && args.left >= 2 && args.token("COUNT")) {
      const n = parseInt64(args.bytes());
      if (n === undefined || n <= 0n) args.fail(ZCOUNT_SHOULD_BE_POSITIVE);
      else count = clampToSafe(n);
    } else args.fail(SYNTAX);
  }
  return args.finish({ keys, where, count: count ?? 1 });
}

// --- attempts ---

/**
 * Pops from the first of `keys` that holds a list (in keysToTry's order):
 * one element (`count` undefined: BLPOP, BRPOP) or up to `count` (BLMPOP).
 * A key of another type is WRONGTYPE on the first run, skipped after.
 */
// Keyspace events (lpop, zpopmin, the destination's push before the source's pop, del when emptied) come
// from the model functions these reuse (lists.pop, lists.move, zsets.popEntries), as for LPOP, LMOVE, ZPOPMIN.
export async function popList(
  ctx: TxContext,
  request: { readonly keys: readonly Uint8Array[]; readonly end: lists.ListEnd; readonly count: number | undefined },
  waiting: WaitingAttempt | undefined,
): Promise<Reply | WouldBlock> {
  const { tx, ks, nowMs, effects } = ctx;
  for (const k of keysToTry(request.keys, waiting)) {
    const items = await lists.pop(tx, ks, k, { end: request.end, count: request.count ?? 1, nowMs });
    if (items === "WRONGTYPE") {
      if (checksTypes(waiting)) return WRONGTYPE;
      continue;
    }
    if (items === undefined || items.length === 0) continue;
    effects.wrote(ks, [k], { removedOnly: true });
    return request.count === undefined ? [k, items[0]!] : [k, items];
  }
  return WOULD_BLOCK;
}

/** A score as Redis 7.0 sends it: "%.17g" as a bulk string in RESP2, a double in RESP3. */
function scoreReply(score: number): Reply {
  return new DoubleReply(score, formatScore(score));
}

/** popList for sorted sets: BZPOPMIN/BZPOPMAX (`count` undefined: one flat [key, member, score]) and BZMPOP. */
async function popSortedSet(
  ctx: TxContext,
  request: { readonly keys: readonly Uint8Array[]; readonly max: boolean; readonly count: number | undefined },
  waiting: WaitingAttempt | undefined,
): Promise<Reply | WouldBlock> {
  const { tx, ks, nowMs, effects } = ctx;
  for (const k of keysToTry(request.keys, waiting)) {
    const popped = await zsets.popEntries(tx, ks, k, { count: request.count ?? 1, max: request.max, nowMs });
    if (popped === "WRONGTYPE") {
      if (checksTypes(waiting)) return WRONGTYPE;
      continue;
    }
    if (popped === undefined || popped.length === 0) continue;
    effects.wrote(ks, [k], { removedOnly: true });
    if (request.count === undefined) return [k, popped[0]!.member, scoreReply(popped[0]!.score)];
    return [k, popped.map((entry): Reply => [entry.member, scoreReply(entry.score)])];
  }
  return WOULD_BLOCK;
}

interface MoveArgs {
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  readonly from: lists.ListEnd;
  readonly to: lists.ListEnd;
  readonly timeoutMs: number;
}

/**
 * BLMOVE, BRPOPLPUSH: LMOVE once the source holds a list. After a wake-up a
 * source of another type keeps the client blocked, but a destination of
 * another type is its WRONGTYPE (the element stays in the source), as in
 * Redis 7.0's serveClientBlockedOnList.
 */
async function moveList(ctx: TxContext, args: MoveArgs, waiting: WaitingAttempt | undefined): Promise<Reply | WouldBlock> {
  const { tx, ks, nowMs, effects } = ctx;
  if (!checksTypes(waiting)) {
    const length = await lists.length(tx, ks, args.source, nowMs);
    if (length === "WRONGTYPE" || length === 0) return WOULD_BLOCK;
  }
  const element = await lists.move(tx, ks, { source: args.source, destination: args.destination, from: args.from, to: args.to, nowMs });
  if (element === undefined) return WOULD_BLOCK;
  if (element === "WRONGTYPE") return WRONGTYPE;
  // The destination may now serve its own waiters (a BLMOVE chain); the source only lost an element.
  effects.wrote(ks, [args.destination]);
  if (!bytesEqual(args.source, args.destination)) effects.wrote(ks, [args.source], { removedOnly: true });
  return element;
}

// --- lists ---

function popCommand(spec: { name: string; summary: string; end: lists.ListEnd }): CommandSpec {
  return blockingCommand<KeysThenTimeout>({
    name: spec.name,
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: KEYS_BEFORE_TIMEOUT,
    writtenKeys: ANNOUNCED_BY_ATTEMPT,
    group: "list",
    summary: spec.summary,
    since: "2.0.0",
    complexity: "O(N) where N is the number of provided keys.",
    arguments: [multiple(key("key")), double("timeout")],
    parse: parseKeysThenTimeout,
    timeoutMs: (args) => args.timeoutMs,
    waitKeys: (args) => args.keys,
    attempt: (ctx, args, waiting) => popList(ctx, { keys: args.keys, end: spec.end, count: undefined }, waiting),
    nothingInMulti: NullArray.instance,
  });
}

const blpop = popCommand({
  name: "blpop",
  summary: "Pops the first element of the first non-empty list among the keys, or waits until one has an element (timeout in seconds, 0: forever); replies [key, element].",
  end: "left",
});
const brpop = popCommand({
  name: "brpop",
  summary: "Pops the last element of the first non-empty list among the keys, or waits until one has an element (timeout in seconds, 0: forever); replies [key, element].",
  end: "right",
});

function moveCommand(spec: {
  name: string;
  arity: number;
  summary: string;
  since: string;
  deprecated?: { since: string; replacedBy: string };
  ends: boolean;
}): CommandSpec {
  return blockingCommand<MoveArgs>({
    name: spec.name,
    arity: spec.arity,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: { first: 1, last: 2, step: 1 },
    writtenKeys: ANNOUNCED_BY_ATTEMPT,
    group: "list",
    summary: spec.summary,
    since: spec.since,
    complexity: "O(1)",
    ...(spec.deprecated ? { deprecated: spec.deprecated } : {}),
    arguments: [key("source"), { ...key("destination"), keySpecIndex: 1 }, ...(spec.ends ? [end("wherefrom"), end("whereto")] : []), double("timeout")],
    parse(argv): MoveArgs | ErrorReply {
      const args = new ArgumentReader(argv);
      const source = args.key();
      const destination = args.key();
      const from = spec.ends ? readEnd(args) : "right";
      const to = spec.ends ? readEnd(args) : "left";
      if (args.error) return args.error;
      const timeoutMs = parseTimeout(args.bytes());
      if (typeof timeoutMs !== "number") return timeoutMs;
      return { source, destination, from, to, timeoutMs };
    },
    timeoutMs: (args) => args.timeoutMs,
    waitKeys: (args) => [args.source],
    attempt: moveList,
    // Inside MULTI, LMOVE's nil; on a real timeout, a null array like every blocking command.
    nothingInMulti: null,
  });
}

const blmove = moveCommand({
  name: "blmove",
  arity: 6,
  summary: "Pops an element from one end of a list and pushes it on one end of another (or the same) list, waiting for the source to have one; replies the element.",
  since: "6.2.0",
  ends: true,
});
const brpoplpush = moveCommand({
  name: "brpoplpush",
  arity: 4,
  summary: "Pops the last element of a list and pushes it at the head of another, waiting for the source to have one; BLMOVE source destination RIGHT LEFT.",
  since: "2.2.0",
  deprecated: { since: "6.2.0", replacedBy: "`BLMOVE` with the `RIGHT` and `LEFT` arguments" },
  ends: false,
});

const blmpop = blockingCommand<MultiPopArgs<"LEFT" | "RIGHT">>({
  name: "blmpop",
  arity: -5,
  flags: ["write", "blocking", "movablekeys"],
  movableKeys: (argv) => numkeysPositions(argv, 2),
  writtenKeys: ANNOUNCED_BY_ATTEMPT,
  group: "list",
  summary: "Pops up to count elements from one end of the first non-empty list among the keys, or waits until one has elements; replies [key, [elements]].",
  since: "7.0.0",
  complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
  arguments: [double("timeout"), integer("numkeys"), multiple(key("key")), end("where"), optional(withToken("COUNT", integer("count")))],
  parse: (argv) => parseMultiPop(argv, ["LEFT", "RIGHT"]),
  timeoutMs: (args) => args.timeoutMs,
  waitKeys: (args) => args.keys,
  attempt: (ctx, args, waiting) => popList(ctx, { keys: args.keys, end: args.where === "LEFT" ? "left" : "right", count: args.count }, waiting),
  nothingInMulti: NullArray.instance,
});

// --- sorted sets ---

function zpopCommand(spec: { name: string; summary: string; max: boolean }): CommandSpec {
  return blockingCommand<KeysThenTimeout>({
    name: spec.name,
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: KEYS_BEFORE_TIMEOUT,
    writtenKeys: ANNOUNCED_BY_ATTEMPT,
    group: "sorted-set",
    summary: spec.summary,
    since: "5.0.0",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    arguments: [multiple(key("key")), double("timeout")],
    parse: parseKeysThenTimeout,
    timeoutMs: (args) => args.timeoutMs,
    waitKeys: (args) => args.keys,
    attempt: (ctx, args, waiting) => popSortedSet(ctx, { keys: args.keys, max: spec.max, count: undefined }, waiting),
    nothingInMulti: NullArray.instance,
  });
}

const bzpopmin = zpopCommand({
  name: "bzpopmin",
  summary: "Pops the member with the lowest score of the first non-empty sorted set among the keys, or waits until one has a member; replies [key, member, score].",
  max: false,
});
const bzpopmax = zpopCommand({
  name: "bzpopmax",
  summary: "Pops the member with the highest score of the first non-empty sorted set among the keys, or waits until one has a member; replies [key, member, score].",
  max: true,
});

const bzmpop = blockingCommand<MultiPopArgs<"MIN" | "MAX">>({
  name: "bzmpop",
  arity: -5,
  flags: ["write", "blocking", "movablekeys"],
  movableKeys: (argv) => numkeysPositions(argv, 2),
  writtenKeys: ANNOUNCED_BY_ATTEMPT,
  group: "sorted-set",
  summary: "Pops up to count members with the lowest (MIN) or highest (MAX) scores from the first non-empty sorted set among the keys, or waits until one has members; replies its key and the members with scores.",
  since: "7.0.0",
  complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
  arguments: [double("timeout"), integer("numkeys"), multiple(key("key")), oneOf("where", token("MIN"), token("MAX")), optional(withToken("COUNT", integer("count")))],
  parse: (argv) => parseMultiPop(argv, ["MIN", "MAX"]),
  timeoutMs: (args) => args.timeoutMs,
  waitKeys: (args) => args.keys,
  attempt: (ctx, args, waiting) => popSortedSet(ctx, { keys: args.keys, max: args.where === "MAX", count: args.count }, waiting),
  nothingInMulti: NullArray.instance,
});

export const BLOCKING_COMMANDS: readonly CommandSpec[] = [blpop, brpop, blmove, brpoplpush, blmpop, bzpopmin, bzpopmax, bzmpop];
