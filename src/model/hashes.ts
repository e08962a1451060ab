// Hashes over the engine. Each field is its own engine key
// ks.fieldKey(key, gen, field) holding the value; the meta has no body; the
// size is the collection's cardinality counter (collections.ts). HSET of one
// field reads the meta and that field only, so writers of different fields
// never conflict.
//
// Values: FoundationDB takes at most 100 kB per value, and ~10 kB performs
// best. A value shorter than VALUE_CHUNK_BYTES is stored whole in the field's
// key. A longer one keeps its first VALUE_CHUNK_BYTES there and the rest in
// chunks under <members> "v" <field> <index>; a stored part of exactly
// VALUE_CHUNK_BYTES is the sign to look for more. Common values cost one read.
//
// Field TTLs (HEXPIRE and friends: hash_field_ttl.ts, hash_field_expiry.ts):
// a field whose TTL has passed is missing to every command here, until the
// sweeper or a write removes it. The cardinality counter counts stored
// fields, expired ones included until they are removed: HLEN answers it, as
// Redis 8's HLEN counts expired fields not yet deleted. Hashes without the
// meta's FLAG_FIELD_TTL read exactly what they read before.
import { concatBytes } from "../engine/bytes.ts";
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { all, sequence, then } from "../engine/maybe_promise.ts";
import { appendBytesElement, childRange, packTuple } from "../engine/tuple.ts";
import {
  addCardinality,
  createCollection,
  lookupCollection,
  lookupCollectionForWrite,
  type MemberEntry,
  memberKeyFits,
  pickRandom,
  readAllMembers,
  readCardinality,
  readMemberPage,
  removedMembers,
} from "./collections.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "./integers.ts";
import type { Keyspace } from "./keyspace.ts";
import { READ_PAGE_PAIRS, ReadPacer } from "./paged_read.ts";
import { MAX_NUMBER_TEXT_BYTES, STRING_CHUNK_BYTES } from "./limits.ts";
import { addLongDouble, formatLongDouble, type LongDouble, parseLongDouble } from "./long_double.ts";
import { isExpired, KeyType, type Meta } from "./meta.ts";
import { clearFieldTtl, hashFieldExpiries, hasFieldTtls, readFieldTtl } from "./hash_field_ttl.ts";
import { byteString } from "../engine/bytes.ts";
import type { Status } from "./status.ts";

export const VALUE_CHUNK_BYTES = STRING_CHUNK_BYTES;


const HASH = { type: KeyType.Hash } as const;
const CHUNK_SPACE = packTuple(["v"]);
const ASCII = new TextEncoder();
const EMPTY = new Uint8Array(0);

export type FieldValue = readonly [field: Uint8Array, value: Uint8Array];

function chunkPrefix(ks: Keyspace, key: Uint8Array, gen: number, field: Uint8Array): Uint8Array {
  return appendBytesElement(concatBytes(ks.memberPrefixOf(key, gen), CHUNK_SPACE), field);
}

/** The whole value of a field whose field-key value is `stored`: that value itself unless it is long. */
export function fullValue(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array; readonly stored: Uint8Array }): MaybePromise<Uint8Array> {
  if (at.stored.length < VALUE_CHUNK_BYTES) return at.stored;
  return then(tx.getRange(childRange(chunkPrefix(ks, key, at.gen, at.field))), (chunks) => {
    if (chunks.length === 0) return at.stored;
    return concatBytes(at.stored, ...chunks.map((chunk) => chunk.value));
  });
}

/** Writes `value` into `field`, replacing a value whose field-key value was `previous`. */
export function writeValue(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array; readonly value: Uint8Array; readonly previous: Uint8Array | undefined }): void {
  const { gen, field, value } = at;
  const prefix = at.previous !== undefined && at.previous.length >= VALUE_CHUNK_BYTES || value.length > VALUE_CHUNK_BYTES
    ? chunkPrefix(ks, key, gen, field)
    : undefined;
  if (prefix !== undefined && at.previous !== undefined && at.previous.length >= VALUE_CHUNK_BYTES) tx.clearRange(childRange(prefix));
  tx.set(ks.fieldKey(key, gen, field), value.length > VALUE_CHUNK_BYTES ? value.subarray(0, VALUE_CHUNK_BYTES) : value);
  for (let offset = VALUE_CHUNK_BYTES, index = 1; offset < value.length; offset += VALUE_CHUNK_BYTES, index++) {
    tx.set(concatBytes(prefix!, packTuple([index])), value.subarray(offset, offset + VALUE_CHUNK_BYTES));
  }
}

