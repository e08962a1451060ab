// Sorted sets over the engine. Under the key's member prefix
// (ks.memberPrefixOf(key, gen)), so DEL, expiry, FLUSHDB, COPY and RENAME
// handle them as any collection:
//
//   <prefix> 0x00                          cardinality counter (collections.ts), by atomic add
//   <prefix> <bytes member>                → score (8 bytes, score_text.ts encodeScore): ZSCORE, existence
//   <prefix> "s" <score 8 bytes> <bytes member>   → empty: the score index, in (score, member) order
//   <prefix> "r" <level> <score> <member>  → count: the ranked set's levels over the score index (ranked_set.ts)
//
// The score index is level 0 of the ranked set, whose items are
// `<score 8 bytes> <bytes member>`: rank, ZRANGE by index and ZCOUNT cost
// O(log n) reads. Adding members reads each member's record (conflicts only
// with writers of that member) and the ranked set's predecessors with
// snapshot reads (ranked_set.ts); the size is an atomic-add counter.
import { byteString, compareBytes, concatBytes, keyAfter } from "../engine/bytes.ts";
import type { KeyValue, MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { MAX_ENGINE_KEY_BYTES } from "../engine/limits.ts";
import { appendBytesElement, packTuple, prefixRange, unpackTuple } from "../engine/tuple.ts";
import {
  addCardinality,
  createCollection,
  lookupCollection,
  lookupCollectionForWrite,
  MEMBER_PAGE,
  notifyRemoval,
  pickRandom,
  readAllMembers,
  readCardinality,
  readMemberPage,
  removedMembers,
  replaceWithCollection,
} from "./collections.ts";
import { lookupForWrite, removeKey } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { KeyType, type Meta } from "./meta.ts";
import { buildLevels, insertItem, itemAt, type RankedLayout, rankedLayout, rankOf, removeRun, TOP_LEVEL } from "./ranked_set.ts";
import { runSteps, type Steps, wait } from "./ranked_steps.ts";
import { decodeScore, encodeScore } from "./score_text.ts";

const EMPTY: Uint8Array = new Uint8Array(0);
const ZSET = { type: KeyType.ZSet } as const;
/** After every item of one score: the byte after a member element's 0x01. */
const AFTER_MEMBERS = new Uint8Array([0x02]);
/** How much longer than a member's record its longest key (a level entry) is. */
const LEVEL_KEY_EXTRA = 5 + 8;

export type ZsetStatus = "WRONGTYPE" | "MEMBER_TOO_LARGE" | "SCORE_NAN";

export interface ScoredMember {
  readonly member: Uint8Array;
  readonly score: number;
}

/** Where one generation of a sorted set lives. */
interface Zset {
  readonly ks: Keyspace;
  readonly key: Uint8Array;
  readonly gen: number;
  readonly ranked: RankedLayout;
}

/** The tuple suffixes of the score index and of each level, packed once rather than per command. */
const SCORE_INDEX_SUFFIX = packTuple(["s"]);
const LEVEL_SUFFIXES = Array.from({ length: TOP_LEVEL + 1 }, (_, level) => packTuple(["r", level]));

function zsetOf(ks: Keyspace, key: Uint8Array, gen: number): Zset {
  const prefix = ks.memberPrefixOf(key, gen);
  return { ks, key, gen, ranked: rankedLayout(concatBytes(prefix, SCORE_INDEX_SUFFIX), (level) => concatBytes(prefix, LEVEL_SUFFIXES[level]!)) };
}

function memberKey(z: Zset, member: Uint8Array): Uint8Array {
  return z.ks.fieldKey(z.key, z.gen, member);
}

/** The ranked set's item of a member: its score's bytes, then the member as a tuple element. */
function itemOf(entry: ScoredMember): Uint8Array {
  return appendBytesElement(encodeScore(entry.score), entry.member);
}

function entryOfItem(item: Uint8Array): ScoredMember {
  return { score: decodeScore(item), member: unpackTuple(item.subarray(8))[0] as Uint8Array };
}

function baseKey(z: Zset, item: Uint8Array): Uint8Array {
  return concatBytes(z.ranked.base, item);
}

function itemOfBaseKey(z: Zset, key: Uint8Array): Uint8Array {
  return key.subarray(z.ranked.base.length);
}

/** Whether every key of `member` fits FoundationDB's key limit. */
export function memberFits(ks: Keyspace, key: Uint8Array, member: Uint8Array): boolean {
  return ks.fieldKey(key, 0, member).length + LEVEL_KEY_EXTRA + 9 <= MAX_ENGINE_KEY_BYTES;
}

function readScore(tx: ReadTxn, z: Zset, member: Uint8Array): MaybePromise<number | undefined> {
  const found = tx.get(memberKey(z, member));
  return found instanceof Promise ? found.then((v) => (v === undefined ? undefined : decodeScore(v))) : found === undefined ? undefined : decodeScore(found);
}

/** Writes a new member (or a member's new score, after unlinkMember). */
function* linkMember(tx: Txn, z: Zset, entry: ScoredMember): Steps<void> {
  const item = itemOf(entry);
  tx.set(memberKey(z, entry.member), encodeScore(entry.score));
  tx.set(baseKey(z, item), EMPTY);
  yield* insertItem(tx, z.ranked, item);
}

function* unlinkMember(tx: Txn, z: Zset, entry: ScoredMember, keepRecord: boolean): Steps<void> {
  const item = itemOf(entry);
  if (!keepRecord) tx.clear(memberKey(z, entry.member));
  tx.clear(baseKey(z, item));
  yield* removeRun(tx, z.ranked, { first: item, last: item, count: 1 });
}

// --- ZADD, ZINCRBY ---

export interface AddOptions {
  readonly nx?: boolean;
  readonly xx?: boolean;
  readonly gt?: boolean;
  readonly lt?: boolean;
  /** ZADD INCR / ZINCRBY: the score is an increment (one member). */
  readonly incr?: boolean;
}

export interface AddOutcome {
  readonly added: number;
  readonly changed: number;
  /** With incr: the new score, or null when NX/XX/GT/LT refused the change. */
  readonly score: number | null;
}

/** ZADD and ZINCRBY. */
export function addMembers(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly entries: readonly ScoredMember[]; readonly options: AddOptions; readonly nowMs: number },
): MaybePromise<AddOutcome | ZsetStatus> {
  return runSteps(addSteps(tx, ks, key, change));
}

