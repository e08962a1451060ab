// Consumer groups of streams (layout in stream_group_layout.ts), as Redis 7.0
// keeps them (t_stream.c): each group has a last-delivered id and a logical
// read counter, a pending entries list (PEL) of entries delivered and not
// acknowledged, each owned by one consumer, and consumers with a seen time.
// These are the operations XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM,
// XAUTOCLAIM and XINFO are made of; the commands (commands/families/
// stream_groups.ts) parse, check in Redis's order and shape the replies.
//
// Every operation reads and writes only what it touches: a delivery writes
// one pending entry per entry delivered, an acknowledgement clears one; the
// pending counts are atomic counters, so nothing here rewrites a whole PEL.
import { decodeInt64 } from "../engine/atomic_add.ts";
import { bytesEqual, keyAfter } from "../engine/bytes.ts";
import type { KeyRange, ReadTxn, Txn } from "../engine/contract.ts";
import type { Keyspace } from "./keyspace.ts";
import { compareIds, idAfter, isZeroId, MAX_ID, MIN_ID, type StreamId } from "./stream_id.ts";
import {
  decodeConsumer,
  decodeGroup,
  decodeNack,
  encodeConsumer,
  encodeGroup,
  encodeNack,
  ENTRIES_READ_UNKNOWN,
  GroupKeys,
  type GroupRecord,
  type Nack,
} from "./stream_group_layout.ts";
import type { StreamHeader } from "./stream_layout.ts";
import { readEntry, readRange, saveHeader, type StreamEntry, type StreamRef } from "./streams.ts";
import { READ_PAGE_PAIRS } from "./paged_read.ts";
import { setNewKey } from "./db.ts";

export { ENTRIES_READ_UNKNOWN, type GroupRecord, type Nack } from "./stream_group_layout.ts";

/** A consumer group of a live stream. */
export interface GroupRef {
  readonly stream: StreamRef;
  readonly keys: GroupKeys;
  readonly name: Uint8Array;
  readonly record: GroupRecord;
}

export function groupKeysOf(stream: StreamRef): GroupKeys {
  return new GroupKeys(stream.keys.prefix);
}

/** The group `name` of `stream`; undefined when it has none of that name. */
export async function lookupGroup(tx: ReadTxn, stream: StreamRef, name: Uint8Array): Promise<GroupRef | undefined> {
  if (stream.header.groups === 0) return undefined;
  const keys = groupKeysOf(stream);
  const stored = await tx.get(keys.group(name));
  return stored === undefined ? undefined : { stream, keys, name, record: decodeGroup(stored) };
}

function readCount(stored: Uint8Array | undefined): number {
  return stored === undefined ? 0 : Number(decodeInt64(stored));
}

// --- entries-read and lag (Redis 7.0: streamRangeHasTombstones, streamEstimateDistanceFromFirstEverEntry, streamReplyWithCGLag) ---

/** Whether an entry was deleted (XDEL) at or after `start` among the entries still in the stream. */
export function rangeHasTombstones(header: StreamHeader, start: StreamId): boolean {
  if (header.length === 0 || isZeroId(header.maxDeletedId)) return false;
  if (compareIds(header.firstId, header.maxDeletedId) > 0) return false;
  return compareIds(start, header.maxDeletedId) <= 0;
}

/** The logical read counter of `id` (entries added up to it) when it can be known; ENTRIES_READ_UNKNOWN otherwise. */
export function estimateEntriesRead(header: StreamHeader, id: StreamId): bigint {
  if (header.entriesAdded === 0n) return 0n;
  if (header.length === 0 && compareIds(id, header.lastId) < 1) return header.entriesAdded;
  const toLast = compareIds(id, header.lastId);
  if (toLast === 0) return header.entriesAdded;
  if (toLast > 0) return ENTRIES_READ_UNKNOWN;
  const toFirst = compareIds(id, header.firstId);
  if (isZeroId(header.maxDeletedId) || compareIds(header.maxDeletedId, header.firstId) < 0) {
    if (toFirst < 0) return header.entriesAdded - BigInt(header.length);
    if (toFirst === 0) return header.entriesAdded - BigInt(header.length) + 1n;
  }
  return ENTRIES_READ_UNKNOWN;
}