/** Removes `field`'s value (whose field-key value is `previous`) and its chunks; not its TTL record. */
export function clearValue(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array; readonly previous: Uint8Array }): void {
  tx.clear(ks.fieldKey(key, at.gen, at.field));
  if (at.previous.length >= VALUE_CHUNK_BYTES) tx.clearRange(childRange(chunkPrefix(ks, key, at.gen, at.field)));
}

/** The field-key value of `field`, or undefined (a field too long to store cannot exist). */
function readStored(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array }): MaybePromise<Uint8Array | undefined> {
  if (!memberKeyFits(ks, key, { gen: at.gen, member: at.field })) return undefined;
  return tx.get(ks.fieldKey(key, at.gen, at.field));
}

/** A field as stored: its field-key value and its TTL (0: none), expired or not. */
export interface StoredField {
  readonly stored: Uint8Array;
  readonly expireAt: number;
}

/** The stored field with its TTL, or undefined; the TTL record is read (at once with the value) only when the hash has field TTLs. */
export function readStoredField(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly meta: Meta; readonly field: Uint8Array }): MaybePromise<StoredField | undefined> {
  const where = { gen: at.meta.gen, field: at.field };
  if (!hasFieldTtls(at.meta)) return then(readStored(tx, ks, key, where), (stored) => stored === undefined ? undefined : { stored, expireAt: 0 });
  const reads: MaybePromise<Uint8Array | number | undefined>[] = [readStored(tx, ks, key, where), readFieldTtl(tx, ks, key, where)];
  return then(all(reads), ([stored, expireAt]) => stored === undefined ? undefined : { stored: stored as Uint8Array, expireAt: expireAt as number });
}

/** The field-key value of a live field (one whose TTL, if any, has not passed), or undefined. */
function readLiveStored(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly meta: Meta; readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<Uint8Array | undefined> {
  if (!hasFieldTtls(at.meta)) return readStored(tx, ks, key, { gen: at.meta.gen, field: at.field });
  return then(readStoredField(tx, ks, key, at), (found) => found === undefined || isExpired(found.expireAt, at.nowMs) ? undefined : found.stored);
}

/**
 * `entries` (members of a page or of the whole hash, in field order) without
 * the fields whose TTL has passed: one range read of the TTL records between
 * the first and the last entry, and only for a hash with field TTLs.
 */
async function withoutExpired(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly meta: Meta; readonly nowMs: number; readonly entries: MemberEntry[] }): Promise<MemberEntry[]> {
  const { entries } = at;
  if (!hasFieldTtls(at.meta) || entries.length === 0) return entries;
  const ttls = await hashFieldExpiries(tx, ks, key, { gen: at.meta.gen, from: entries[0]!.member, through: entries[entries.length - 1]!.member });
  const expired = new Set<string>();
  for (const { field, expireAt } of ttls) if (isExpired(expireAt, at.nowMs)) expired.add(byteString(field));
  return expired.size === 0 ? entries : entries.filter((entry) => !expired.has(byteString(entry.member)));
}

async function withValues(tx: ReadTxn, ks: Keyspace, key: Uint8Array, gen: number, entries: readonly MemberEntry[]): Promise<FieldValue[]> {
  const out: FieldValue[] = [];
  // A hash of a million fields: other clients run between slices (paged_read.ts).
  const pacer = new ReadPacer();
  for (const { member, stored } of entries) {
    // Short values (nearly all) are whole already: no promise per field.
    out.push([member, stored.length < VALUE_CHUNK_BYTES ? stored : await fullValue(tx, ks, key, { gen, field: member, stored })]);
    if (out.length % READ_PAGE_PAIRS === 0) await pacer.pause();
  }
  return out;
}

/**
 * HSET/HMSET (and HSETNX with `onlyIfNew`): returns how many fields are new.
 * Per field: one point read and one write; the count goes to the counter by
 * atomic add. Fields whose engine key would be too long fail the whole
 * command before anything is written.
 */