function* addSteps(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly entries: readonly ScoredMember[]; readonly options: AddOptions; readonly nowMs: number },
): Steps<AddOutcome | ZsetStatus> {
  const { options } = change;
  const meta = yield* wait(lookupCollectionForWrite(tx, ks, key, { ...ZSET, nowMs: change.nowMs }));
  if (meta === "WRONGTYPE") return meta;
  for (const entry of change.entries) if (!memberFits(ks, key, entry.member)) return "MEMBER_TOO_LARGE";
  if (meta === undefined && options.xx) return { added: 0, changed: 0, score: null };
  const gen = meta?.gen ?? 0;
  const z = zsetOf(ks, key, gen);
  let created = meta !== undefined;
  let added = 0;
  let changed = 0;
  let score: number | null = null;
  for (const entry of change.entries) {
    const current = yield* wait(readScore(tx, z, entry.member));
    if (current === undefined) {
      if (options.xx) continue;
      if (!created) {
        createCollection(tx, ks, key, KeyType.ZSet);
        created = true;
      }
      yield* linkMember(tx, z, entry);
      added++;
      score = entry.score;
      continue;
    }
    if (options.nx) continue;
    const next = options.incr ? current + entry.score : entry.score;
    if (Number.isNaN(next)) return "SCORE_NAN";
    if ((options.gt && next <= current) || (options.lt && next >= current)) continue;
    score = next;
    if (next === current) continue;
    yield* unlinkMember(tx, z, { member: entry.member, score: current }, true);
    yield* linkMember(tx, z, { member: entry.member, score: next });
    changed++;
  }
  addCardinality(tx, ks, key, { gen, delta: added });
  // Reported when anything changed, even a score alone (ZADD XX replies 0 then).
  if (added + changed > 0) ks.notify("z", options.incr ? "zincr" : "zadd", key);
  return { added, changed, score };
}

// --- reads of single members ---