/** Entries of the stream not yet delivered to the group; undefined when that cannot be known (XINFO answers nil). */
export function lagOf(header: StreamHeader, group: GroupRecord): bigint | undefined {
  if (header.entriesAdded === 0n) return 0n;
  if (group.entriesRead !== ENTRIES_READ_UNKNOWN && !rangeHasTombstones(header, group.lastId)) return header.entriesAdded - group.entriesRead;
  const read = estimateEntriesRead(header, group.lastId);
  return read === ENTRIES_READ_UNKNOWN ? undefined : header.entriesAdded - read;
}

/** The group's read counter after delivering `id` (above its last id), as streamReplyWithRange moves it. */
function entriesReadAfter(header: StreamHeader, entriesRead: bigint, id: StreamId): bigint {
  if (entriesRead !== ENTRIES_READ_UNKNOWN && !rangeHasTombstones(header, id)) return entriesRead + 1n;
  if (header.entriesAdded !== 0n) return estimateEntriesRead(header, id);
  return entriesRead;
}

// --- XGROUP ---

/** XGROUP CREATE on a live stream: false when a group of that name exists (BUSYGROUP). */
export async function createGroup(tx: Txn, ks: Keyspace, stream: StreamRef, group: { readonly name: Uint8Array; readonly record: GroupRecord }): Promise<boolean> {
  const keys = groupKeysOf(stream);
  if ((await tx.get(keys.group(group.name))) !== undefined) return false;
  tx.set(keys.group(group.name), encodeGroup(group.record));
  saveHeader(tx, ks, stream, { ...stream.header, groups: stream.header.groups + 1 });
  ks.notify("t", "xgroup-create", stream.key);
  return true;
}

/** XGROUP SETID: the group's last-delivered id and read counter. */
export function setGroupPosition(tx: Txn, ks: Keyspace, group: GroupRef, record: GroupRecord): void {
  tx.set(group.keys.group(group.name), encodeGroup(record));
  ks.notify("t", "xgroup-setid", group.stream.key);
}

/** XGROUP DESTROY: false when there is no such group. */
export async function destroyGroup(tx: Txn, ks: Keyspace, stream: StreamRef, name: Uint8Array): Promise<boolean> {
  const group = await lookupGroup(tx, stream, name);
  if (group === undefined) return false;
  tx.clear(group.keys.group(name));
  tx.clear(group.keys.groupPending(name));
  for (const range of group.keys.groupRanges(name)) tx.clearRange(range);
  saveHeader(tx, ks, stream, { ...stream.header, groups: stream.header.groups - 1 });
  ks.notify("t", "xgroup-destroy", stream.key);
  return true;
}

/** Whether the consumer exists, without touching its seen time (Redis's SLC_NO_REFRESH). */
export async function hasConsumer(tx: ReadTxn, group: GroupRef, consumer: Uint8Array): Promise<boolean> {
  return (await tx.get(group.keys.consumer(group.name, consumer))) !== undefined;
}

/** XGROUP CREATECONSUMER: false when the consumer exists. */
export async function createConsumer(tx: Txn, ks: Keyspace, group: GroupRef, consumer: Uint8Array, nowMs: number): Promise<boolean> {
  if (await hasConsumer(tx, group, consumer)) return false;
  tx.set(group.keys.consumer(group.name, consumer), encodeConsumer(nowMs));
  ks.notify("t", "xgroup-createconsumer", group.stream.key);
  return true;
}

/**
 * The consumer a delivery or a claim is for (Redis's streamLookupConsumer
 * then streamCreateConsumer): its seen time becomes now; created (with its
 * event) when missing.
 */
export async function touchConsumer(tx: Txn, ks: Keyspace, group: GroupRef, consumer: Uint8Array, nowMs: number): Promise<void> {
  const key = group.keys.consumer(group.name, consumer);
  const existed = (await tx.get(key)) !== undefined;
  tx.set(key, encodeConsumer(nowMs));
  if (!existed) ks.notify("t", "xgroup-createconsumer", group.stream.key);
}

