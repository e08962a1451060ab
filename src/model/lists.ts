// Lists over the engine, laid out like Kvrocks's: the meta body holds the
// list's head and tail indexes, and item i lives at ks.indexKey(key, gen,
// head + i). Indexes start at 0, the middle of the safe-integer range, so
// both ends can grow; tuple integers keep negative and positive indexes in
// order. So:
//   - LLEN is tail - head, from the meta alone;
//   - LINDEX and LSET touch one item (a point read, a blind write);
//   - pushes and pops touch only the items they add or remove, plus the meta
//     (concurrent pushes to one list therefore serialise on the meta, as
//     data-model.md §4 says);
//   - LRANGE, and pops with a count, are one bounded range read;
//   - LTRIM is two range clears;
//   - LINSERT and LREM rewrite the items between the change and the nearer
//     end they can use, O(N) like Kvrocks; that rewrite must fit in one
//     transaction (FoundationDB: 10 MB), so on a list of several MB it can
//     fail with the engine's transaction-size error (docs/COMPATIBILITY.md).
//
// An item whose value would exceed ITEM_CHUNK_BYTES is split: its own key
// holds a header and the first chunk, continuation chunks follow at
// indexKey(...index) + tuple(n), which sort between item index and index+1,
// so a range read over [index a, index b) returns whole items.
import { readFloat64LE, readUint32LE, writeFloat64LE, writeUint32LE } from "../engine/little_endian.ts";
import { bytesEqual, concatBytes } from "../engine/bytes.ts";
import type { KeyValue, MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { packTuple } from "../engine/tuple.ts";
import { lookup, lookupForWrite, putMeta, removeKey } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { READ_PAGE_PAIRS, ReadPacer } from "./paged_read.ts";
import { STRING_CHUNK_BYTES } from "./limits.ts";
import { KeyType, type Meta } from "./meta.ts";
import type { Status } from "./status.ts";

/** Items up to this size are one engine value; longer ones are split in chunks of this size. */
export const ITEM_CHUNK_BYTES = STRING_CHUNK_BYTES;
/** Items read per range read when a command walks a list (LPOS, LINSERT, LREM). */
export const WALK_BATCH_ITEMS = 512;

const WHOLE_ITEM = 0;
const SPLIT_ITEM = 1;
const SPLIT_HEADER_BYTES = 5;
const BODY_BYTES = 16;

export type ListEnd = "left" | "right";

/** A live list: its meta and the bounds of its items, [head, tail). */
export interface ListRef {
  readonly key: Uint8Array;
  readonly meta: Meta;
  readonly head: number;
  readonly tail: number;
}

function encodeBounds(head: number, tail: number): Uint8Array {
  const body = new Uint8Array(BODY_BYTES);
  writeFloat64LE(body, 0, head);
  writeFloat64LE(body, 8, tail);
  return body;
}

function refOf(key: Uint8Array, meta: Meta): ListRef {
  return { key, meta, head: readFloat64LE(meta.body, 0), tail: readFloat64LE(meta.body, 8) };
}

function lengthOf(list: ListRef): number {
  return list.tail - list.head;
}

/** The list at `key` for a read; undefined when missing. */
function openForRead(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<ListRef | undefined | "WRONGTYPE"> {
  return then(lookup(tx, ks, key, nowMs), (meta) => listOf(key, meta));
}

/** The list at `key` for a write (an expired key is deleted first); undefined when missing. */
function openForWrite(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<ListRef | undefined | "WRONGTYPE"> {
  return then(lookupForWrite(tx, ks, key, nowMs), (meta) => listOf(key, meta));
}

function listOf(key: Uint8Array, meta: Meta | undefined): ListRef | undefined | "WRONGTYPE" {
  if (meta === undefined) return undefined;
  if (meta.type !== KeyType.List) return "WRONGTYPE";
  return refOf(key, meta);
}

/** Stores new bounds, or deletes the key when the list became empty. Keeps the TTL. */
function saveBounds(tx: Txn, ks: Keyspace, list: ListRef, head: number, tail: number): "EMPTIED" | undefined {
  if (tail <= head) {
    removeKey(tx, ks, list.key, list.meta);
    return "EMPTIED";
  }
  if (head === list.head && tail === list.tail) return undefined;
  putMeta(tx, ks, list.key, list.meta, { ...list.meta, body: encodeBounds(head, tail) });
  return undefined;
}

/**
 * A list command's keyspace event, then `del` when it left the list empty
 * (and so deleted it), in Redis's order. Here rather than in the commands,
 * so that every path that pops (the blocking ones too) reports the same.
 */
function notifyChange(ks: Keyspace, key: Uint8Array, change: { readonly event: string; readonly emptied: boolean }): void {
  ks.notify("l", change.event, key);
  if (change.emptied) ks.notify("g", "del", key);
}

const PUSH_EVENT = { left: "lpush", right: "rpush" } as const;
const POP_EVENT = { left: "lpop", right: "rpop" } as const;

// --- items ---

function itemKey(ks: Keyspace, list: ListRef, index: number): Uint8Array {
  return ks.indexKey(list.key, list.meta.gen, index);
}

/** Items [from, to) with their chunks. */
function itemsRange(ks: Keyspace, list: ListRef, from: number, to: number) {
  return { start: itemKey(ks, list, from), end: itemKey(ks, list, to) };
}

function writeItem(tx: Txn, ks: Keyspace, list: ListRef, index: number, element: Uint8Array): void {
  const k = itemKey(ks, list, index);
  if (element.length <= ITEM_CHUNK_BYTES) {
    const value = new Uint8Array(1 + element.length);
    value[0] = WHOLE_ITEM;
    value.set(element, 1);
    tx.set(k, value);
    return;
  }
  const first = new Uint8Array(SPLIT_HEADER_BYTES + ITEM_CHUNK_BYTES);
  first[0] = SPLIT_ITEM;
  writeUint32LE(first, 1, element.length);
  first.set(element.subarray(0, ITEM_CHUNK_BYTES), SPLIT_HEADER_BYTES);
  tx.set(k, first);
  for (let chunk = 1, at = ITEM_CHUNK_BYTES; at < element.length; chunk++, at += ITEM_CHUNK_BYTES) {
    tx.set(concatBytes(k, packTuple([chunk])), element.subarray(at, at + ITEM_CHUNK_BYTES));
  }
}

/** Replaces whatever sits at `index` (a split item's chunks included) by `element`. */
function overwriteItem(tx: Txn, ks: Keyspace, list: ListRef, index: number, element: Uint8Array): void {
  tx.clearRange(itemsRange(ks, list, index, index + 1));
  writeItem(tx, ks, list, index, element);
}

function splitLength(value: Uint8Array): number {
  return readUint32LE(value, 1);
}

/** Decodes the entries of a range read over whole items, in order. */
function decodeItems(entries: readonly KeyValue[]): Uint8Array[] {
  const items: Uint8Array[] = [];
  for (let i = 0; i < entries.length; i++) {
    const value = entries[i]!.value;
    if (value[0] === WHOLE_ITEM) {
      items.push(value.subarray(1));
      continue;
    }
    const total = splitLength(value);
    const element = new Uint8Array(total);
    element.set(value.subarray(SPLIT_HEADER_BYTES), 0);
    let at = value.length - SPLIT_HEADER_BYTES;
    while (at < total) {
      const chunk = entries[++i]!.value;
      element.set(chunk, at);
      at += chunk.length;
    }
    items.push(element);
  }
  return items;
}

/**
 * Items [from, to): one bounded range read, or for many items one per page
 * of whole items (a split item's chunks stay with it), letting other clients
 * run between pages (paged_read.ts).
 */
function readItems(tx: ReadTxn, ks: Keyspace, list: ListRef, from: number, to: number): MaybePromise<Uint8Array[]> {
  if (to <= from) return [];
  if (to - from <= READ_PAGE_PAIRS) return then(tx.getRange(itemsRange(ks, list, from, to)), decodeItems);
  return readItemPages(tx, ks, list, from, to);
}

/** readItems of many items, page by page. */
async function readItemPages(tx: ReadTxn, ks: Keyspace, list: ListRef, from: number, to: number): Promise<Uint8Array[]> {
  const pacer = new ReadPacer();
  const items: Uint8Array[] = [];
  for (let at = from; at < to; at += READ_PAGE_PAIRS) {
    const page = decodeItems(await tx.getRange(itemsRange(ks, list, at, Math.min(to, at + READ_PAGE_PAIRS))));
    for (const item of page) items.push(item);
    const pause = pacer.pause();
    if (pause !== undefined) await pause;
  }
  return items;
}

/** One item: a point read (plus its chunks' range when it is split). */
function readItem(tx: ReadTxn, ks: Keyspace, list: ListRef, index: number): MaybePromise<Uint8Array> {
  const k = itemKey(ks, list, index);
  return then(tx.get(k), (value) => {
    if (value === undefined) throw new Error(`list item ${index} is missing inside [${list.head}, ${list.tail}): the list's storage is corrupt`);
    if (value[0] === WHOLE_ITEM) return value.subarray(1);
    return then(tx.getRange({ start: concatBytes(k, packTuple([1])), end: itemKey(ks, list, index + 1) }), (chunks) => decodeItems([{ key: k, value }, ...chunks])[0]!);
  });
}

// --- commands ---

export interface PushOptions {
  readonly elements: readonly Uint8Array[];
  readonly end: ListEnd;
  /** LPUSHX/RPUSHX: push only onto an existing list. */
  readonly onlyIfExists: boolean;
  readonly nowMs: number;
}

/** LPUSH, RPUSH, LPUSHX, RPUSHX: the new length (0 when X and missing). The key keeps its TTL. */
export function push(tx: Txn, ks: Keyspace, key: Uint8Array, options: PushOptions): MaybePromise<number | "WRONGTYPE"> {
  return then(openForWrite(tx, ks, key, options.nowMs), (found) => pushOnto(tx, ks, key, { found, options }));
}

/** push's writes, once the list is known. */
function pushOnto(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  at: { readonly found: ListRef | undefined | "WRONGTYPE"; readonly options: PushOptions },
): number | "WRONGTYPE" {
  const { found, options } = at;
  if (found === "WRONGTYPE") return found;
  if (found === undefined && (options.onlyIfExists || options.elements.length === 0)) return 0;
  if (options.elements.length === 0) return lengthOf(found!);
  const list = found ?? refOf(key, { type: KeyType.List, flags: 0, expireAt: 0, gen: 0, body: encodeBounds(0, 0) });
  let { head, tail } = list;
  for (const element of options.elements) {
    if (options.end === "left") writeItem(tx, ks, list, --head, element);
    else writeItem(tx, ks, list, tail++, element);
  }
  putMeta(tx, ks, key, found?.meta, { ...list.meta, body: encodeBounds(head, tail) });
  ks.notify("l", PUSH_EVENT[options.end], key);
  return tail - head;
}

/**
 * Replaces whatever `key` holds (any type; `previous` is its live meta from
 * lookupForWrite) by a list of `items`, without a TTL (SORT ... STORE). The
 * caller reports the keyspace event.
 */
export function replaceWithList(tx: Txn, ks: Keyspace, key: Uint8Array, replacement: { readonly previous: Meta | undefined; readonly items: readonly Uint8Array[] }): void {
  const { previous, items } = replacement;
  if (previous !== undefined) tx.clearRange(ks.membersOfKey(key));
  const gen = previous === undefined ? 0 : previous.gen + 1;
  const list = refOf(key, { type: KeyType.List, flags: 0, expireAt: 0, gen, body: encodeBounds(0, 0) });
  for (let i = 0; i < items.length; i++) writeItem(tx, ks, list, i, items[i]!);
  putMeta(tx, ks, key, previous, { ...list.meta, body: encodeBounds(0, items.length) });
}

/**
 * LPOP, RPOP: up to `count` items from one end (one range read), in pop
 * order. Undefined when the key is missing. A list left empty is deleted.
 */
export function pop(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  options: { readonly end: ListEnd; readonly count: number; readonly nowMs: number },
): MaybePromise<Uint8Array[] | undefined | "WRONGTYPE"> {
  return then(openForWrite(tx, ks, key, options.nowMs), (list) => {
    if (list === undefined || list === "WRONGTYPE") return list;
    const n = Math.min(options.count, lengthOf(list));
    if (n === 0) return [];
    const from = options.end === "left" ? list.head : list.tail - n;
    return then(readItems(tx, ks, list, from, from + n), (items) => removePopped(tx, ks, list, { from, n, items, end: options.end }));
  });
}

/** pop's writes, once the `n` items at [from, from + n) are read: clears them; the items in pop order. */
function removePopped(
  tx: Txn,
  ks: Keyspace,
  list: ListRef,
  popped: { readonly from: number; readonly n: number; readonly items: Uint8Array[]; readonly end: ListEnd },
): Uint8Array[] {
  const { from, n, items } = popped;
  const to = from + n;
  if (n < lengthOf(list)) tx.clearRange(itemsRange(ks, list, from, to));
  const left = popped.end === "left";
  const saved = left ? saveBounds(tx, ks, list, to, list.tail) : saveBounds(tx, ks, list, list.head, from);
  notifyChange(ks, list.key, { event: POP_EVENT[popped.end], emptied: saved === "EMPTIED" });
  return left ? items : items.reverse();
}

/** LLEN: from the meta alone. */
export function length(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<number | "WRONGTYPE"> {
  return then(openForRead(tx, ks, key, nowMs), (list) => {
    if (list === "WRONGTYPE") return list;
    return list === undefined ? 0 : lengthOf(list);
  });
}

/** LRANGE: Redis's inclusive, negative-from-the-end bounds; one bounded range read. */
export async function range(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  bounds: { readonly start: number; readonly stop: number; readonly nowMs: number },
): Promise<Uint8Array[] | "WRONGTYPE"> {
  const list = await openForRead(tx, ks, key, bounds.nowMs);
  if (list === undefined) return [];
  if (list === "WRONGTYPE") return list;
  const llen = lengthOf(list);
  let { start, stop } = bounds;
  if (start < 0) start = llen + start;
  if (stop < 0) stop = llen + stop;
  if (start < 0) start = 0;
  if (start > stop || start >= llen) return [];
  if (stop >= llen) stop = llen - 1;
  return readItems(tx, ks, list, list.head + start, list.head + stop + 1);
}

/** Position `index` (negative from the end) as an absolute item index, or undefined when out of range. */
function absoluteIndex(list: ListRef, index: number): number | undefined {
  const i = index < 0 ? lengthOf(list) + index : index;
  return i < 0 || i >= lengthOf(list) ? undefined : list.head + i;
}

/**
 * LINDEX: one point read. `index` is undefined when the argument was not an
 * integer: Redis checks the key (missing, type) before the index.
 */
export function itemAt(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  options: { readonly index: number | undefined; readonly nowMs: number },
): MaybePromise<Uint8Array | undefined | "WRONGTYPE" | "NOT_INTEGER"> {
  return then(openForRead(tx, ks, key, options.nowMs), (list) => {
    if (list === undefined || list === "WRONGTYPE") return list;
    if (options.index === undefined) return "NOT_INTEGER";
    const at = absoluteIndex(list, options.index);
    return at === undefined ? undefined : readItem(tx, ks, list, at);
  });
}

/** LSET: one blind write of the item; the meta is only read. Same argument rule as itemAt. */
export async function setItem(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  options: { readonly index: number | undefined; readonly element: Uint8Array; readonly nowMs: number },
): Promise<true | Status> {
  const list = await openForWrite(tx, ks, key, options.nowMs);
  if (list === undefined) return "NO_SUCH_KEY";
  if (list === "WRONGTYPE") return list;
  if (options.index === undefined) return "NOT_INTEGER";
  const at = absoluteIndex(list, options.index);
  if (at === undefined) return "INDEX_OUT_OF_RANGE";
  overwriteItem(tx, ks, list, at, options.element);
  ks.notify("l", "lset", key);
  return true;
}

/** Items read by a walk: `items[i]` is the item at absolute index `from + i`. */
interface Window {
  from: number;
  items: Uint8Array[];
}

/**
 * Walks the list from its head in bounded range reads, keeping what it read,
 * until `stop(item, index)` says so; the window then ends at that item.
 */
async function walkFromHead(
  tx: ReadTxn,
  ks: Keyspace,
  list: ListRef,
  stop: (item: Uint8Array, index: number) => boolean,
): Promise<Window & { stoppedAt: number | undefined }> {
  const window: Window = { from: list.head, items: [] };
  for (let at = list.head; at < list.tail; at += WALK_BATCH_ITEMS) {
    const batch = await readItems(tx, ks, list, at, Math.min(at + WALK_BATCH_ITEMS, list.tail));
    for (let i = 0; i < batch.length; i++) {
      window.items.push(batch[i]!);
      if (stop(batch[i]!, at + i)) return { ...window, stoppedAt: at + i };
    }
  }
  return { ...window, stoppedAt: undefined };
}

/** The same from the tail: the window grows towards the head. */
async function walkFromTail(
  tx: ReadTxn,
  ks: Keyspace,
  list: ListRef,
  stop: (item: Uint8Array, index: number) => boolean,
): Promise<Window & { stoppedAt: number | undefined }> {
  const batches: Uint8Array[][] = [];
  for (let at = list.tail; at > list.head; at -= WALK_BATCH_ITEMS) {
    const from = Math.max(at - WALK_BATCH_ITEMS, list.head);
    const batch = await readItems(tx, ks, list, from, at);
    for (let i = batch.length - 1; i >= 0; i--) {
      if (stop(batch[i]!, from + i)) {
        batches.push(batch.slice(i));
        return { from: from + i, items: batches.reverse().flat(), stoppedAt: from + i };
      }
    }
    batches.push(batch);
  }
  return { from: list.head, items: batches.reverse().flat(), stoppedAt: undefined };
}

/** Reads the rest of the list after a window that started at the head. */
async function extendToTail(tx: ReadTxn, ks: Keyspace, list: ListRef, window: Window): Promise<void> {
  const rest = await readItems(tx, ks, list, window.from + window.items.length, list.tail);
  for (const item of rest) window.items.push(item);
}

/**
 * Rewrites the span [from, to) of the list without the items at `removed`
 * (absolute indexes) and with `inserted` placed before absolute index
 * `insertAt` when given, packing the survivors against `anchor`: "tail" keeps
 * the span's end where it was, "head" keeps its start. `items` holds the
 * span's current items, `items[i]` at `from + i`. Returns the new start and
 * end of the span.
 */
function rewriteSpan(
  tx: Txn,
  ks: Keyspace,
  list: ListRef,
  span: {
    readonly from: number;
    readonly to: number;
    readonly items: readonly Uint8Array[];
    readonly removed?: ReadonlySet<number>;
    readonly insert?: { readonly before: number; readonly element: Uint8Array };
    readonly anchor: "head" | "tail";
  },
): { from: number; to: number } {
  const survivors: Uint8Array[] = [];
  for (let at = span.from; at <= span.to; at++) {
    if (span.insert?.before === at) survivors.push(span.insert.element);
    if (at < span.to && !span.removed?.has(at)) survivors.push(span.items[at - span.from]!);
  }
  const from = span.anchor === "head" ? span.from : span.to - survivors.length;
  const to = from + survivors.length;
  tx.clearRange(itemsRange(ks, list, Math.min(from, span.from), Math.max(to, span.to)));
  for (let i = 0; i < survivors.length; i++) writeItem(tx, ks, list, from + i, survivors[i]!);
  return { from, to };
}

/**
 * LINSERT: the new length, -1 when the pivot is not found, 0 when the key is
 * missing. The items on the shorter side of the insertion point move by one.
 */
export async function insert(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  options: { readonly where: "before" | "after"; readonly pivot: Uint8Array; readonly element: Uint8Array; readonly nowMs: number },
): Promise<number | "WRONGTYPE"> {
  const list = await openForWrite(tx, ks, key, options.nowMs);
  if (list === undefined) return 0;
  if (list === "WRONGTYPE") return list;
  const window = await walkFromHead(tx, ks, list, (item) => bytesEqual(item, options.pivot));
  if (window.stoppedAt === undefined) return -1;
  const before = options.where === "before" ? window.stoppedAt : window.stoppedAt + 1;
  const insertion = { before, element: options.element };
  if (before - list.head <= list.tail - before) {
    // Everything from the head to the insertion point is already read: move it one step left.
    const span = rewriteSpan(tx, ks, list, { from: list.head, to: before, items: window.items, insert: insertion, anchor: "tail" });
    saveBounds(tx, ks, list, span.from, list.tail);
  } else {
    await extendToTail(tx, ks, list, window);
    const items = window.items.slice(before - window.from);
    const span = rewriteSpan(tx, ks, list, { from: before, to: list.tail, items, insert: insertion, anchor: "head" });
    saveBounds(tx, ks, list, list.head, span.to);
  }
  ks.notify("l", "linsert", key);
  return lengthOf(list) + 1;
}

/**
 * LREM: removes up to |count| items equal to `element` (all when 0), from the
 * head when count > 0, from the tail when count < 0; returns how many. The
 * items between the removed ones and the end the walk started from move.
 */
export async function remove(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  options: { readonly count: number; readonly element: Uint8Array; readonly nowMs: number },
): Promise<number | "WRONGTYPE"> {
  const list = await openForWrite(tx, ks, key, options.nowMs);
  if (list === undefined) return 0;
  if (list === "WRONGTYPE") return list;
  const wanted = options.count === 0 ? Infinity : Math.abs(options.count);
  const removed = new Set<number>();
  const collect = (item: Uint8Array, index: number): boolean => {
    if (bytesEqual(item, options.element)) removed.add(index);
    return removed.size >= wanted;
  };
  const window = options.count < 0 ? await walkFromTail(tx, ks, list, collect) : await walkFromHead(tx, ks, list, collect);
  if (removed.size === 0) return 0;
  if (removed.size === lengthOf(list)) {
    removeKey(tx, ks, list.key, list.meta);
    notifyChange(ks, key, { event: "lrem", emptied: true });
    return removed.size;
  }
  let first = Infinity;
  let last = -Infinity;
  for (const at of removed) {
    if (at < first) first = at;
    if (at > last) last = at;
  }
  // The head-side rewrite moves the survivors in [head, last]; the tail-side one those in [first, tail).
  const headSide = options.count > 0 || (options.count === 0 && last + 1 - list.head <= list.tail - first);
  if (headSide) {
    const items = window.items.slice(list.head - window.from, last + 1 - window.from);
    const span = rewriteSpan(tx, ks, list, { from: list.head, to: last + 1, items, removed, anchor: "tail" });
    saveBounds(tx, ks, list, span.from, list.tail);
  } else {
    const items = window.items.slice(first - window.from, list.tail - window.from);
    const span = rewriteSpan(tx, ks, list, { from: first, to: list.tail, items, removed, anchor: "head" });
    saveBounds(tx, ks, list, list.head, span.to);
  }
  ks.notify("l", "lrem", key);
  return removed.size;
}

/** LTRIM: keeps [start, stop] (Redis's bounds) with two range clears; an empty result deletes the key. */
export async function trim(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  bounds: { readonly start: number; readonly stop: number; readonly nowMs: number },
): Promise<true | "WRONGTYPE"> {
  const list = await openForWrite(tx, ks, key, bounds.nowMs);
  if (list === undefined) return true;
  if (list === "WRONGTYPE") return list;
  const llen = lengthOf(list);
  let { start, stop } = bounds;
  if (start < 0) start = llen + start;
  if (stop < 0) stop = llen + stop;
  if (start < 0) start = 0;
  if (start > stop || start >= llen) {
    removeKey(tx, ks, key, list.meta);
    notifyChange(ks, key, { event: "ltrim", emptied: true });
    return true;
  }
  if (stop >= llen) stop = llen - 1;
  const head = list.head + start;
  const tail = list.head + stop + 1;
  if (head > list.head) tx.clearRange(itemsRange(ks, list, list.head, head));
  if (tail < list.tail) tx.clearRange(itemsRange(ks, list, tail, list.tail));
  saveBounds(tx, ks, list, head, tail);
  // Reported even when the range keeps every item, as Redis does.
  ks.notify("l", "ltrim", key);
  return true;
}

export interface PositionOptions {
  readonly element: Uint8Array;
  /** 1 = from the first match, 2 = the second...; negative: the same from the tail. Never 0. */
  readonly rank: number;
  /** Matches to return; 0 = all. */
  readonly count: number;
  /** Items to compare at most; 0 = no limit. */
  readonly maxlen: number;
  readonly nowMs: number;
}

/** LPOS: positions (from the head) of matching items, in walk order; undefined when the key is missing. */
export async function positions(tx: ReadTxn, ks: Keyspace, key: Uint8Array, options: PositionOptions): Promise<number[] | undefined | "WRONGTYPE"> {
  const list = await openForRead(tx, ks, key, options.nowMs);
  if (list === undefined || list === "WRONGTYPE") return list;
  const fromTail = options.rank < 0;
  const skip = Math.abs(options.rank) - 1;
  const limit = options.maxlen === 0 ? lengthOf(list) : Math.min(options.maxlen, lengthOf(list));
  const found: number[] = [];
  let matches = 0;
  for (let visited = 0; visited < limit;) {
    const n = Math.min(WALK_BATCH_ITEMS, limit - visited);
    const from = fromTail ? list.tail - visited - n : list.head + visited;
    const batch = await readItems(tx, ks, list, from, from + n);
    for (let j = 0; j < n; j++) {
      const i = fromTail ? n - 1 - j : j;
      if (!bytesEqual(batch[i]!, options.element)) continue;
      if (matches++ < skip) continue;
      found.push(from + i - list.head);
      if (options.count !== 0 && found.length >= options.count) return found;
    }
    visited += n;
  }
  return found;
}

/**
 * LMOVE, RPOPLPUSH: pops one item from `source`'s `from` end and pushes it
 * on `destination`'s `to` end, in one transaction. Undefined when the source
 * is missing. Redis checks the source's type, then the destination's, before
 * changing anything. The same key rotates the list.
 */
export async function move(
  tx: Txn,
  ks: Keyspace,
  options: {
    readonly source: Uint8Array;
    readonly destination: Uint8Array;
    readonly from: ListEnd;
    readonly to: ListEnd;
    readonly nowMs: number;
  },
): Promise<Uint8Array | undefined | "WRONGTYPE"> {
  const source = await openForWrite(tx, ks, options.source, options.nowMs);
  if (source === undefined || source === "WRONGTYPE") return source;
  const at = options.from === "left" ? source.head : source.tail - 1;
  if (bytesEqual(options.source, options.destination)) {
    const element = await readItem(tx, ks, source, at);
    // Redis pops and pushes even when that changes nothing: the push is reported first.
    ks.notify("l", PUSH_EVENT[options.to], options.source);
    ks.notify("l", POP_EVENT[options.from], options.source);
    if (options.from === options.to) return element;
    tx.clearRange(itemsRange(ks, source, at, at + 1));
    if (options.to === "left") {
      writeItem(tx, ks, source, source.head - 1, element);
      saveBounds(tx, ks, source, source.head - 1, source.tail - 1);
    } else {
      writeItem(tx, ks, source, source.tail, element);
      saveBounds(tx, ks, source, source.head + 1, source.tail + 1);
    }
    return element;
  }
  const destination = await openForWrite(tx, ks, options.destination, options.nowMs);
  if (destination === "WRONGTYPE") return destination;
  const element = await readItem(tx, ks, source, at);
  if (lengthOf(source) > 1) tx.clearRange(itemsRange(ks, source, at, at + 1));
  const saved = options.from === "left"
    ? saveBounds(tx, ks, source, source.head + 1, source.tail)
    : saveBounds(tx, ks, source, source.head, source.tail - 1);
  // The push (and its event) first, then the pop's: Redis's order.
  await push(tx, ks, options.destination, { elements: [element], end: options.to, onlyIfExists: false, nowMs: options.nowMs });
  notifyChange(ks, options.source, { event: POP_EVENT[options.from], emptied: saved === "EMPTIED" });
  return element;
}