export function cardinality(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<number | "WRONGTYPE"> {
  const meta = lookupCollection(tx, ks, key, { ...ZSET, nowMs });
  const next = (found: Meta | undefined | "WRONGTYPE") => (found === undefined || found === "WRONGTYPE" ? found ?? 0 : readCardinality(tx, ks, key, found.gen));
  return meta instanceof Promise ? meta.then(next) : next(meta);
}

/** ZSCORE, ZMSCORE: each member's score (undefined when absent; all undefined for a missing key). */
export function scoresOf(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly members: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<(number | undefined)[] | "WRONGTYPE"> {
  return runSteps((function* (): Steps<(number | undefined)[] | "WRONGTYPE"> {
    const meta = yield* wait(lookupCollection(tx, ks, key, { ...ZSET, nowMs: at.nowMs }));
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return at.members.map(() => undefined);
    const z = zsetOf(ks, key, meta.gen);
    const reads = at.members.map((member) => readScore(tx, z, member));
    const out: (number | undefined)[] = [];
    for (const read of reads) out.push(yield* wait(read));
    return out;
  })());
}

/** ZRANK, ZREVRANK: the member's rank and score, undefined when absent. */
export function rankOfMember(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  at: { readonly member: Uint8Array; readonly reverse: boolean; readonly nowMs: number },
): MaybePromise<{ rank: number; score: number } | undefined | "WRONGTYPE"> {
  return runSteps((function* (): Steps<{ rank: number; score: number } | undefined | "WRONGTYPE"> {
    const meta = yield* wait(lookupCollection(tx, ks, key, { ...ZSET, nowMs: at.nowMs }));
    if (meta === undefined || meta === "WRONGTYPE") return meta;
    const z = zsetOf(ks, key, meta.gen);
    const score = yield* wait(readScore(tx, z, at.member));
    if (score === undefined) return undefined;
    const rank = yield* rankOf(tx, z.ranked, itemOf({ member: at.member, score }));
    if (!at.reverse) return { rank, score };
    const size = yield* wait(readCardinality(tx, ks, key, meta.gen));
    return { rank: size - 1 - rank, score };
  })());
}

// --- ranges ---

/** A range of the score index as half-open item bounds [low, high). */
export interface ItemRange {
  readonly low: Uint8Array;
  readonly high: Uint8Array;
}

export interface ScoreRange {
  readonly min: number;
  readonly minExclusive: boolean;
  readonly max: number;
  readonly maxExclusive: boolean;
}

/** A lex bound: a member (inclusive or not), or -/+ (undefined member). */
export interface LexBound {
  readonly member: Uint8Array | undefined;
  readonly exclusive: boolean;
}

export interface LexRange {
  readonly min: LexBound | "-" | "+";
  readonly max: LexBound | "-" | "+";
}

export function itemRangeOfScores(range: ScoreRange): ItemRange {
  const min = encodeScore(range.min);
  const max = encodeScore(range.max);
  return {
    low: range.minExclusive ? concatBytes(min, AFTER_MEMBERS) : min,
    high: range.maxExclusive ? max : concatBytes(max, AFTER_MEMBERS),
  };
}

function lexBoundItem(score: Uint8Array, bound: LexBound | "-" | "+", side: "low" | "high"): Uint8Array {
  if (bound === "-") return score;
  if (bound === "+") return concatBytes(score, AFTER_MEMBERS);
  const item = appendBytesElement(score, bound.member!);
  // low: [m starts at m, (m just after it; high (exclusive end): (m ends before m, [m just after it.
  return (side === "low") === bound.exclusive ? keyAfter(item) : item;
}

/** Whether `member` is within a lex range, Redis's zslLexValueGteMin/LteMax. */
function inLexRange(member: Uint8Array, range: LexRange): boolean {
  const { min, max } = range;
  if (min === "+" || max === "-") return false;
  if (min !== "-") {
    const c = compareBytes(member, min.member!);
    if (min.exclusive ? c <= 0 : c < 0) return false;
  }
  if (max !== "+") {
    const c = compareBytes(member, max.member!);
    if (max.exclusive ? c >= 0 : c > 0) return false;
  }
  return true;
}

/**
 * The item range of a lex range when every member has the same score (the
 * case lex ranges are for); undefined when scores differ, where the range
 * is a filter over the whole set (docs/COMPATIBILITY.md).
 */
function* itemRangeOfLex(tx: ReadTxn, z: Zset, range: LexRange): Steps<ItemRange | undefined | "EMPTY"> {
  const whole = prefixRange(z.ranked.base);
  const [first] = yield* wait(tx.getRange(whole, { limit: 1 }));
  const [last] = yield* wait(tx.getRange(whole, { limit: 1, reverse: true }));
  if (first === undefined || last === undefined) return "EMPTY";
  const low = itemOfBaseKey(z, first.key).subarray(0, 8);
  if (compareBytes(low, itemOfBaseKey(z, last.key).subarray(0, 8)) !== 0) return undefined;
  return { low: lexBoundItem(low, range.min, "low"), high: lexBoundItem(low, range.max, "high") };
}

/** Entries of [low, high) in order (or reverse), skipping `offset`, at most `count` (negative: all). */
function* readItems(tx: ReadTxn, z: Zset, span: ItemRange & { readonly reverse: boolean; readonly offset: number; readonly count: number }): Steps<ScoredMember[]> {
  const out: ScoredMember[] = [];
  if (span.count === 0 || compareBytes(span.low, span.high) >= 0) return out;
  let low = baseKey(z, span.low);
  let high = baseKey(z, span.high);
  if (span.offset > 0) {
    // Skip by rank, not by reading: O(log n) for any offset.
    const lowRank = yield* rankOf(tx, z.ranked, span.low);
    const highRank = yield* rankOf(tx, z.ranked, span.high);
    if (lowRank + span.offset >= highRank) return out;
    const start = yield* itemAt(tx, z.ranked, span.reverse ? highRank - 1 - span.offset : lowRank + span.offset);
    if (start === undefined) return out;
    if (span.reverse) high = keyAfter(baseKey(z, start));
    else low = baseKey(z, start);
  }
  for (;;) {
    const want = span.count < 0 ? MEMBER_PAGE : Math.min(MEMBER_PAGE, span.count - out.length);
    const page: KeyValue[] = yield* wait(tx.getRange({ start: low, end: high }, { limit: want, reverse: span.reverse }));
    for (const entry of page) out.push(entryOfItem(itemOfBaseKey(z, entry.key)));
    if (page.length < want || (span.count >= 0 && out.length >= span.count)) return out;
    const lastKey = page[page.length - 1]!.key;
    if (span.reverse) high = lastKey;
    else low = keyAfter(lastKey);
  }
}

/** Every entry, in order, whose member is in `range` (the mixed-score lex case). */
function* filterLex(tx: ReadTxn, z: Zset, range: LexRange): Steps<ScoredMember[]> {
  const all = yield* readItems(tx, z, { low: EMPTY, high: AFTER_ALL, reverse: false, offset: 0, count: -1 });
  return all.filter((entry) => inLexRange(entry.member, range));
}

/** After every item: +inf encodes as 0xFFF0..., NaN is never stored. */
const AFTER_ALL = new Uint8Array([0xff, 0xff]);

export type RangeSpec =
  | { readonly by: "rank"; readonly start: number; readonly stop: number }
  | { readonly by: "score"; readonly range: ScoreRange }
  | { readonly by: "lex"; readonly range: LexRange };

export interface RangeQuery {
  readonly spec: RangeSpec;
  readonly reverse: boolean;
  /** LIMIT offset count (score and lex only); count < 0: no limit. */
  readonly offset: number;
  readonly count: number;
}

/** The entries a range selects, in reply order. */
function* selectRange(tx: ReadTxn, z: Zset, query: RangeQuery, size: number): Steps<ScoredMember[]> {
  const { spec } = query;
  if (spec.by === "rank") {
    let start = spec.start < 0 ? spec.start + size : spec.start;
    let stop = spec.stop < 0 ? spec.stop + size : spec.stop;
    if (start < 0) start = 0;
    if (start > stop || start >= size) return [];
    if (stop >= size) stop = size - 1;
    const count = stop - start + 1;
    // Reply index i is set index size-1-i when reversed: read backwards from set index size-1-start.
    const first = query.reverse ? size - 1 - start : start;
    const edge = query.reverse ? first === size - 1 : first === 0;
    const from = edge ? undefined : yield* itemAt(tx, z.ranked, first);
    if (!edge && from === undefined) return [];
    if (query.reverse) return yield* readItems(tx, z, { low: EMPTY, high: from === undefined ? AFTER_ALL : keyAfter(from), reverse: true, offset: 0, count });
    return yield* readItems(tx, z, { low: from ?? EMPTY, high: AFTER_ALL, reverse: false, offset: 0, count });
  }
  if (spec.by === "score") {
    const { low, high } = itemRangeOfScores(spec.range);
    return yield* readItems(tx, z, { low, high, reverse: query.reverse, offset: query.offset, count: query.count });
  }
  const items = yield* itemRangeOfLex(tx, z, spec.range);
  if (items === "EMPTY") return [];
  if (items !== undefined) return yield* readItems(tx, z, { ...items, reverse: query.reverse, offset: query.offset, count: query.count });
  let found = yield* filterLex(tx, z, spec.range);
  if (query.reverse) found = found.reverse();
  found = found.slice(query.offset);
  return query.count < 0 ? found : found.slice(0, query.count);
}

/** ZRANGE and its older forms: the entries, [] for a missing key. */
export function rangeOf(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly query: RangeQuery; readonly nowMs: number }): MaybePromise<ScoredMember[] | "WRONGTYPE"> {
  return runSteps((function* (): Steps<ScoredMember[] | "WRONGTYPE"> {
    const meta = yield* wait(lookupCollection(tx, ks, key, { ...ZSET, nowMs: at.nowMs }));
    if (meta === undefined || meta === "WRONGTYPE") return meta ?? [];
    const z = zsetOf(ks, key, meta.gen);
    const size = at.query.spec.by === "rank" ? yield* wait(readCardinality(tx, ks, key, meta.gen)) : 0;
    return yield* selectRange(tx, z, at.query, size);
  })());
}

/** One sorted set opened for many reads: its record is looked up once (the geo commands read it range by range). */
export interface ZsetReader {
  /** The member's score, undefined when it is not in the set. */
  scoreOf(member: Uint8Array): MaybePromise<number | undefined>;
  /** The entries within `range`, lowest first, skipping `offset`, at most `count` (negative: all). */
  entriesByScore(query: { readonly range: ScoreRange; readonly offset: number; readonly count: number }): MaybePromise<ScoredMember[]>;
}

/** The sorted set at `key` opened for reads; undefined when the key is missing. */
export function openForReads(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<ZsetReader | undefined | "WRONGTYPE"> {
  const open = (meta: Meta | undefined | "WRONGTYPE"): ZsetReader | undefined | "WRONGTYPE" => {
    if (meta === undefined || meta === "WRONGTYPE") return meta;
    const z = zsetOf(ks, key, meta.gen);
    return {
      scoreOf: (member) => readScore(tx, z, member),
      entriesByScore: (query) => runSteps(readItems(tx, z, { ...itemRangeOfScores(query.range), reverse: false, offset: query.offset, count: query.count })),
    };
  };
  const meta = lookupCollection(tx, ks, key, { ...ZSET, nowMs });
  return meta instanceof Promise ? meta.then(open) : open(meta);
}

/** ZCOUNT and ZLEXCOUNT: by ranks, O(log n). */
export function countInRange(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly spec: RangeSpec; readonly nowMs: number }): MaybePromise<number | "WRONGTYPE"> {
  return runSteps((function* (): Steps<number | "WRONGTYPE"> {
    const meta = yield* wait(lookupCollection(tx, ks, key, { ...ZSET, nowMs: at.nowMs }));
    if (meta === undefined || meta === "WRONGTYPE") return meta ?? 0;
    const z = zsetOf(ks, key, meta.gen);
    let items: ItemRange | undefined | "EMPTY";
    if (at.spec.by === "score") items = itemRangeOfScores(at.spec.range);
    else if (at.spec.by === "lex") items = yield* itemRangeOfLex(tx, z, at.spec.range);
    else throw new Error("countInRange counts score and lex ranges");
    if (items === "EMPTY") return 0;
    if (items === undefined) return (yield* filterLex(tx, z, (at.spec as { range: LexRange }).range)).length;
    if (compareBytes(items.low, items.high) >= 0) return 0;
    return (yield* rankOf(tx, z.ranked, items.high)) - (yield* rankOf(tx, z.ranked, items.low));
  })());
}

// --- removals ---

/**
 * Removes `entries` (in index order); `contiguous` when nothing lies between
 * them, so the ranked set drops them as one run. The key goes with its last member.
 */
function* removeEntries(
  tx: Txn,
  z: Zset,
  meta: Meta,
  removal: { readonly entries: readonly ScoredMember[]; readonly contiguous: boolean; /** The keyspace event, sent when anything goes. */ readonly event: string },
): Steps<void> {
  const { entries } = removal;
  if (entries.length === 0) return;
  const size = yield* wait(readCardinality(tx, z.ks, z.key, meta.gen));
  if (entries.length >= size) {
    removeKey(tx, z.ks, z.key, meta);
    notifyRemoval(z.ks, z.key, { type: "z", event: removal.event, emptied: true });
    return;
  }
  notifyRemoval(z.ks, z.key, { type: "z", event: removal.event, emptied: false });
  if (removal.contiguous) {
    const items = entries.map(itemOf);
    for (let i = 0; i < entries.length; i++) {
      tx.clear(memberKey(z, entries[i]!.member));
      tx.clear(baseKey(z, items[i]!));
    }
    yield* removeRun(tx, z.ranked, { first: items[0]!, last: items[items.length - 1]!, count: items.length });
  } else {
    for (const entry of entries) yield* unlinkMember(tx, z, entry, false);
  }
  addCardinality(tx, z.ks, z.key, { gen: meta.gen, delta: -entries.length });
}

/** ZREM: how many members were there; the key goes with its last member. */
export function removeMembers(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly members: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<number | "WRONGTYPE"> {
  return runSteps((function* (): Steps<number | "WRONGTYPE"> {
    const meta = yield* wait(lookupCollectionForWrite(tx, ks, key, { ...ZSET, nowMs: change.nowMs }));
    if (meta === undefined || meta === "WRONGTYPE") return meta ?? 0;
    const z = zsetOf(ks, key, meta.gen);
    let removed = 0;
    const seen = new Set<string>();
    for (const member of change.members) {
      const id = byteString(member);
      if (seen.has(id)) continue;
      seen.add(id);
      const score = yield* wait(readScore(tx, z, member));
      if (score === undefined) continue;
      yield* unlinkMember(tx, z, { member, score }, false);
      removed++;
    }
    const emptied = yield* wait(removedMembers(tx, ks, key, { meta, removed }));
    if (removed > 0) notifyRemoval(ks, key, { type: "z", event: "zrem", emptied });
    return removed;
  })());
}

/** The keyspace event of each ZREMRANGEBY* command. */
const REMOVE_RANGE_EVENTS: Readonly<Record<RangeSpec["by"], string>> = {
  rank: "zremrangebyrank",
  score: "zremrangebyscore",
  lex: "zremrangebylex",
};

/** ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX: how many were removed. */
export function removeRange(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly spec: RangeSpec; readonly nowMs: number }): MaybePromise<number | "WRONGTYPE"> {
  return runSteps((function* (): Steps<number | "WRONGTYPE"> {
    const meta = yield* wait(lookupCollectionForWrite(tx, ks, key, { ...ZSET, nowMs: at.nowMs }));
    if (meta === undefined || meta === "WRONGTYPE") return meta ?? 0;
    const z = zsetOf(ks, key, meta.gen);
    const size = yield* wait(readCardinality(tx, ks, key, meta.gen));
    const entries = yield* selectRange(tx, z, { spec: at.spec, reverse: false, offset: 0, count: -1 }, size);
    // A mixed-score lex filter may skip members in between.
    const contiguous = at.spec.by !== "lex" || (yield* itemRangeOfLex(tx, z, at.spec.range)) !== undefined;
    yield* removeEntries(tx, z, meta, { entries, contiguous, event: REMOVE_RANGE_EVENTS[at.spec.by] });
    return entries.length;
  })());
}

/** ZPOPMIN, ZPOPMAX, ZMPOP: up to `count` lowest (or highest) entries, removed; undefined for a missing key. */
export function popEntries(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly count: number; readonly max: boolean; readonly nowMs: number }): MaybePromise<ScoredMember[] | undefined | "WRONGTYPE"> {
  return runSteps((function* (): Steps<ScoredMember[] | undefined | "WRONGTYPE"> {
    const meta = yield* wait(lookupCollectionForWrite(tx, ks, key, { ...ZSET, nowMs: at.nowMs }));
    if (meta === undefined || meta === "WRONGTYPE") return meta;
    const z = zsetOf(ks, key, meta.gen);
    const entries = yield* readItems(tx, z, { low: EMPTY, high: AFTER_ALL, reverse: at.max, offset: 0, count: at.count });
    yield* removeEntries(tx, z, meta, { entries: at.max ? [...entries].reverse() : entries, contiguous: true, event: at.max ? "zpopmax" : "zpopmin" });
    return entries;
  })());
}

