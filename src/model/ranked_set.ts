// A ranked set kept in the ordered store: the rank of an item, and the item
// at a rank, in O(log n) reads, on any engine. The design is FoundationDB's
// Record Layer RankedSet (a skip list of counts), over our engine contract.
//
// Items are byte strings ordered by their bytes (for sorted sets: the score
// index's suffix, score then member). Level 0 is the caller's own index: one
// key per item, `base + item`. Levels 1..TOP_LEVEL hold a sample of the items,
// each `level(l) + item → count` (int64 LE, by atomic add), where count is the
// number of items from this one (inclusive) to the next entry of the same
// level (exclusive). Every level also has a sentinel, `level(l)` itself
// (the empty item), counting the items before its first entry; a missing
// entry counts 0. An item is at level l when the l lowest nibbles of its hash
// are zero: about n / 16^l entries, and about 16 entries between two entries
// of the level above, so a walk from the top reads O(TOP_LEVEL * 16) entries.
//
// Concurrency (FoundationDB): adding or removing an item that is not sampled
// at level l only adds ±1 to its predecessor's count there (tx.add, no
// conflict). The predecessor is found with a snapshot read; a read conflict
// range (Txn.addReadConflictRange, no read) strictly between it and the item
// makes the transaction conflict only with a concurrent insertion of an entry
// in between, and one on the predecessor's level-0 key only with its removal.
// So writers of
// different items do not conflict, except where an item sampled at level l
// splits its predecessor's count: that reads the count, and conflicts with
// concurrent writers within the same stretch of level l (rarer the higher
// the level: 1 item in 16^l).
import { decodeInt64 } from "../engine/atomic_add.ts";
import { compareBytes, concatBytes, keyAfter } from "../engine/bytes.ts";
import type { KeyValue, MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { all } from "../engine/maybe_promise.ts";
import { prefixRange } from "../engine/tuple.ts";
import { type Steps, wait } from "./ranked_steps.ts";

/** Levels above the caller's index. */
export const TOP_LEVEL = 5;
const BITS_PER_LEVEL = 4;
/** Entries read per engine read while walking a level. */
const WALK_PAGE = 64;
const EMPTY: Uint8Array = new Uint8Array(0);

/** Where a ranked set lives. */
export interface RankedLayout {
  /** Level 0: `base + item` for every item (the caller writes these). */
  readonly base: Uint8Array;
  /** The prefixes of levels 1..TOP_LEVEL, by level (index 0 unused). */
  readonly levels: readonly Uint8Array[];
}

export function rankedLayout(base: Uint8Array, levelPrefix: (level: number) => Uint8Array): RankedLayout {
  const levels: Uint8Array[] = [EMPTY];
  for (let l = 1; l <= TOP_LEVEL; l++) levels.push(levelPrefix(l));
  return { base, levels };
}

/** The highest level an item is sampled at (0: only in the base). */
export function levelOf(item: Uint8Array): number {
  // FNV-1a, then murmur3's finalizer so that every bit depends on every byte.
  let h = 0x811c9dc5;
  for (let i = 0; i < item.length; i++) h = Math.imul(h ^ item[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  let level = 0;
  while (level < TOP_LEVEL && (h & ((1 << BITS_PER_LEVEL) - 1)) === 0) {
    level++;
    h >>>= BITS_PER_LEVEL;
  }
  return level;
}

function countOf(value: Uint8Array | undefined): number {
  return value === undefined ? 0 : Number(decodeInt64(value));
}

/** The entries of a level (or the base) from `from` (an item, inclusive) up to `until` (exclusive, or inclusive). */
function* readEntries(
  tx: ReadTxn,
  prefix: Uint8Array,
  span: { readonly from: Uint8Array; readonly until?: Uint8Array; readonly inclusive?: boolean; readonly limit?: number },
): Steps<KeyValue[]> {
  const end = span.until === undefined
    ? prefixRange(prefix).end
    : span.inclusive ? keyAfter(concatBytes(prefix, span.until)) : concatBytes(prefix, span.until);
  return yield* wait(tx.getRange({ start: concatBytes(prefix, span.from), end }, { limit: span.limit ?? 0 }));
}

/** How many items are in [from, until) at level 0. */
function* countBase(tx: ReadTxn, layout: RankedLayout, span: { readonly from: Uint8Array; readonly until: Uint8Array }): Steps<number> {
  let from = concatBytes(layout.base, span.from);
  const end = concatBytes(layout.base, span.until);
  let count = 0;
  for (;;) {
    const page = yield* wait(tx.getRange({ start: from, end }, { limit: WALK_PAGE }));
    count += page.length;
    if (page.length < WALK_PAGE) return count;
    from = keyAfter(page[page.length - 1]!.key);
  }
}

/** The number of items before `item` (which need not be in the set). */
export function* rankOf(tx: ReadTxn, layout: RankedLayout, item: Uint8Array): Steps<number> {
  let rank = 0;
  let from = EMPTY;
  for (let l = TOP_LEVEL; l >= 1; l--) {
    const prefix = layout.levels[l]!;
    // Entries e with from <= e <= item: every one but the last lies wholly before `item`.
    for (;;) {
      const page = yield* readEntries(tx, prefix, { from, until: item, inclusive: true, limit: WALK_PAGE });
      const last = page[page.length - 1];
      if (last === undefined) break;
      for (let i = 0; i < page.length - 1; i++) rank += countOf(page[i]!.value);
      const lastItem = last.key.subarray(prefix.length);
      if (page.length < WALK_PAGE) {
        if (compareBytes(lastItem, item) === 0) return rank; // the item is an entry: everything before it is counted
        from = lastItem;
        break;
      }
      // A full page: go on from its last entry (counted on the next page, or descended into).
      from = lastItem;
    }
  }
  return rank + (yield* countBase(tx, layout, { from, until: item }));
}

/** The item at `index` (0-based), or undefined past the end. */
export function* itemAt(tx: ReadTxn, layout: RankedLayout, index: number): Steps<Uint8Array | undefined> {
  if (index < 0) return undefined;
  let rank = 0;
  let from = EMPTY;
  for (let l = TOP_LEVEL; l >= 1; l--) {
    const prefix = layout.levels[l]!;
    const end = prefixRange(prefix).end;
    let start = concatBytes(prefix, from);
    walk: for (;;) {
      const page = yield* wait(tx.getRange({ start, end }, { limit: WALK_PAGE }));
      for (const entry of page) {
        const count = countOf(entry.value);
        if (rank + count > index) {
          from = entry.key.subarray(prefix.length);
          break walk;
        }
        rank += count;
      }
      // Every stretch of this level counted, and the index is past them all.
      if (page.length < WALK_PAGE) return undefined;
      start = keyAfter(page[page.length - 1]!.key);
    }
  }
  const skip = index - rank;
  const page = yield* wait(tx.getRange({ start: concatBytes(layout.base, from), end: prefixRange(layout.base).end }, { limit: skip + 1 }));
  const found = page[skip];
  return found === undefined ? undefined : found.key.subarray(layout.base.length);
}

/**
 * The last entry of each level strictly before `item` (EMPTY: the sentinel),
 * read without conflicts; indexed by level (index 0 unused). The levels' reads
 * go together: one round trip on FoundationDB rather than one per level.
 */
function* predecessors(tx: Txn, layout: RankedLayout, item: Uint8Array): Steps<Uint8Array[]> {
  const reads: MaybePromise<KeyValue[]>[] = [];
  for (let l = 1; l <= TOP_LEVEL; l++) {
    const prefix = layout.levels[l]!;
    reads.push(tx.snapshot.getRange({ start: prefix, end: concatBytes(prefix, item) }, { limit: 1, reverse: true }));
  }
  const found = yield* wait(all(reads));
  const prevs: Uint8Array[] = [EMPTY];
  for (let l = 1; l <= TOP_LEVEL; l++) {
    const prev = found[l - 1]![0];
    prevs.push(prev === undefined ? EMPTY : prev.key.subarray(layout.levels[l]!.length));
  }
  return prevs;
}

/**
 * Conflicts with what would make `prev` the wrong entry to count into: a
 * new entry of this level between it and `first`, or its own removal (its
 * level-0 key goes with it). Not with counts added to `prev` itself. Declared
 * as read conflict ranges: nothing needs reading.
 */
function conflictOnPredecessor(tx: Txn, layout: RankedLayout, at: { readonly prefix: Uint8Array; readonly prev: Uint8Array; readonly first: Uint8Array }): void {
  tx.addReadConflictRange({ start: keyAfter(concatBytes(at.prefix, at.prev)), end: concatBytes(at.prefix, at.first) });
  if (at.prev.length > 0) {
    const baseKey = concatBytes(layout.base, at.prev);
    tx.addReadConflictRange({ start: baseKey, end: keyAfter(baseKey) });
  }
}

/** Counts `item` in, after the caller wrote its level-0 key `base + item`. */
export function* insertItem(tx: Txn, layout: RankedLayout, item: Uint8Array): Steps<void> {
  const top = levelOf(item);
  const prevs = yield* predecessors(tx, layout, item);
  for (let l = top + 1; l <= TOP_LEVEL; l++) conflictOnPredecessor(tx, layout, { prefix: layout.levels[l]!, prev: prevs[l]!, first: item });
  for (let l = 1; l <= TOP_LEVEL; l++) {
    const prefix = layout.levels[l]!;
    const prev = prevs[l]!;
    if (l > top) {
      tx.add(concatBytes(prefix, prev), 1n);
      continue;
    }
    // The item is sampled here: it splits its predecessor's stretch in two.
    const before = l === 1 ? yield* countBase(tx, layout, { from: prev, until: item }) : yield* sumCounts(tx, layout.levels[l - 1]!, { from: prev, until: item });
    const prevCount = countOf(yield* wait(tx.get(concatBytes(prefix, prev))));
    tx.set(concatBytes(prefix, prev), encodeCount(before));
    tx.set(concatBytes(prefix, item), encodeCount(prevCount - before + 1));
  }
}

/** The sum of the counts of the entries of a level in [from, until). */
function* sumCounts(tx: ReadTxn, prefix: Uint8Array, span: { readonly from: Uint8Array; readonly until: Uint8Array }): Steps<number> {
  let sum = 0;
  let from = span.from;
  for (;;) {
    const page = yield* readEntries(tx, prefix, { from, until: span.until, limit: WALK_PAGE });
    for (const entry of page) sum += countOf(entry.value);
    if (page.length < WALK_PAGE) return sum;
    from = keyAfter(page[page.length - 1]!.key).subarray(prefix.length);
  }
}

/**
 * Counts out a run of `count` consecutive items, `first` to `last`
 * (inclusive), after the caller cleared their level-0 keys: each level's
 * entries among them go, and their counts, less the removed items, join
 * their predecessor's. One item: first = last, count 1.
 */
export function* removeRun(tx: Txn, layout: RankedLayout, run: { readonly first: Uint8Array; readonly last: Uint8Array; readonly count: number }): Steps<void> {
  const single = run.count === 1 && levelOf(run.first) === 0;
  const prevs = yield* predecessors(tx, layout, run.first);
  for (let l = 1; l <= TOP_LEVEL; l++) conflictOnPredecessor(tx, layout, { prefix: layout.levels[l]!, prev: prevs[l]!, first: run.first });
  for (let l = 1; l <= TOP_LEVEL; l++) {
    const prefix = layout.levels[l]!;
    // A lone item sampled nowhere has no entries to read: the common ZREM.
    const inside = single ? 0 : yield* sumCounts(tx, prefix, { from: run.first, until: keyAfter(run.last) });
    if (!single) tx.clearRange({ start: concatBytes(prefix, run.first), end: keyAfter(concatBytes(prefix, run.last)) });
    const delta = inside - run.count;
    if (delta !== 0) tx.add(concatBytes(prefix, prevs[l]!), BigInt(delta));
  }
}

/** Counts `item` out, after the caller cleared its level-0 key. */
export function removeItem(tx: Txn, layout: RankedLayout, item: Uint8Array): Steps<void> {
  return removeRun(tx, layout, { first: item, last: item, count: 1 });
}

function encodeCount(count: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(count), true);
  return out;
}

/**
 * Writes the levels of a new ranked set whose items, sorted, are `items`
 * (their level-0 keys written by the caller), without a read: the *STORE
 * commands build their result this way.
 */
export function buildLevels(tx: Txn, layout: RankedLayout, items: readonly Uint8Array[]): void {
  const levels = items.map(levelOf);
  for (let l = 1; l <= TOP_LEVEL; l++) {
    const prefix = layout.levels[l]!;
    let entry = EMPTY;
    let count = 0;
    for (let i = 0; i < items.length; i++) {
      if (levels[i]! >= l) {
        tx.set(concatBytes(prefix, entry), encodeCount(count));
        entry = items[i]!;
        count = 0;
      }
      count++;
    }
    tx.set(concatBytes(prefix, entry), encodeCount(count));
  }
}
