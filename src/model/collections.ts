// What hashes and sets share, and any collection whose members are
// ks.fieldKey entries: the key's life cycle (the meta carries no body and no
// size), the cardinality counter, bounded member reads and random sampling.
//
// Concurrency (DESIGN.md "Hashes and sets"): adding members reads the meta
// and the members it touches, then adds to the counter with tx.add, which
// adds no read conflict; so writers of different members never conflict.
// Only removals read the counter, because Redis deletes a collection that
// becomes empty (see removedMembers).
import { decodeInt64 } from "../engine/atomic_add.ts";
import { keyAfter } from "../engine/bytes.ts";
import type { KeyValue, MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { MAX_ENGINE_KEY_BYTES } from "../engine/limits.ts";
import { unpackTuple } from "../engine/tuple.ts";
import { lookup, lookupForWrite, putMeta, removeKey } from "./db.ts";
import type { EventClass, Keyspace } from "./keyspace.ts";
import type { KeyType, Meta } from "./meta.ts";
import { forEachPage } from "./paged_read.ts";

const EMPTY = new Uint8Array(0);

/** Members are read in pages of this many entries; each page is one bounded range read. */
export const MEMBER_PAGE = 1_000;

/** A negative count (repeats allowed) asks for at most this many elements: beyond it the reply itself would exhaust memory. */
export const MAX_RANDOM_REPEATS = 1_000_000;

/** The live meta of a collection of `type`: undefined when missing, WRONGTYPE for another type. */
export function lookupCollection(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  options: { readonly type: KeyType; readonly nowMs: number },
): MaybePromise<Meta | undefined | "WRONGTYPE"> {
  return then(lookup(tx, ks, key, options.nowMs), (meta) => ofType(meta, options.type));
}

/** lookupCollection for a transaction about to write the key (an expired key is deleted first). */
export function lookupCollectionForWrite(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  options: { readonly type: KeyType; readonly nowMs: number },
): MaybePromise<Meta | undefined | "WRONGTYPE"> {
  return then(lookupForWrite(tx, ks, key, options.nowMs), (meta) => ofType(meta, options.type));
}

function ofType(meta: Meta | undefined, type: KeyType): Meta | undefined | "WRONGTYPE" {
  if (meta === undefined) return undefined;
  return meta.type === type ? meta : "WRONGTYPE";
}

/** Creates an empty collection of `type` at `key`, which must not exist; the caller adds members. */
export function createCollection(tx: Txn, ks: Keyspace, key: Uint8Array, type: KeyType): Meta {
  const meta: Meta = { type, flags: 0, expireAt: 0, gen: 0, body: EMPTY };
  putMeta(tx, ks, key, undefined, meta);
  return meta;
}

/**
 * Replaces whatever `key` holds (live meta `previous`, any type) by an empty
 * collection of `type` without a TTL: the *STORE commands. A new generation
 * keeps the old members (cleared in the same transaction) apart.
 */
export function replaceWithCollection(tx: Txn, ks: Keyspace, key: Uint8Array, options: { readonly previous: Meta | undefined; readonly type: KeyType }): Meta {
  const { previous } = options;
  const meta: Meta = { type: options.type, flags: 0, expireAt: 0, gen: previous === undefined ? 0 : previous.gen + 1, body: EMPTY };
  // Replaced in place, not deleted and added: a key that existed is not `new` (Redis's setKey).
  if (previous !== undefined) tx.clearRange(ks.membersOfKey(key));
  putMeta(tx, ks, key, previous, meta);
  return meta;
}

/** The number of members (HLEN, SCARD): one point read of the counter. */
export function readCardinality(tx: ReadTxn, ks: Keyspace, key: Uint8Array, gen: number): MaybePromise<number> {
  return then(tx.get(ks.cardinalityKey(key, gen)), (bytes) => bytes === undefined ? 0 : Number(decodeInt64(bytes)));
}

/** Counts members in or out by atomic add: no read, so no conflict with other writers. */
export function addCardinality(tx: Txn, ks: Keyspace, key: Uint8Array, options: { readonly gen: number; readonly delta: number }): void {
  if (options.delta !== 0) tx.add(ks.cardinalityKey(key, options.gen), BigInt(options.delta));
}

/**
 * After `removed` members of `key` were cleared: counts them out, and deletes
 * the key when none is left, as Redis does. Knowing that means reading the
 * counter, and that read conflicts with every concurrent add to this
 * collection: removals and adds of one collection serialize. Adds among
 * themselves still never conflict, and removals are the rarer path; the
 * alternative (a zero-count key that EXISTS, TYPE and SCAN must hide) would
 * leak into every keyspace command.
 */
export function removedMembers(tx: Txn, ks: Keyspace, key: Uint8Array, options: { readonly meta: Meta; readonly removed: number }): MaybePromise<boolean> {
  const { meta, removed } = options;
  if (removed === 0) return false;
  return then(readCardinality(tx, ks, key, meta.gen), (before) => {
    if (before - removed <= 0) {
      removeKey(tx, ks, key, meta);
      return true;
    }
    addCardinality(tx, ks, key, { gen: meta.gen, delta: -removed });
    return false;
  });
}

/**
 * The keyspace events of a removal that took members out of a collection
 * (HDEL, SREM, ZREM...): the command's, then `del` when the collection is
 * now empty and gone, in Redis's order.
 */
export function notifyRemoval(ks: Keyspace, key: Uint8Array, removal: { readonly type: EventClass; readonly event: string; readonly emptied: boolean }): void {
  ks.notify(removal.type, removal.event, key);
  if (removal.emptied) ks.notify("g", "del", key);
}

/** How many of the per-member outcomes of a command (SADD, HDEL...) are true: members added or removed. */
export function countTrue(flags: readonly boolean[]): number {
  let n = 0;
  for (const flag of flags) if (flag) n++;
  return n;
}

/** Whether a member's engine key fits FoundationDB's key limit (a field or member name cannot be split). */
export function memberKeyFits(ks: Keyspace, key: Uint8Array, options: { readonly gen: number; readonly member: Uint8Array }): boolean {
  return ks.fieldKey(key, options.gen, options.member).length <= MAX_ENGINE_KEY_BYTES;
}

export interface MemberEntry {
  readonly member: Uint8Array;
  /** The stored value of the member's engine key (a hash value's first chunk; empty for sets). */
  readonly stored: Uint8Array;
}

/**
 * Up to `limit` members after `after` (a member name; from the first when
 * absent), in byte order: one bounded range read. `snapshot` reads add no
 * read conflict.
 */
export async function readMemberPage(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  page: { readonly gen: number; readonly after?: Uint8Array; readonly limit: number },
): Promise<MemberEntry[]> {
  const range = ks.fieldsRange(key, page.gen);
  const start = page.after === undefined ? range.start : keyAfter(ks.fieldKey(key, page.gen, page.after));
  const entries: KeyValue[] = await tx.getRange({ start, end: range.end }, { limit: page.limit });
  return entries.map((entry) => ({ member: ks.fieldOf(entry.key, key, page.gen), stored: entry.value }));
}

/** The member of a field key whose member prefix (Keyspace.memberPrefixOf) is `prefixLength` bytes: Keyspace.fieldOf without rebuilding the prefix. */
function memberOfFieldKey(fieldKey: Uint8Array, prefixLength: number): Uint8Array {
  return unpackTuple(fieldKey.subarray(prefixLength))[0] as Uint8Array;
}

/**
 * Every member, page by page inside the caller's transaction. A collection
 * too large for one transaction ends with the engine's limit error
 * (5 s; 10 MB read in a writing transaction), never with a partial answer.
 */
export async function readAllMembers(tx: ReadTxn, ks: Keyspace, key: Uint8Array, gen: number): Promise<MemberEntry[]> {
  const out: MemberEntry[] = [];
  const prefixLength = ks.memberPrefixOf(key, gen).length;
  // Pages that let other clients run between them (paged_read.ts): a set of a million members is one snapshot, not one stall.
  await forEachPage(tx, ks.fieldsRange(key, gen), (page) => {
    for (const entry of page) out.push({ member: memberOfFieldKey(entry.key, prefixLength), stored: entry.value });
  }, { pageSize: MEMBER_PAGE });
  return out;
}

/**
 * Random picks among `items`, with Redis's count rules: count > 0 gives
 * min(count, n) distinct items, count < 0 gives |count| items with repeats.
 * The body of a transaction may run again on retry: a new draw is fine.
 */
export function pickRandom<T>(items: readonly T[], count: number): T[] {
  const n = items.length;
  if (n === 0 || count === 0) return [];
  if (count < 0) {
    const out: T[] = new Array(-count);
    for (let i = 0; i < -count; i++) out[i] = items[Math.floor(Math.random() * n)]!;
    return out;
  }
  if (count >= n) return [...items];
  // Partial Fisher-Yates: the first `count` slots of a shuffled copy.
  const copy = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (n - i));
    const t = copy[i]!;
    copy[i] = copy[j]!;
    copy[j] = t;
  }
  return copy.slice(0, count);
}