// --- random members and scans ---

/** ZRANDMEMBER with a count (pickRandom's rules); undefined for a missing key. Reads the whole set. */
export async function randomEntries(tx: ReadTxn, ks: Keyspace, key: Uint8Array, pick: { readonly count: number; readonly nowMs: number }): Promise<ScoredMember[] | undefined | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...ZSET, nowMs: pick.nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta;
  const all = (await readAllMembers(tx, ks, key, meta.gen)).map((entry) => ({ member: entry.member, score: decodeScore(entry.stored) }));
  return pickRandom(all, pick.count);
}

export interface ZsetPage {
  readonly entries: ScoredMember[];
  readonly resumeAfter: Uint8Array | undefined;
}

/** One ZSCAN page, in member byte order: up to `limit` members after `after`, then filtered by `match`. */
export async function scanEntries(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  page: { readonly after?: Uint8Array; readonly limit: number; readonly match?: (member: Uint8Array) => boolean; readonly nowMs: number },
): Promise<ZsetPage | undefined | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...ZSET, nowMs: page.nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta;
  const found = await readMemberPage(tx, ks, key, { gen: meta.gen, after: page.after, limit: page.limit });
  const last = found[found.length - 1];
  const entries = found.map((entry) => ({ member: entry.member, score: decodeScore(entry.stored) }));
  return {
    entries: page.match ? entries.filter((entry) => page.match!(entry.member)) : entries,
    resumeAfter: found.length < page.limit || last === undefined ? undefined : last.member,
  };
}