/** XGROUP DELCONSUMER: the consumer's pending entries leave the group's PEL with it; how many it had, undefined when there was no such consumer. */
export async function deleteConsumer(tx: Txn, ks: Keyspace, group: GroupRef, consumer: Uint8Array): Promise<number | undefined> {
  if (!(await hasConsumer(tx, group, consumer))) return undefined;
  const { keys, name } = group;
  const pending = readCount(await tx.get(keys.consumerPending(name, consumer)));
  if (pending > 0) {
    for await (const owned of walk(tx, keys.allOwnedBy(name, consumer))) tx.clear(keys.nack(name, keys.idOfOwned(owned.key)));
    tx.add(keys.groupPending(name), BigInt(-pending));
  }
  tx.clearRange(keys.allOwnedBy(name, consumer));
  tx.clear(keys.consumerPending(name, consumer));
  tx.clear(keys.consumer(name, consumer));
  ks.notify("t", "xgroup-delconsumer", group.stream.key);
  return pending;
}

// --- the PEL ---

/** Pairs of a range, a page at a time (PELs and consumer lists may be long). */
async function* walk(tx: ReadTxn, range: KeyRange, options: { readonly reverse?: boolean } = {}): AsyncGenerator<{ key: Uint8Array; value: Uint8Array }> {
  let { start, end } = range;
  for (;;) {
    const page = await tx.getRange({ start, end }, { limit: READ_PAGE_PAIRS, reverse: options.reverse === true });
    for (const pair of page) yield pair;
    if (page.length < READ_PAGE_PAIRS) return;
    const last = page[page.length - 1]!.key;
    if (options.reverse === true) end = last;
    else start = keyAfter(last);
  }
}

/** Gives the pending entry `id` (its NACK `previous`, if any) to `owner`, with this delivery time and count. */
function assign(tx: Txn, group: GroupRef, id: StreamId, previous: Nack | undefined, next: Nack): void {
  const { keys, name } = group;
  if (previous === undefined) {
    tx.add(keys.groupPending(name), 1n);
  }
  if (previous === undefined || !bytesEqual(previous.consumer, next.consumer)) {
    if (previous !== undefined) {
      tx.clear(keys.owned(name, previous.consumer, id));
      tx.add(keys.consumerPending(name, previous.consumer), -1n);
    }
    // The entry was nobody's or another consumer's: nothing is at its key under this consumer.
    setNewKey(tx, keys.owned(name, next.consumer, id), EMPTY);
    tx.add(keys.consumerPending(name, next.consumer), 1n);
  }
  if (previous === undefined) setNewKey(tx, keys.nack(name, id), encodeNack(next));
  else tx.set(keys.nack(name, id), encodeNack(next));
}

/** Removes the pending entry `id` (NACK `nack`) from the group and its consumer. */
function release(tx: Txn, group: GroupRef, id: StreamId, nack: Nack): void {
  const { keys, name } = group;
  tx.clear(keys.nack(name, id));
  tx.clear(keys.owned(name, nack.consumer, id));
  tx.add(keys.consumerPending(name, nack.consumer), -1n);
  tx.add(keys.groupPending(name), -1n);
}

const EMPTY = new Uint8Array(0);

async function readNack(tx: ReadTxn, group: GroupRef, id: StreamId): Promise<Nack | undefined> {
  const stored = await tx.get(group.keys.nack(group.name, id));
  return stored === undefined ? undefined : decodeNack(stored);
}

// --- XREADGROUP ---

/**
 * XREADGROUP with `>`: up to `count` entries (0: all) after the group's last
 * id, which moves to the last of them; each becomes pending for `consumer`
 * unless `noAck` (an entry already pending, after XGROUP SETID moved the group
 * back, is given to this consumer with a count of 1, as in Redis).
 */