export function setFields(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly pairs: readonly FieldValue[]; readonly nowMs: number; readonly onlyIfNew?: boolean },
): MaybePromise<number | Status> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: change.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    const gen = meta?.gen ?? 0;
    for (const [field] of change.pairs) if (!memberKeyFits(ks, key, { gen, member: field })) return "MEMBER_TOO_LARGE";
    if (meta === undefined) createCollection(tx, ks, key, KeyType.Hash);
    // One field after the other: a field named twice sees its first write (read-your-writes).
    return then(sequence(change.pairs, (pair) => setField(tx, ks, key, { meta, gen, pair, onlyIfNew: change.onlyIfNew, nowMs: change.nowMs })), (outcomes) => {
      let added = 0, revived = 0;
      for (const outcome of outcomes) {
        if (outcome === "added") added++;
        else if (outcome === "revived") revived++;
      }
      // A revived field (its TTL had passed) is new to the client but was still counted.
      addCardinality(tx, ks, key, { gen, delta: added });
      // HSETNX meets an expired field as Redis's lazy expiry does (`hexpired`); HSET overwrites it.
      if (change.onlyIfNew && revived > 0) ks.notify("h", "hexpired", key);
      // HSET reports even values it left unchanged; HSETNX only a field it added.
      if (!change.onlyIfNew || added + revived > 0) ks.notify("h", "hset", key);
      return added + revived;
    });
  });
}

/** What HSET did to one field: added it, replaced a live one, replaced an expired one, or (HSETNX) kept a live one. */
type FieldWrite = "added" | "replaced" | "revived" | "kept";

/** HSET of one field. It drops the field's TTL, as Redis 8 does. */
function setField(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  at: { readonly meta: Meta | undefined; readonly gen: number; readonly pair: FieldValue; readonly onlyIfNew: boolean | undefined; readonly nowMs: number },
): MaybePromise<FieldWrite> {
  const { gen, pair: [field, value] } = at;
  if (at.meta === undefined || !hasFieldTtls(at.meta)) {
    return then(tx.get(ks.fieldKey(key, gen, field)), (previous) => {
      if (previous !== undefined && at.onlyIfNew) return "kept";
      writeValue(tx, ks, key, { gen, field, value, previous });
      return previous === undefined ? "added" : "replaced";
    });
  }
  return then(readStoredField(tx, ks, key, { meta: at.meta, field }), (found): FieldWrite => {
    const expired = found !== undefined && isExpired(found.expireAt, at.nowMs);
    if (found !== undefined && !expired && at.onlyIfNew) return "kept";
    writeValue(tx, ks, key, { gen, field, value, previous: found?.stored });
    if (found === undefined) return "added";
    clearFieldTtl(tx, ks, key, { gen, field, expireAt: found.expireAt });
    return expired ? "revived" : "replaced";
  });
}

/** HGET: the value, undefined when the key or field is missing. */
export function getField(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<Uint8Array | undefined | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...HASH, nowMs: at.nowMs }), (meta) => {
    if (meta === undefined || meta === "WRONGTYPE") return meta;
    return readField(tx, ks, key, { meta, field: at.field, nowMs: at.nowMs });
  });
}

/** The whole value of `field`, or undefined when it is missing or expired. */
function readField(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly meta: Meta; readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<Uint8Array | undefined> {
  return then(readLiveStored(tx, ks, key, at), (stored) => stored === undefined ? undefined : fullValue(tx, ks, key, { gen: at.meta.gen, field: at.field, stored }));
}

/** HMGET: a value or null per field (all null for a missing key). */
export function getFields(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly fields: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<(Uint8Array | null)[] | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...HASH, nowMs: at.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return at.fields.map(() => null);
    // Every read issued at once: one round trip on FoundationDB.
    return all(at.fields.map((field) => then(readField(tx, ks, key, { meta, field, nowMs: at.nowMs }), (value) => value ?? null)));
  });
}

/** HDEL: how many of `fields` existed; the key goes when its last field does. */
export function deleteFields(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly fields: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<number | "WRONGTYPE"> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: change.nowMs }), (meta) => {
    if (meta === undefined) return 0;
    if (meta === "WRONGTYPE") return meta;
    // One field after the other: a field named twice is removed once.
    return then(sequence(change.fields, (field) => removeField(tx, ks, key, { meta, field, nowMs: change.nowMs })), (outcomes) => {
      let removed = 0, expired = 0;
      for (const outcome of outcomes) {
        if (outcome === "removed") removed++;
        else if (outcome === "expired") expired++;
      }
      return then(removedMembers(tx, ks, key, { meta, removed: removed + expired }), (emptied) => {
        // An expired field is removed too, but it was already missing: not counted, reported as expired.
        if (expired > 0) ks.notify("h", "hexpired", key);
        if (removed > 0) ks.notify("h", "hdel", key);
        if (emptied) ks.notify("g", "del", key);
        return removed;
      });
    });
  });
}