// --- ZUNION, ZINTER, ZDIFF and their STORE forms ---

export type Combination = "union" | "inter" | "diff";
export type Aggregate = "sum" | "min" | "max";

interface Source {
  readonly key: Uint8Array;
  readonly meta: Meta | undefined;
  readonly weight: number;
}

/** Redis's rule: a NaN (inf * 0, inf - inf) counts as 0. */
function noNaN(value: number): number {
  return Number.isNaN(value) ? 0 : value;
}

function aggregate(into: number, value: number, how: Aggregate): number {
  switch (how) {
    case "sum":
      return noNaN(into + value);
    case "min":
      return value < into ? value : into;
    case "max":
      return value > into ? value : into;
  }
}

async function sourceSize(tx: ReadTxn, ks: Keyspace, source: Source): Promise<number> {
  return source.meta === undefined ? 0 : await readCardinality(tx, ks, source.key, source.meta.gen);
}

/** Every member of a source with its score (1 for a set member). */
async function sourceEntries(tx: ReadTxn, ks: Keyspace, source: Source): Promise<ScoredMember[]> {
  if (source.meta === undefined) return [];
  const all = await readAllMembers(tx, ks, source.key, source.meta.gen);
  const isSet = source.meta.type === KeyType.Set;
  return all.map((entry) => ({ member: entry.member, score: isSet ? 1 : decodeScore(entry.stored) }));
}