export async function deliverNew(
  tx: Txn,
  group: GroupRef,
  request: { readonly consumer: Uint8Array; readonly count: number; readonly noAck: boolean; readonly nowMs: number },
): Promise<StreamEntry[]> {
  const start = idAfter(group.record.lastId);
  if (start === undefined) return [];
  const entries = await readRange(tx, group.stream, { start, end: MAX_ID, count: request.count, reverse: false });
  if (entries.length === 0) return entries;
  const header = group.stream.header;
  let entriesRead = group.record.entriesRead;
  for (const entry of entries) entriesRead = entriesReadAfter(header, entriesRead, entry.id);
  const lastId = entries[entries.length - 1]!.id;
  tx.set(group.keys.group(group.name), encodeGroup({ lastId, entriesRead }));
  if (request.noAck) return entries;
  // Entries above the last id are rarely pending already (only after SETID moved the group back): one range read finds those that are.
  const already = new Map<string, Nack>();
  for (const pair of await tx.getRange(group.keys.nacksBetween(group.name, entries[0]!.id, lastId))) {
    already.set(idText(group.keys.idOfNack(pair.key)), decodeNack(pair.value));
  }
  for (const entry of entries) {
    const previous = already.size === 0 ? undefined : already.get(idText(entry.id));
    assign(tx, group, entry.id, previous, { consumer: request.consumer, deliveredMs: request.nowMs, deliveries: 1n });
  }
  return entries;
}