/**
 * Removes one field with its value, chunks and TTL: "removed" when it was
 * live, "expired" when its TTL had passed (it was missing to every reader),
 * "missing". The caller counts both kinds out of the cardinality.
 */
export function removeField(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly meta: Meta; readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<"removed" | "expired" | "missing"> {
  return then(readStoredField(tx, ks, key, at), (found) => {
    if (found === undefined) return "missing";
    const where = { gen: at.meta.gen, field: at.field };
    clearValue(tx, ks, key, { ...where, previous: found.stored });
    clearFieldTtl(tx, ks, key, { ...where, expireAt: found.expireAt });
    return isExpired(found.expireAt, at.nowMs) ? "expired" : "removed";
  });
}

/** HEXISTS. */
export function fieldExists(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<boolean | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...HASH, nowMs: at.nowMs }), (meta) => {
    if (meta === undefined || meta === "WRONGTYPE") return meta === "WRONGTYPE" ? meta : false;
    return then(readLiveStored(tx, ks, key, { meta, field: at.field, nowMs: at.nowMs }), (stored) => stored !== undefined);
  });
}

/** HSTRLEN: the value's length, 0 when missing. */
export function fieldLength(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<number | "WRONGTYPE"> {
  return then(getField(tx, ks, key, at), (value) => {
    if (value === "WRONGTYPE") return value;
    return value?.length ?? 0;
  });
}

/** HLEN: the counter, one point read (fields whose TTL passed count until removed, as in Redis 8). */
export function hashLength(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<number | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...HASH, nowMs }), (meta) => {
    if (meta === undefined || meta === "WRONGTYPE") return meta ?? 0;
    return readCardinality(tx, ks, key, meta.gen);
  });
}

/** HGETALL, HKEYS, HVALS: every field in byte order ([] for a missing key). */
export async function getAll(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<FieldValue[] | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...HASH, nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta ?? [];
  return withValues(tx, ks, key, meta.gen, await withoutExpired(tx, ks, key, { meta, nowMs, entries: await readAllMembers(tx, ks, key, meta.gen) }));
}

/** HKEYS: the fields only (no chunk of a long value is read). */
export async function getFieldNames(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<Uint8Array[] | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...HASH, nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta ?? [];
  return (await withoutExpired(tx, ks, key, { meta, nowMs, entries: await readAllMembers(tx, ks, key, meta.gen) })).map((entry) => entry.member);
}

/** How updateField changes a field's value. */
interface FieldUpdate<T> {
  /** The keyspace event of the change. */
  readonly event: "hincrby" | "hincrbyfloat";
  readonly field: Uint8Array;
  readonly nowMs: number;
  readonly next: (current: Uint8Array | undefined) => { value: Uint8Array; reply: T } | Status;
}

/** Reads, changes and writes back one field's value; shared by HINCRBY and HINCRBYFLOAT. */
function updateField<T>(tx: Txn, ks: Keyspace, key: Uint8Array, update: FieldUpdate<T>): MaybePromise<T | Status> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: update.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    const gen = meta?.gen ?? 0;
    const { field } = update;
    if (!memberKeyFits(ks, key, { gen, member: field })) return "MEMBER_TOO_LARGE";
    if (meta === undefined) return writeUpdate(tx, ks, key, { meta, found: undefined, update });
    return then(readStoredField(tx, ks, key, { meta, field }), (found) => writeUpdate(tx, ks, key, { meta, found, update }));
  });
}

/** updateField's write, once the field's stored value is known. */
function writeUpdate<T>(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  at: { readonly meta: Meta | undefined; readonly found: StoredField | undefined; readonly update: FieldUpdate<T> },
): T | Status {
  const { meta, found, update } = at;
  const gen = meta?.gen ?? 0;
  // A field whose TTL passed counts as missing (0); a live field keeps its TTL, as in Redis 8.
  const expired = found !== undefined && isExpired(found.expireAt, update.nowMs);
  const outcome = update.next(expired ? undefined : found?.stored);
  if (typeof outcome === "string") return outcome;
  if (meta === undefined) createCollection(tx, ks, key, KeyType.Hash);
  writeValue(tx, ks, key, { gen, field: update.field, value: outcome.value, previous: found?.stored });
  if (found === undefined) addCardinality(tx, ks, key, { gen, delta: 1 });
  if (expired) {
    clearFieldTtl(tx, ks, key, { gen, field: update.field, expireAt: found.expireAt });
    ks.notify("h", "hexpired", key);
  }
  ks.notify("h", update.event, key);
  return outcome.reply;
}