async function sourceScore(tx: ReadTxn, ks: Keyspace, source: Source, member: Uint8Array): Promise<number | undefined> {
  if (source.meta === undefined) return undefined;
  const stored = await tx.get(ks.fieldKey(source.key, source.meta.gen, member));
  if (stored === undefined) return undefined;
  return source.meta.type === KeyType.Set ? 1 : decodeScore(stored);
}

/** Sorted sets and sets (scores 1) as sources; WRONGTYPE for anything else (all checked first, as Redis does). */
async function lookupSources(tx: ReadTxn, ks: Keyspace, keys: readonly Uint8Array[], at: { readonly weights?: readonly number[]; readonly nowMs: number }): Promise<Source[] | "WRONGTYPE"> {
  const sources: Source[] = [];
  for (const [i, key] of keys.entries()) {
    const meta = await lookupCollection(tx, ks, key, { type: KeyType.ZSet, nowMs: at.nowMs });
    let found: Meta | undefined;
    if (meta === "WRONGTYPE") {
      const asSet = await lookupCollection(tx, ks, key, { type: KeyType.Set, nowMs: at.nowMs });
      if (asSet === "WRONGTYPE") return asSet;
      found = asSet;
    } else found = meta;
    sources.push({ key, meta: found, weight: at.weights?.[i] ?? 1 });
  }
  return sources;
}