function idText(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** An entry of a consumer's history: its fields, or null when it left the stream while pending. */
export interface HistoryEntry {
  readonly id: StreamId;
  readonly fields: Uint8Array[] | null;
}

/**
 * XREADGROUP with an id: the consumer's own pending entries after `after`,
 * up to `count` (0: all); each one still in the stream counts as delivered
 * again (its time and count move), as in Redis.
 */
export async function deliverHistory(
  tx: Txn,
  group: GroupRef,
  request: { readonly consumer: Uint8Array; readonly after: StreamId; readonly count: number; readonly nowMs: number },
): Promise<HistoryEntry[]> {
  const start = idAfter(request.after);
  if (start === undefined) return [];
  const { keys, name } = group;
  const out: HistoryEntry[] = [];
  for await (const owned of walk(tx, keys.ownedBetween(name, request.consumer, start))) {
    if (request.count > 0 && out.length >= request.count) break;
    const id = keys.idOfOwned(owned.key);
    const entry = await readEntry(tx, group.stream, id);
    if (entry === undefined) {
      out.push({ id, fields: null });
      continue;
    }
    const nack = await readNack(tx, group, id);
    if (nack !== undefined) tx.set(keys.nack(name, id), encodeNack({ ...nack, deliveredMs: request.nowMs, deliveries: nack.deliveries + 1n }));
    out.push(entry);
  }
  return out;
}

// --- XACK ---

/** XACK: removes these ids from the group's PEL; how many were pending. */
export async function acknowledge(tx: Txn, group: GroupRef, ids: readonly StreamId[]): Promise<number> {
  let acknowledged = 0;
  for (const id of ids) {
    // Read after the clears of earlier ids: an id given twice counts once.
    const nack = await readNack(tx, group, id);
    if (nack === undefined) continue;
    release(tx, group, id, nack);
    acknowledged++;
  }
  return acknowledged;
}

// --- XPENDING ---

export interface PendingSummary {
  readonly count: number;
  readonly first: StreamId | undefined;
  readonly last: StreamId | undefined;
  /** Consumers with pending entries, in name order, with how many. */
  readonly consumers: Array<readonly [Uint8Array, number]>;
}

export async function pendingSummary(tx: ReadTxn, group: GroupRef): Promise<PendingSummary> {
  const { keys, name } = group;
  const count = readCount(await tx.get(keys.groupPending(name)));
  if (count === 0) return { count, first: undefined, last: undefined, consumers: [] };
  const all = keys.nacksBetween(name, MIN_ID);
  const [[first], [last]] = await Promise.all([tx.getRange(all, { limit: 1 }), tx.getRange(all, { limit: 1, reverse: true })]);
  const consumers: Array<readonly [Uint8Array, number]> = [];
  for await (const counter of walk(tx, keys.consumerPendingOf(name))) {
    const pending = readCount(counter.value);
    if (pending > 0) consumers.push([keys.consumerNameOfPending(counter.key), pending]);
  }
  return { count, first: first && keys.idOfNack(first.key), last: last && keys.idOfNack(last.key), consumers };
}

/** One row of XPENDING's extended form (and of XINFO STREAM FULL). */
export interface PendingEntry {
  readonly id: StreamId;
  readonly nack: Nack;
}

/**
 * XPENDING's extended form: pending entries with ids in [start, end], of
 * one consumer or of all, idle at least `minIdleMs` (0: any), up to `count`.
 */
export async function pendingEntries(
  tx: ReadTxn,
  group: GroupRef,
  request: { readonly start: StreamId; readonly end: StreamId; readonly count: number; readonly minIdleMs: number; readonly consumer: Uint8Array | undefined; readonly nowMs: number },
): Promise<PendingEntry[]> {
  const out: PendingEntry[] = [];
  if (request.count <= 0 || compareIds(request.start, request.end) > 0) return out;
  const { keys, name } = group;
  /** Takes the entry unless it is too recent; false once `count` are taken. */
  const keep = (id: StreamId, nack: Nack): boolean => {
    if (request.minIdleMs > 0 && request.nowMs - nack.deliveredMs < request.minIdleMs) return true;
    out.push({ id, nack });
    return out.length < request.count;
  };
  if (request.consumer === undefined) {
    for await (const pair of walk(tx, keys.nacksBetween(name, request.start, request.end))) {
      if (!keep(keys.idOfNack(pair.key), decodeNack(pair.value))) break;
    }
    return out;
  }
  for await (const owned of walk(tx, keys.ownedBetween(name, request.consumer, request.start, request.end))) {
    const id = keys.idOfOwned(owned.key);
    const nack = await readNack(tx, group, id);
    if (nack !== undefined && !keep(id, nack)) break;
  }
  return out;
}

// --- XCLAIM, XAUTOCLAIM ---

export interface ClaimRequest {
  readonly consumer: Uint8Array;
  readonly minIdleMs: number;
  /** The delivery time claimed entries get (IDLE and TIME set it; now by default). */
  readonly deliveredMs: number;
  /** RETRYCOUNT: the delivery count to set; undefined: count one more delivery unless JUSTID. */
  readonly retryCount: bigint | undefined;
  readonly force: boolean;
  readonly justId: boolean;
  readonly nowMs: number;
}

/** A claimed entry: its id, and its fields unless JUSTID. */
export type Claimed = StreamId | StreamEntry;

/**
 * XCLAIM of `ids`: each one pending (or, with FORCE, in the stream) and idle
 * long enough becomes `consumer`'s, which is created if needed. An id whose
 * entry left the stream leaves the PEL.
 */
export async function claim(tx: Txn, ks: Keyspace, group: GroupRef, ids: readonly StreamId[], request: ClaimRequest): Promise<Claimed[]> {
  const out: Claimed[] = [];
  let consumerTouched = false;
  for (const id of ids) {
    const nack = await readNack(tx, group, id);
    const entry = await readEntry(tx, group.stream, id);
    if (entry === undefined) {
      if (nack !== undefined) release(tx, group, id, nack);
      continue;
    }
    if (nack === undefined && !request.force) continue;
    // A NACK made by FORCE has no owner yet and no idle time to check.
    if (nack !== undefined && request.minIdleMs > 0 && request.nowMs - nack.deliveredMs < request.minIdleMs) continue;
    if (!consumerTouched) {
      await touchConsumer(tx, ks, group, request.consumer, request.nowMs);
      consumerTouched = true;
    }
    // A NACK made by FORCE starts at one delivery, as Redis's streamCreateNACK.
    const before = nack?.deliveries ?? 1n;
    const deliveries = request.retryCount ?? (request.justId ? before : before + 1n);
    assign(tx, group, id, nack, { consumer: request.consumer, deliveredMs: request.deliveredMs, deliveries });
    out.push(request.justId ? id : entry);
  }
  return out;
}

export interface AutoClaimResult {
  /** Where the next call starts: the first pending entry not examined, 0-0 when the PEL was walked to its end. */
  readonly cursor: StreamId;
  readonly claimed: Claimed[];
  /** Pending entries that had left the stream, removed from the PEL. */
  readonly deleted: StreamId[];
}

/**
 * XAUTOCLAIM: walks the PEL from `start`, claiming entries idle at least
 * `minIdleMs` until `count` are claimed or removed, examining at most ten
 * times `count` (Redis's attempts factor).
 */
export async function autoClaim(
  tx: Txn,
  ks: Keyspace,
  group: GroupRef,
  request: { readonly start: StreamId; readonly count: number; readonly minIdleMs: number; readonly consumer: Uint8Array; readonly justId: boolean; readonly nowMs: number },
): Promise<AutoClaimResult> {
  const { keys, name } = group;
  let count = request.count;
  let attempts = Math.min(request.count * 10, Number.MAX_SAFE_INTEGER);
  const claimed: Claimed[] = [];
  const deleted: StreamId[] = [];
  let consumerTouched = false;
  for await (const pair of walk(tx, keys.nacksBetween(name, request.start))) {
    const id = keys.idOfNack(pair.key);
    if (attempts === 0 || count === 0) return { cursor: id, claimed, deleted };
    attempts--;
    const nack = decodeNack(pair.value);
    const entry = await readEntry(tx, group.stream, id);
    if (entry === undefined) {
      release(tx, group, id, nack);
      deleted.push(id);
      count--;
      continue;
    }
    if (request.minIdleMs > 0 && request.nowMs - nack.deliveredMs < request.minIdleMs) continue;
    if (!consumerTouched) {
      await touchConsumer(tx, ks, group, request.consumer, request.nowMs);
      consumerTouched = true;
    }
    assign(tx, group, id, nack, { consumer: request.consumer, deliveredMs: request.nowMs, deliveries: request.justId ? nack.deliveries : nack.deliveries + 1n });
    claimed.push(request.justId ? id : entry);
    count--;
  }
  return { cursor: MIN_ID, claimed, deleted };
}

// --- XINFO ---

export interface GroupInfo {
  readonly name: Uint8Array;
  readonly record: GroupRecord;
  readonly consumers: number;
  readonly pending: number;
}

/** XINFO GROUPS: every group of the stream, in name order. */
export async function listGroups(tx: ReadTxn, stream: StreamRef): Promise<GroupInfo[]> {
  if (stream.header.groups === 0) return [];
  const keys = groupKeysOf(stream);
  const out: GroupInfo[] = [];
  for await (const pair of walk(tx, keys.allGroups)) {
    const name = keys.groupNameOf(pair.key);
    const [consumers, pending] = await Promise.all([countPairs(tx, keys.consumersOf(name)), tx.get(keys.groupPending(name))]);
    out.push({ name, record: decodeGroup(pair.value), consumers, pending: readCount(pending) });
  }
  return out;
}

async function countPairs(tx: ReadTxn, range: KeyRange): Promise<number> {
  let n = 0;
  for await (const _ of walk(tx, range)) n++;
  return n;
}

export interface ConsumerInfo {
  readonly name: Uint8Array;
  readonly seenMs: number;
  readonly pending: number;
}

/** XINFO CONSUMERS: every consumer of the group, in name order. */
export async function listConsumers(tx: ReadTxn, group: GroupRef): Promise<ConsumerInfo[]> {
  const { keys, name } = group;
  const out: ConsumerInfo[] = [];
  for await (const pair of walk(tx, keys.consumersOf(name))) {
    const consumer = keys.consumerNameOf(pair.key);
    out.push({ name: consumer, seenMs: decodeConsumer(pair.value), pending: readCount(await tx.get(keys.consumerPending(name, consumer))) });
  }
  return out;
}

/** The first `count` (0: all) pending entries of a consumer, for XINFO STREAM FULL. */
export async function consumerPendingEntries(tx: ReadTxn, group: GroupRef, consumer: Uint8Array, count: number): Promise<PendingEntry[]> {
  const { keys, name } = group;
  const out: PendingEntry[] = [];
  for await (const owned of walk(tx, keys.allOwnedBy(name, consumer))) {
    if (count > 0 && out.length >= count) break;
    const id = keys.idOfOwned(owned.key);
    const nack = await readNack(tx, group, id);
    if (nack !== undefined) out.push({ id, nack });
  }
  return out;
}

/** The group as a GroupRef (for XINFO STREAM FULL, which lists every group). */
export function groupRefOf(stream: StreamRef, info: GroupInfo): GroupRef {
  return { stream, keys: groupKeysOf(stream), name: info.name, record: info.record };
}

/** XCLAIM's LASTID: the group's last id moves up to `lastId` when it is above (its read counter stays). */
export function raiseLastId(tx: Txn, group: GroupRef, lastId: StreamId): GroupRef {
  if (compareIds(lastId, group.record.lastId) <= 0) return group;
  const record = { ...group.record, lastId };
  tx.set(group.keys.group(group.name), encodeGroup(record));
  return { ...group, record };
}