/** HINCRBY: the new value; the key keeps its TTL. */
export function incrementField(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly field: Uint8Array; readonly delta: bigint; readonly nowMs: number }): MaybePromise<bigint | Status> {
  return updateField(tx, ks, key, {
    event: "hincrby",
    field: change.field,
    nowMs: change.nowMs,
    next(current) {
      let value = 0n;
      if (current !== undefined) {
        const parsed = current.length >= MAX_NUMBER_TEXT_BYTES ? undefined : parseInt64(current);
        if (parsed === undefined) return "HASH_VALUE_NOT_INTEGER";
        value = parsed;
      }
      const sum = value + change.delta;
      if (sum > INT64_MAX || sum < INT64_MIN) return "OVERFLOW";
      return { value: ASCII.encode(sum.toString()), reply: sum };
    },
  });
}

const ZERO: LongDouble = { negative: false, significand: 0n, exponent: 0 };

/** HINCRBYFLOAT: the new value as Redis prints it (long double arithmetic, long_double.ts). */
export function incrementFieldByFloat(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly field: Uint8Array; readonly increment: LongDouble; readonly nowMs: number }): MaybePromise<Uint8Array | Status> {
  return updateField(tx, ks, key, {
    event: "hincrbyfloat",
    field: change.field,
    nowMs: change.nowMs,
    next(current) {
      const stored = current === undefined ? ZERO : current.length >= MAX_NUMBER_TEXT_BYTES ? undefined : parseLongDouble(current);
      if (stored === undefined) return "HASH_VALUE_NOT_FLOAT";
      if ("infinity" in stored) return "NAN_OR_INFINITY";
      const sum = addLongDouble(stored, change.increment);
      if (sum === undefined) return "NAN_OR_INFINITY";
      const value = ASCII.encode(formatLongDouble(sum));
      return { value, reply: value };
    },
  });
}

/**
 * HRANDFIELD with a count (Redis's rules: see pickRandom); undefined for a
 * missing key. It reads the whole hash: O(N), where Redis is O(count).
 */
export async function randomFields(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  pick: { readonly count: number; readonly withValues: boolean; readonly nowMs: number },
): Promise<FieldValue[] | undefined | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...HASH, nowMs: pick.nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta;
  const chosen = pickRandom(await withoutExpired(tx, ks, key, { meta, nowMs: pick.nowMs, entries: await readAllMembers(tx, ks, key, meta.gen) }), pick.count);
  if (!pick.withValues) return chosen.map((entry) => [entry.member, EMPTY] as const);
  // Repeats share one read of a long value.
  const values = new Map<MemberEntry, Uint8Array>();
  const out: FieldValue[] = [];
  for (const entry of chosen) {
    let value = values.get(entry);
    if (value === undefined) {
      value = await fullValue(tx, ks, key, { gen: meta.gen, field: entry.member, stored: entry.stored });
      values.set(entry, value);
    }
    out.push([entry.member, value]);
  }
  return out;
}

export interface FieldPage {
  readonly entries: FieldValue[];
  /** The last field read (filtered or not): the next page starts after it. Undefined when the hash is exhausted. */
  readonly resumeAfter: Uint8Array | undefined;
}

/**
 * One HSCAN page: up to `limit` fields after `after`, in byte order, then
 * filtered by `match`. Undefined for a missing key.
 */
export async function scanFields(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  page: { readonly after?: Uint8Array; readonly limit: number; readonly match?: (field: Uint8Array) => boolean; readonly nowMs: number },
): Promise<FieldPage | undefined | "WRONGTYPE"> {
  const meta: Meta | undefined | "WRONGTYPE" = await lookupCollection(tx, ks, key, { ...HASH, nowMs: page.nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta;
  const entries = await readMemberPage(tx, ks, key, { gen: meta.gen, after: page.after, limit: page.limit });
  const live = await withoutExpired(tx, ks, key, { meta, nowMs: page.nowMs, entries });
  const kept = page.match ? live.filter((entry) => page.match!(entry.member)) : live;
  const last = entries[entries.length - 1];
  return {
    entries: await withValues(tx, ks, key, meta.gen, kept),
    resumeAfter: entries.length < page.limit || last === undefined ? undefined : last.member,
  };
}