function sortEntries(entries: ScoredMember[]): ScoredMember[] {
  return entries.sort((a, b) => (a.score !== b.score ? (a.score < b.score ? -1 : 1) : compareBytes(a.member, b.member)));
}

async function combine(tx: ReadTxn, ks: Keyspace, sources: readonly Source[], how: { readonly operation: Combination; readonly aggregate: Aggregate; readonly limit?: number }): Promise<ScoredMember[]> {
  if (how.operation === "union") {
    const out = new Map<string, { member: Uint8Array; score: number }>();
    for (const source of sources) {
      for (const entry of await sourceEntries(tx, ks, source)) {
        const value = noNaN(entry.score * source.weight);
        const id = byteString(entry.member);
        const known = out.get(id);
        if (known === undefined) out.set(id, { member: entry.member, score: value });
        else known.score = aggregate(known.score, value, how.aggregate);
      }
    }
    return sortEntries([...out.values()]);
  }
  if (how.operation === "inter") {
    if (sources.some((source) => source.meta === undefined)) return [];
    const sized = await Promise.all(sources.map(async (source, index) => ({ source, index, size: await sourceSize(tx, ks, source) })));
    // The smallest first, point reads into the others; scores aggregate in the given order.
    const smallest = [...sized].sort((a, b) => a.size - b.size)[0]!;
    const out: ScoredMember[] = [];
    for (const entry of await sourceEntries(tx, ks, smallest.source)) {
      let score = 0;
      let present = true;
      for (const { source, index } of sized) {
        const raw = index === smallest.index ? entry.score : await sourceScore(tx, ks, source, entry.member);
        if (raw === undefined) {
          present = false;
          break;
        }
        const value = noNaN(raw * source.weight);
        score = index === 0 ? value : aggregate(score, value, how.aggregate);
      }
      if (!present) continue;
      out.push({ member: entry.member, score });
      if (how.limit !== undefined && how.limit > 0 && out.length >= how.limit) break;
    }
    return sortEntries(out);
  }
  const [first, ...others] = sources;
  if (first?.meta === undefined) return [];
  const out: ScoredMember[] = [];
  for (const entry of await sourceEntries(tx, ks, first)) {
    let kept = true;
    for (const other of others) if ((await sourceScore(tx, ks, other, entry.member)) !== undefined) kept = false;
    if (kept) out.push(entry);
  }
  return sortEntries(out);
}

