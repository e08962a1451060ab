// Streams over the engine (layout in stream_layout.ts): XADD, XLEN, XRANGE,
// XREVRANGE, XDEL, XTRIM, XSETID, and the reads XREAD makes. Each write
// touches the entries it adds or removes and rewrites the header in the
// meta; nothing rewrites the stream whole.
//
// Unlike the other collections, a stream that loses its last entry stays
// (Redis keeps empty streams: their last id still matters).
//
// Approximate trimming (`~`) trims exactly, never more than its LIMIT
// (default 10,000 entries, as Redis's 100 × stream-node-max-entries). Redis
// trims only whole radix-tree nodes and so often trims less; both are
// allowed by `~`'s contract, and exact trimming costs us no more, since we
// have no nodes (docs/COMPATIBILITY.md).
import type { KeyValue, MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { keyAfter } from "../engine/bytes.ts";
import { then } from "../engine/maybe_promise.ts";
import { lookupCollection, lookupCollectionForWrite } from "./collections.ts";
import { putMeta, setNewKey } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { KeyType, type Meta } from "./meta.ts";
import { READ_PAGE_PAIRS, ReadPacer } from "./paged_read.ts";
import { compareIds, idAfter, isZeroId, MAX_ID, MIN_ID, UINT64_MAX, type StreamId } from "./stream_id.ts";
import {
  decodeEntry,
  decodeHeader,
  EMPTY_HEADER,
  encodeHeader,
  entryWrites,
  isSplit,
  type EntryFields,
  type StreamHeader,
  StreamKeys,
} from "./stream_layout.ts";

export interface StreamEntry {
  readonly id: StreamId;
  /** field, value, field, value... */
  readonly fields: Uint8Array[];
}

/** A live stream: its meta and decoded header (consumer groups build on it: stream_groups.ts). */
export interface StreamRef {
  readonly key: Uint8Array;
  readonly meta: Meta;
  readonly header: StreamHeader;
  readonly keys: StreamKeys;
}

function refOf(ks: Keyspace, key: Uint8Array, meta: Meta): StreamRef {
  return { key, meta, header: decodeHeader(meta.body), keys: new StreamKeys(ks, key, meta.gen) };
}

/** The stream at `key` for a command that reads it (a miss is a `keymiss`). */
export function openForRead(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<StreamRef | undefined | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { type: KeyType.Stream, nowMs }), (meta) =>
    meta === undefined || meta === "WRONGTYPE" ? meta : refOf(ks, key, meta));
}

