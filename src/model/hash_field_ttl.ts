// Where the TTL of a hash field lives (Redis 7.4/8 hash-field expiry).
//
//   <members of key, gen> "t" <field>                        → expireAt, float64 LE (ms)
//   (null) h <bucket> <expireAt> <tenant> <slot> <key> <field> → empty: the global index the sweeper scans
//   (the slot, the physical database, as the key expiry index has it: a SWAPDB leaves both as they are)
//
// A side record per field, not a header in the field's value: a hash whose
// fields never had a TTL keeps its values as they are, and the meta's
// FLAG_FIELD_TTL tells every reader whether to look for TTL records at all;
// without the flag a hash pays nothing. The flag is set when a first field
// TTL is written and stays (a hash that had field TTLs reads one more record
// per field, or one more range per scan).
//
// The TTL records sit in the "t" string space of the hash's members, apart
// from the fields (bytes) and the long values' chunks ("v"), so removeKey,
// COPY and RENAME carry or clear them with the rest of the members. The
// index is global like the key expiry index (keyspace.ts), bucketed by key
// so that a hash's fields share a bucket. Index entries whose hash was
// deleted, rewritten or flushed are left behind and dropped by the sweeper's
// re-check when they come due (as the key expiry index does after FLUSHDB).
import { concatBytes, keyAfter } from "../engine/bytes.ts";
import type { KeyRange, MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { readFloat64LE, writeFloat64LE } from "../engine/little_endian.ts";
import { then } from "../engine/maybe_promise.ts";
import { appendBytesElement, childRange, packTuple, unpackTuple } from "../engine/tuple.ts";
import { putMeta } from "./db.ts";
import { expiryBucketOf, EXPIRY_BUCKETS, type Keyspace } from "./keyspace.ts";
import { FLAG_FIELD_TTL, type Meta } from "./meta.ts";
import { readRangePaged } from "./paged_read.ts";

const TTL_SPACE = packTuple(["t"]);
const INDEX_TAG = "h";
const EMPTY = new Uint8Array(0);

/**
 * The latest field expiry Redis 8 accepts (HFE_MAX_ABS_TIME_MSEC: 2^48 - 1
 * shifted right by 2), in ms since the epoch; well within a safe integer.
 */
export const MAX_FIELD_EXPIRE_AT_MS = 70_368_744_177_663;

/** Whether any field of this hash may carry a TTL. */
export function hasFieldTtls(meta: Meta): boolean {
  return (meta.flags & FLAG_FIELD_TTL) !== 0;
}

/** Sets the hash's FLAG_FIELD_TTL before its first field TTL is written; returns the meta in force. */
export function markFieldTtls(tx: Txn, ks: Keyspace, key: Uint8Array, meta: Meta): Meta {
  if (hasFieldTtls(meta)) return meta;
  const next: Meta = { ...meta, flags: meta.flags | FLAG_FIELD_TTL };
  putMeta(tx, ks, key, meta, next);
  return next;
}

function ttlPrefix(ks: Keyspace, key: Uint8Array, gen: number): Uint8Array {
  return concatBytes(ks.memberPrefixOf(key, gen), TTL_SPACE);
}

function ttlKey(ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array }): Uint8Array {
  return appendBytesElement(ttlPrefix(ks, key, at.gen), at.field);
}

/** Every TTL record of one generation of a hash, in byte order of the field. */
export function fieldTtlRange(ks: Keyspace, key: Uint8Array, gen: number): KeyRange {
  return childRange(ttlPrefix(ks, key, gen));
}

/** The field of a TTL record's engine key. */
function fieldOfTtlKey(ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly ttlKey: Uint8Array }): Uint8Array {
  return unpackTuple(at.ttlKey.subarray(ttlPrefix(ks, key, at.gen).length))[0] as Uint8Array;
}

/** The global index entry of `field` of `key` expiring at `expireAt`. */
export function fieldExpiryIndexKey(ks: Keyspace, at: { readonly key: Uint8Array; readonly field: Uint8Array; readonly expireAt: number }): Uint8Array {
  const head = packTuple([null, INDEX_TAG, expiryBucketOf(at.key), at.expireAt, ks.tenant, ks.slot]);
  return appendBytesElement(appendBytesElement(head, at.key), at.field);
}