export interface CombineOptions {
  readonly operation: Combination;
  readonly weights?: readonly number[];
  readonly aggregate: Aggregate;
  readonly nowMs: number;
}

/** ZUNION, ZINTER, ZDIFF: the result, sorted by score then member. */
export async function combineSets(tx: ReadTxn, ks: Keyspace, keys: readonly Uint8Array[], options: CombineOptions): Promise<ScoredMember[] | "WRONGTYPE"> {
  const sources = await lookupSources(tx, ks, keys, options);
  if (sources === "WRONGTYPE") return sources;
  return combine(tx, ks, sources, options);
}

/** ZINTERCARD: the intersection's size, counting no further than `limit` (0: no limit). */
export async function intersectionSize(tx: ReadTxn, ks: Keyspace, keys: readonly Uint8Array[], options: { readonly limit: number; readonly nowMs: number }): Promise<number | "WRONGTYPE"> {
  const sources = await lookupSources(tx, ks, keys, options);
  if (sources === "WRONGTYPE") return sources;
  return (await combine(tx, ks, sources, { operation: "inter", aggregate: "sum", limit: options.limit })).length;
}

/**
 * Replaces whatever `destination` holds with a sorted set of `entries`
 * (sorted, distinct members); an empty result deletes it. Returns the size.
 * The levels are built at once, without reads (ranked_set.ts buildLevels).
 */
async function storeEntries(
  tx: Txn,
  ks: Keyspace,
  destination: Uint8Array,
  at: { readonly entries: readonly ScoredMember[]; /** The command's keyspace event. */ readonly event: string; readonly nowMs: number },
): Promise<number | "MEMBER_TOO_LARGE"> {
  for (const entry of at.entries) if (!memberFits(ks, destination, entry.member)) return "MEMBER_TOO_LARGE";
  const previous = await lookupForWrite(tx, ks, destination, at.nowMs);
  if (at.entries.length === 0) {
    if (previous !== undefined) {
      removeKey(tx, ks, destination, previous);
      ks.notify("g", "del", destination);
    }
    return 0;
  }
  const meta = replaceWithCollection(tx, ks, destination, { previous, type: KeyType.ZSet });
  const z = zsetOf(ks, destination, meta.gen);
  const items = at.entries.map(itemOf);
  for (let i = 0; i < items.length; i++) {
    tx.set(memberKey(z, at.entries[i]!.member), encodeScore(at.entries[i]!.score));
    tx.set(baseKey(z, items[i]!), EMPTY);
  }
  buildLevels(tx, z.ranked, items);
  addCardinality(tx, ks, destination, { gen: meta.gen, delta: items.length });
  ks.notify("z", at.event, destination);
  return items.length;
}

/**
 * Replaces whatever `destination` holds with a sorted set of `entries`
 * (distinct members, in any order); none deletes it. Returns the size
 * (GEOSEARCHSTORE, GEORADIUS ... STORE).
 */
export function storeSortedSet(
  tx: Txn,
  ks: Keyspace,
  destination: Uint8Array,
  at: { readonly entries: readonly ScoredMember[]; readonly event: string; readonly nowMs: number },
): Promise<number | "MEMBER_TOO_LARGE"> {
  return storeEntries(tx, ks, destination, { entries: sortEntries([...at.entries]), event: at.event, nowMs: at.nowMs });
}

/** The keyspace event of each *STORE of a combination. */
const STORE_EVENTS: Readonly<Record<Combination, string>> = { union: "zunionstore", inter: "zinterstore", diff: "zdiffstore" };

/** ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE. */
export async function storeCombination(
  tx: Txn,
  ks: Keyspace,
  store: CombineOptions & { readonly destination: Uint8Array; readonly keys: readonly Uint8Array[] },
): Promise<number | ZsetStatus> {
  const sources = await lookupSources(tx, ks, store.keys, store);
  if (sources === "WRONGTYPE") return sources;
  const entries = await combine(tx, ks, sources, store);
  return storeEntries(tx, ks, store.destination, { entries, event: STORE_EVENTS[store.operation], nowMs: store.nowMs });
}

/** ZRANGESTORE: the selected range of `source` stored at `destination`. */
export async function storeRange(
  tx: Txn,
  ks: Keyspace,
  store: { readonly destination: Uint8Array; readonly source: Uint8Array; readonly query: RangeQuery; readonly nowMs: number },
): Promise<number | ZsetStatus> {
  const found = await rangeOf(tx, ks, store.source, { query: store.query, nowMs: store.nowMs });
  if (found === "WRONGTYPE") return found;
  return storeEntries(tx, ks, store.destination, { entries: sortEntries([...found]), event: "zrangestore", nowMs: store.nowMs });
}