/** The stream at `key` for a command that writes it (an expired key is deleted first). */
export function openForWrite(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<StreamRef | undefined | "WRONGTYPE"> {
  return then(lookupCollectionForWrite(tx, ks, key, { type: KeyType.Stream, nowMs }), (meta) =>
    meta === undefined || meta === "WRONGTYPE" ? meta : refOf(ks, key, meta));
}

export function saveHeader(tx: Txn, ks: Keyspace, stream: StreamRef, header: StreamHeader): void {
  putMeta(tx, ks, stream.key, stream.meta, { ...stream.meta, body: encodeHeader(header) });
}

// --- reading entries ---

/** The entries of a range read, their chunks read for those stored split. */
function entriesOf(tx: ReadTxn, keys: StreamKeys, pairs: readonly KeyValue[]): MaybePromise<StreamEntry[]> {
  let split = false;
  for (const pair of pairs) if (isSplit(pair.value)) split = true;
  if (!split) return pairs.map((pair) => ({ id: keys.idOf(pair.key), fields: decodeEntry(pair.value) }));
  return Promise.all(pairs.map(async (pair): Promise<StreamEntry> => {
    const id = keys.idOf(pair.key);
    if (!isSplit(pair.value)) return { id, fields: decodeEntry(pair.value) };
    const chunks = await tx.getRange(keys.chunksOf(id));
    return { id, fields: decodeEntry(pair.value, chunks.map((chunk) => chunk.value)) };
  }));
}

/** The entry with this id; undefined when there is none (deleted, trimmed, or never added). */
export function readEntry(tx: ReadTxn, stream: StreamRef, id: StreamId): MaybePromise<StreamEntry | undefined> {
  return then(tx.get(stream.keys.entryKey(id)), (stored) => {
    if (stored === undefined) return undefined;
    if (!isSplit(stored)) return { id, fields: decodeEntry(stored) };
    return then(tx.getRange(stream.keys.chunksOf(id)), (chunks) => ({ id, fields: decodeEntry(stored, chunks.map((chunk) => chunk.value)) }));
  });
}

export interface RangeRequest {
  /** Both bounds included. */
  readonly start: StreamId;
  readonly end: StreamId;
  /** At most this many entries; 0: all. */
  readonly count: number;
  /** From `end` down to `start` (XREVRANGE). */
  readonly reverse: boolean;
}

/** Entries of `stream` in [start, end]: one bounded range read, or pages of them for many entries. */
export function readRange(tx: ReadTxn, stream: StreamRef, request: RangeRequest): MaybePromise<StreamEntry[]> {
  if (compareIds(request.start, request.end) > 0) return [];
  const range = stream.keys.entriesBetween(request.start, request.end);
  const wanted = request.count === 0 ? stream.header.length : Math.min(request.count, stream.header.length);
  if (wanted === 0) return [];
  if (wanted <= READ_PAGE_PAIRS) {
    return then(tx.getRange(range, { limit: wanted, reverse: request.reverse }), (pairs) => entriesOf(tx, stream.keys, pairs));
  }
  return readPages(tx, stream, { range, wanted, reverse: request.reverse });
}

async function readPages(
  tx: ReadTxn,
  stream: StreamRef,
  walk: { readonly range: { start: Uint8Array; end: Uint8Array }; readonly wanted: number; readonly reverse: boolean },
): Promise<StreamEntry[]> {
  const pacer = new ReadPacer();
  const out: StreamEntry[] = [];
  let { start, end } = walk.range;
  while (out.length < walk.wanted) {
    const want = Math.min(READ_PAGE_PAIRS, walk.wanted - out.length);
    const page = await tx.getRange({ start, end }, { limit: want, reverse: walk.reverse });
    for (const entry of await entriesOf(tx, stream.keys, page)) out.push(entry);
    if (page.length < want) break;
    const last = page[page.length - 1]!.key;
    if (walk.reverse) end = last;
    else start = keyAfter(last);
    const pause = pacer.pause();
    if (pause !== undefined) await pause;
  }
  return out;
}

/** XRANGE, XREVRANGE: the entries in [start, end]; empty when the key is missing. */
export function range(tx: ReadTxn, ks: Keyspace, key: Uint8Array, request: RangeRequest & { readonly nowMs: number }): MaybePromise<StreamEntry[] | "WRONGTYPE"> {
  return then(openForRead(tx, ks, key, request.nowMs), (stream) => {
    if (stream === undefined) return [];
    if (stream === "WRONGTYPE") return stream;
    return readRange(tx, stream, request);
  });
}

/** Whether `key` holds a stream (false when missing). */
export function isPresent(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<boolean | "WRONGTYPE"> {
  return then(openForRead(tx, ks, key, nowMs), (stream) => (stream === "WRONGTYPE" ? stream : stream !== undefined));
}

/** isPresent for a command about to write the key: no `keymiss` (Redis's lookupKeyWrite), an expired key deleted first. */
export function isPresentForWrite(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<boolean | "WRONGTYPE"> {
  return then(openForWrite(tx, ks, key, nowMs), (stream) => (stream === "WRONGTYPE" ? stream : stream !== undefined));
}

/** XLEN: from the header alone. */
export function length(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<number | "WRONGTYPE"> {
  return then(openForRead(tx, ks, key, nowMs), (stream) => (stream === undefined ? 0 : stream === "WRONGTYPE" ? stream : stream.header.length));
}

/** Where a stream stands, for XREAD: its last id (`$`) and how many entries were ever added. */
export interface StreamPosition {
  readonly lastId: StreamId;
  readonly entriesAdded: bigint;
}

const NOWHERE: StreamPosition = { lastId: MIN_ID, entriesAdded: 0n };

/** The position of the stream at `key`; a missing stream stands at 0-0 with nothing added. */
export function position(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<StreamPosition | "WRONGTYPE"> {
  return then(openForRead(tx, ks, key, nowMs), (stream) => (stream === undefined ? NOWHERE : stream === "WRONGTYPE" ? stream : positionOf(stream)));
}

function positionOf(stream: StreamRef): StreamPosition {
  return { lastId: stream.header.lastId, entriesAdded: stream.header.entriesAdded };
}

/**
 * XREAD of one stream: its position, and up to `count` entries (0: all)
 * with ids above `after`; undefined when the stream is missing.
 */
export function readAfter(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  request: { readonly after: StreamId; readonly count: number; readonly nowMs: number },
): MaybePromise<{ readonly position: StreamPosition; readonly entries: StreamEntry[] } | undefined | "WRONGTYPE"> {
  return then(openForRead(tx, ks, key, request.nowMs), (stream) => {
    if (stream === undefined || stream === "WRONGTYPE") return stream;
    const start = idAfter(request.after);
    if (start === undefined) return { position: positionOf(stream), entries: [] };
    const read = readRange(tx, stream, { start, end: MAX_ID, count: request.count, reverse: false });
    return then(read, (entries) => ({ position: positionOf(stream), entries }));
  });
}

// --- trimming ---

/** XTRIM's and XADD's trimming: MAXLEN or MINID, exact (`=`) or approximate (`~`) with a LIMIT. */
export interface TrimRule {
  readonly strategy: "maxlen" | "minid";
  /** MAXLEN: entries to keep at most. */
  readonly maxLength: number;
  /** MINID: entries below it go. */
  readonly minId: StreamId;
  /** Entries removed at most; 0: no limit. */
  readonly limit: number;
}

/**
 * Removes entries from the head of `stream` as `rule` says: walks them in
 * pages until the first one to keep, then clears them (and their chunks) in
 * two range clears. Returns the header after the trim and the count removed.
 */
async function trimHead(tx: Txn, stream: StreamRef, header: StreamHeader, rule: TrimRule): Promise<{ header: StreamHeader; removed: number }> {
  let most = rule.strategy === "maxlen" ? Math.max(0, header.length - rule.maxLength) : header.length;
  if (rule.limit > 0) most = Math.min(most, rule.limit);
  if (most === 0) return { header, removed: 0 };
  const all = stream.keys.allEntries;
  let removed = 0;
  let firstKept: { readonly key: Uint8Array; readonly id: StreamId } | undefined;
  let start = all.start;
  const pacer = new ReadPacer();
  walk: for (;;) {
    // One more than may go: the entry after the last removed is the new first.
    const want = Math.min(READ_PAGE_PAIRS, most - removed + 1);
    const page = await tx.getRange({ start, end: all.end }, { limit: want });
    for (const pair of page) {
      const id = stream.keys.idOf(pair.key);
      if (removed >= most || (rule.strategy === "minid" && compareIds(id, rule.minId) >= 0)) {
        firstKept = { key: pair.key, id };
        break walk;
      }
      removed++;
    }
    if (page.length < want) break;
    start = keyAfter(page[page.length - 1]!.key);
    const pause = pacer.pause();
    if (pause !== undefined) await pause;
  }
  if (removed === 0) return { header, removed };
  tx.clearRange({ start: all.start, end: firstKept?.key ?? all.end });
  tx.clearRange(stream.keys.chunksBefore(firstKept?.id));
  return { header: { ...header, length: header.length - removed, firstId: firstKept?.id ?? MIN_ID }, removed };
}

/** XTRIM: the number of entries removed; 0 when the key is missing. */
export async function trim(tx: Txn, ks: Keyspace, key: Uint8Array, request: { readonly rule: TrimRule; readonly nowMs: number }): Promise<number | "WRONGTYPE"> {
  const stream = await openForWrite(tx, ks, key, request.nowMs);
  if (stream === undefined || stream === "WRONGTYPE") return stream ?? 0;
  const { header, removed } = await trimHead(tx, stream, stream.header, request.rule);
  if (removed === 0) return 0;
  saveHeader(tx, ks, stream, header);
  ks.notify("t", "xtrim", key);
  return removed;
}

// --- adding ---

/** The id XADD was given: `*`, `<ms>-*`, or a full id. */
export type IdRequest =
  | { readonly kind: "auto" }
  | { readonly kind: "ms"; readonly ms: bigint }
  | { readonly kind: "explicit"; readonly id: StreamId };

export type AddError =
  /** The id is not above the stream's last id. */
  | "ID_TOO_SMALL"
  /** The last id is the greatest possible: no id is left. */
  | "EXHAUSTED"
  /** `<ms>-*` where the last id has that ms and the greatest sequence (Redis answers its "too large" error). */
  | "SEQUENCE_EXHAUSTED";

/** The id of a new entry after `last`, or why there is none (Redis's streamAppendItem). */
function nextIdOf(last: StreamId, request: IdRequest, nowMs: number): StreamId | AddError {
  let id: StreamId;
  if (request.kind === "auto") {
    const now = BigInt(Math.max(0, Math.floor(nowMs)));
    // The clock behind the last id (a clock step back, or explicit ids from the future): continue from the last id.
    id = now > last.ms ? { ms: now, seq: 0n } : idAfter(last)!;
  } else if (request.kind === "ms") {
    if (request.ms === last.ms) {
      if (last.seq === UINT64_MAX) return "SEQUENCE_EXHAUSTED";
      id = { ms: last.ms, seq: last.seq + 1n };
    } else id = { ms: request.ms, seq: 0n };
  } else id = request.id;
  return compareIds(id, last) > 0 ? id : "ID_TOO_SMALL";
}

/**
 * XADD: appends one entry, creating the stream unless `noMakeStream`, then
 * trims by `trim` if given. Returns the new entry's id; undefined when the
 * key is missing and `noMakeStream` is set.
 */
export function add(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  request: { readonly id: IdRequest; readonly fields: EntryFields; readonly noMakeStream: boolean; readonly trim: TrimRule | undefined; readonly nowMs: number },
): MaybePromise<StreamId | undefined | "WRONGTYPE" | AddError> {
  return then(openForWrite(tx, ks, key, request.nowMs), (found) => {
    if (found === "WRONGTYPE") return found;
    if (found === undefined && request.noMakeStream) return undefined;
    const stream = found ?? createStream(tx, ks, key);
    const before = stream.header;
    if (compareIds(before.lastId, MAX_ID) === 0) return "EXHAUSTED";
    const id = nextIdOf(before.lastId, request.id, request.nowMs);
    if (typeof id === "string") return id;
    // The id is above every id of the stream: nothing is at its keys.
    for (const [k, v] of entryWrites(stream.keys, id, request.fields)) setNewKey(tx, k, v);
    const header: StreamHeader = {
      ...before,
      length: before.length + 1,
      lastId: id,
      firstId: before.length === 0 ? id : before.firstId,
      entriesAdded: before.entriesAdded + 1n,
    };
    ks.notify("t", "xadd", key);
    if (request.trim === undefined) {
      saveHeader(tx, ks, stream, header);
      return id;
    }
    return trimHead(tx, stream, header, request.trim).then((trimmed) => {
      saveHeader(tx, ks, stream, trimmed.header);
      if (trimmed.removed > 0) ks.notify("t", "xtrim", key);
      return id;
    });
  });
}

/** A new empty stream at `key` (which is missing): its meta is written when its header is saved. */
export function createStream(tx: Txn, ks: Keyspace, key: Uint8Array): StreamRef {
  const meta: Meta = { type: KeyType.Stream, flags: 0, expireAt: 0, gen: 0, body: encodeHeader(EMPTY_HEADER) };
  // Written now, as a key that is new (the `new` event before `xadd`, as Redis's dbAdd); saveHeader rewrites it.
  putMeta(tx, ks, key, undefined, meta);
  return refOf(ks, key, meta);
}

// --- deleting ---

/** XDEL: removes the entries with these ids; the number removed (0 when the key is missing). */
export async function deleteEntries(tx: Txn, ks: Keyspace, key: Uint8Array, request: { readonly ids: readonly StreamId[]; readonly nowMs: number }): Promise<number | "WRONGTYPE"> {
  const stream = await openForWrite(tx, ks, key, request.nowMs);
  if (stream === undefined || stream === "WRONGTYPE") return stream ?? 0;
  let removed = 0;
  let maxDeletedId = stream.header.maxDeletedId;
  let firstRemoved = false;
  for (const id of request.ids) {
    const entryKey = stream.keys.entryKey(id);
    // Read after the clears of earlier ids: an id given twice is removed once.
    const stored = await tx.get(entryKey);
    if (stored === undefined) continue;
    tx.clear(entryKey);
    if (isSplit(stored)) tx.clearRange(stream.keys.chunksOf(id));
    removed++;
    if (compareIds(id, maxDeletedId) > 0) maxDeletedId = id;
    if (compareIds(id, stream.header.firstId) === 0) firstRemoved = true;
  }
  if (removed === 0) return 0;
  const lengthAfter = stream.header.length - removed;
  let firstId = stream.header.firstId;
  if (lengthAfter === 0) firstId = MIN_ID;
  else if (firstRemoved) {
    const [first] = await tx.getRange(stream.keys.allEntries, { limit: 1 });
    firstId = first === undefined ? MIN_ID : stream.keys.idOf(first.key);
  }
  saveHeader(tx, ks, stream, { ...stream.header, length: lengthAfter, firstId, maxDeletedId });
  ks.notify("t", "xdel", key);
  return removed;
}

// --- XSETID ---

export type SetIdError =
  | "NO_SUCH_KEY"
  | "WRONGTYPE"
  /** Below the id of the last entry. */
  | "BELOW_TOP_ITEM"
  /** ENTRIESADDED below the stream's length. */
  | "ENTRIES_ADDED_BELOW_LENGTH";

/**
 * XSETID: sets the last id (never below the last entry's id), and
 * optionally entries-added and the max deleted id, in Redis's order of checks.
 */
export async function setLastId(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  request: { readonly id: StreamId; readonly entriesAdded: bigint | undefined; readonly maxDeletedId: StreamId | undefined; readonly nowMs: number },
): Promise<"OK" | SetIdError> {
  const stream = await openForWrite(tx, ks, key, request.nowMs);
  if (stream === undefined) return "NO_SUCH_KEY";
  if (stream === "WRONGTYPE") return stream;
  const { header } = stream;
  // Redis 7.0 does not compare the id with the max deleted id already recorded (7.2 does).
  if (header.length > 0) {
    const [last] = await tx.getRange(stream.keys.allEntries, { limit: 1, reverse: true });
    if (last !== undefined && compareIds(request.id, stream.keys.idOf(last.key)) < 0) return "BELOW_TOP_ITEM";
    if (request.entriesAdded !== undefined && BigInt(header.length) > request.entriesAdded) return "ENTRIES_ADDED_BELOW_LENGTH";
  }
  saveHeader(tx, ks, stream, {
    ...header,
    lastId: request.id,
    entriesAdded: request.entriesAdded ?? header.entriesAdded,
    maxDeletedId: request.maxDeletedId === undefined || isZeroId(request.maxDeletedId) ? header.maxDeletedId : request.maxDeletedId,
  });
  ks.notify("t", "xsetid", key);
  return "OK";
}