/** The whole field expiry index. */
export function fieldExpiryIndexRange(): KeyRange {
  return { start: packTuple([null, INDEX_TAG]), end: packTuple([null, INDEX_TAG, EXPIRY_BUCKETS]) };
}

/** Entries of one bucket whose field expired at `nowMs` (expireAt < nowMs). */
export function dueFieldEntries(bucket: number, nowMs: number): KeyRange {
  return { start: packTuple([null, INDEX_TAG, bucket]), end: packTuple([null, INDEX_TAG, bucket, Math.floor(nowMs)]) };
}

export interface FieldExpiryEntry {
  readonly expireAt: number;
  readonly tenant: string;
  /** The physical database (Keyspace.slot). */
  readonly slot: number;
  readonly key: Uint8Array;
  readonly field: Uint8Array;
}

export function decodeFieldExpiryEntry(entryKey: Uint8Array): FieldExpiryEntry {
  const [, , , expireAt, tenant, slot, key, field] = unpackTuple(entryKey);
  return { expireAt: Number(expireAt), tenant: tenant as string, slot: Number(slot), key: key as Uint8Array, field: field as Uint8Array };
}

function encodeExpireAt(expireAt: number): Uint8Array {
  const out = new Uint8Array(8);
  writeFloat64LE(out, 0, expireAt);
  return out;
}

/** The TTL of `field` (ms since the epoch), or 0 when it has none. Callers check hasFieldTtls first. */
export function readFieldTtl(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array }): MaybePromise<number> {
  return then(tx.get(ttlKey(ks, key, at)), (bytes) => bytes === undefined ? 0 : readFloat64LE(bytes, 0));
}

/** Gives `field` the TTL `expireAt`, replacing `previous` (0: none); the hash must be marked (markFieldTtls). */
export function writeFieldTtl(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array; readonly expireAt: number; readonly previous: number }): void {
  if (at.previous === at.expireAt) return;
  if (at.previous !== 0) tx.clear(fieldExpiryIndexKey(ks, { key, field: at.field, expireAt: at.previous }));
  tx.set(ttlKey(ks, key, at), encodeExpireAt(at.expireAt));
  tx.set(fieldExpiryIndexKey(ks, { key, field: at.field, expireAt: at.expireAt }), EMPTY);
}

/** Removes the TTL `expireAt` of `field` (HPERSIST, HSET, and a field's removal); nothing when 0. */
export function clearFieldTtl(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array; readonly expireAt: number }): void {
  if (at.expireAt === 0) return;
  tx.clear(ttlKey(ks, key, at));
  tx.clear(fieldExpiryIndexKey(ks, { key, field: at.field, expireAt: at.expireAt }));
}

/**
 * Every field TTL of one generation of a hash, field → expireAt, in field
 * order (expired ones included): for DUMP and for readers that filter many
 * fields at once. `from`/`through` bound the fields read (inclusive).
 */
export async function hashFieldExpiries(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  at: { readonly gen: number; readonly from?: Uint8Array; readonly through?: Uint8Array },
): Promise<{ field: Uint8Array; expireAt: number }[]> {
  const whole = fieldTtlRange(ks, key, at.gen);
  const range = {
    start: at.from === undefined ? whole.start : ttlKey(ks, key, { gen: at.gen, field: at.from }),
    end: at.through === undefined ? whole.end : keyAfter(ttlKey(ks, key, { gen: at.gen, field: at.through })),
  };
  const pairs = await readRangePaged(tx, range);
  return pairs.map((pair) => ({ field: fieldOfTtlKey(ks, key, { gen: at.gen, ttlKey: pair.key }), expireAt: readFloat64LE(pair.value, 0) }));
}

/**
 * After COPY, RENAME or MOVE wrote a hash's members (TTL records included)
 * under `key`'s generation `gen`: the index entries of those TTLs, so that the
 * copy's fields expire too.
 */
export async function indexCopiedFieldTtls(tx: Txn, ks: Keyspace, key: Uint8Array, gen: number): Promise<void> {
  for (const { field, expireAt } of await hashFieldExpiries(tx, ks, key, { gen })) {
    tx.set(fieldExpiryIndexKey(ks, { key, field, expireAt }), EMPTY);
  }
}
