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
import { concatBytes } from "../engine/bytes.ts";
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { all, sequence, then } from "../engine/maybe_promise.ts";
import { appendBytesElement, childRange, packTuple } from "../engine/tuple.ts";
import {
  addCardinality,
  countTrue,
  createCollection,
  lookupCollection,
  lookupCollectionForWrite,
  type MemberEntry,
  memberKeyFits,
  pickRandom,
  readAllMembers,
  readCardinality,
  readMemberPage,
  notifyRemoval,
  removedMembers,
} from "./collections.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "./integers.ts";
import type { Keyspace } from "./keyspace.ts";
import { READ_PAGE_PAIRS, ReadPacer } from "./paged_read.ts";
import { MAX_NUMBER_TEXT_BYTES, STRING_CHUNK_BYTES } from "./limits.ts";
import { addLongDouble, formatLongDouble, type LongDouble, parseLongDouble } from "./long_double.ts";
import { KeyType, type Meta } from "./meta.ts";
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
function fullValue(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array; readonly stored: Uint8Array }): MaybePromise<Uint8Array> {
  if (at.stored.length < VALUE_CHUNK_BYTES) return at.stored;
  return then(tx.getRange(childRange(chunkPrefix(ks, key, at.gen, at.field))), (chunks) => {
    if (chunks.length === 0) return at.stored;
    return concatBytes(at.stored, ...chunks.map((chunk) => chunk.value));
  });
}

/** Writes `value` into `field`, replacing a value whose field-key value was `previous`. */
function writeValue(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array; readonly value: Uint8Array; readonly previous: Uint8Array | undefined }): void {
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

function clearValue(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array; readonly previous: Uint8Array }): void {
  tx.clear(ks.fieldKey(key, at.gen, at.field));
  if (at.previous.length >= VALUE_CHUNK_BYTES) tx.clearRange(childRange(chunkPrefix(ks, key, at.gen, at.field)));
}

/** The field-key value of `field`, or undefined (a field too long to store cannot exist). */
function readStored(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array }): MaybePromise<Uint8Array | undefined> {
  if (!memberKeyFits(ks, key, { gen: at.gen, member: at.field })) return undefined;
  return tx.get(ks.fieldKey(key, at.gen, at.field));
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
    return then(sequence(change.pairs, (pair) => setField(tx, ks, key, { gen, pair, onlyIfNew: change.onlyIfNew })), (outcomes) => {
      const added = countTrue(outcomes);
      addCardinality(tx, ks, key, { gen, delta: added });
      // HSET reports even values it left unchanged; HSETNX only a field it added.
      if (!change.onlyIfNew || added > 0) ks.notify("h", "hset", key);
      return added;
    });
  });
}

/** HSET of one field: true when the field is new. */
function setField(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly pair: FieldValue; readonly onlyIfNew: boolean | undefined }): MaybePromise<boolean> {
  const { gen, pair: [field, value] } = at;
  return then(tx.get(ks.fieldKey(key, gen, field)), (previous) => {
    if (previous !== undefined && at.onlyIfNew) return false;
    writeValue(tx, ks, key, { gen, field, value, previous });
    return previous === undefined;
  });
}

/** HGET: the value, undefined when the key or field is missing. */
export function getField(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<Uint8Array | undefined | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...HASH, nowMs: at.nowMs }), (meta) => {
    if (meta === undefined || meta === "WRONGTYPE") return meta;
    return readField(tx, ks, key, { gen: meta.gen, field: at.field });
  });
}

/** The whole value of `field`, or undefined when it is missing. */
function readField(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array }): MaybePromise<Uint8Array | undefined> {
  return then(readStored(tx, ks, key, at), (stored) => stored === undefined ? undefined : fullValue(tx, ks, key, { ...at, stored }));
}

/** HMGET: a value or null per field (all null for a missing key). */
export function getFields(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly fields: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<(Uint8Array | null)[] | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...HASH, nowMs: at.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return at.fields.map(() => null);
    // Every read issued at once: one round trip on FoundationDB.
    return all(at.fields.map((field) => then(readField(tx, ks, key, { gen: meta.gen, field }), (value) => value ?? null)));
  });
}

/** HDEL: how many of `fields` existed; the key goes when its last field does. */
export function deleteFields(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly fields: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<number | "WRONGTYPE"> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: change.nowMs }), (meta) => {
    if (meta === undefined) return 0;
    if (meta === "WRONGTYPE") return meta;
    // One field after the other: a field named twice is removed once.
    return then(sequence(change.fields, (field) => deleteField(tx, ks, key, { gen: meta.gen, field })), (outcomes) => {
      const removed = countTrue(outcomes);
      return then(removedMembers(tx, ks, key, { meta, removed }), (emptied) => {
        if (removed > 0) notifyRemoval(ks, key, { type: "h", event: "hdel", emptied });
        return removed;
      });
    });
  });
}

/** HDEL of one field: true when it existed. */
function deleteField(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly field: Uint8Array }): MaybePromise<boolean> {
  return then(readStored(tx, ks, key, at), (previous) => {
    if (previous === undefined) return false;
    clearValue(tx, ks, key, { ...at, previous });
    return true;
  });
}

/** HEXISTS. */
export function fieldExists(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<boolean | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...HASH, nowMs: at.nowMs }), (meta) => {
    if (meta === undefined || meta === "WRONGTYPE") return meta === "WRONGTYPE" ? meta : false;
    return then(readStored(tx, ks, key, { gen: meta.gen, field: at.field }), (stored) => stored !== undefined);
  });
}

/** HSTRLEN: the value's length, 0 when missing. */
export function fieldLength(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly field: Uint8Array; readonly nowMs: number }): MaybePromise<number | "WRONGTYPE"> {
  return then(getField(tx, ks, key, at), (value) => {
    if (value === "WRONGTYPE") return value;
    return value?.length ?? 0;
  });
}

/** HLEN: the counter, one point read. */
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
  return withValues(tx, ks, key, meta.gen, await readAllMembers(tx, ks, key, meta.gen));
}

/** HKEYS: the fields only (no chunk of a long value is read). */
export async function getFieldNames(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<Uint8Array[] | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...HASH, nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta ?? [];
  return (await readAllMembers(tx, ks, key, meta.gen)).map((entry) => entry.member);
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
    if (meta === undefined) return writeUpdate(tx, ks, key, { meta, previous: undefined, update });
    return then(tx.get(ks.fieldKey(key, gen, field)), (previous) => writeUpdate(tx, ks, key, { meta, previous, update }));
  });
}

/** updateField's write, once the field's stored value is known. */
function writeUpdate<T>(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  found: { readonly meta: Meta | undefined; readonly previous: Uint8Array | undefined; readonly update: FieldUpdate<T> },
): T | Status {
  const { meta, previous, update } = found;
  const gen = meta?.gen ?? 0;
  const outcome = update.next(previous);
  if (typeof outcome === "string") return outcome;
  if (meta === undefined) createCollection(tx, ks, key, KeyType.Hash);
  writeValue(tx, ks, key, { gen, field: update.field, value: outcome.value, previous });
  if (previous === undefined) addCardinality(tx, ks, key, { gen, delta: 1 });
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
  const chosen = pickRandom(await readAllMembers(tx, ks, key, meta.gen), pick.count);
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
  const kept = page.match ? entries.filter((entry) => page.match!(entry.member)) : entries;
  const last = entries[entries.length - 1];
  return {
    entries: await withValues(tx, ks, key, meta.gen, kept),
    resumeAfter: entries.length < page.limit || last === undefined ? undefined : last.member,
  };
}
