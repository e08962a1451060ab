// Strings over the engine. Up to INLINE_STRING_BYTES the value lives in the
// meta (GET is one point read); longer values are split in chunks of
// STRING_CHUNK_BYTES under the key's members, and STRLEN, GETRANGE, APPEND,
// SETRANGE and the bit commands (bitmaps.ts) touch only the chunks they need.
// Chunks are always contiguous: every chunk of a value exists, full except
// the last one.
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { concatBytes } from "../engine/bytes.ts";
import { readFloat64LE, writeFloat64LE } from "../engine/little_endian.ts";
import { lookup, lookupForWrite, putMeta, removeKey } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { INLINE_STRING_BYTES, MAX_NUMBER_TEXT_BYTES, MAX_STRING_BYTES, STRING_CHUNK_BYTES } from "./limits.ts";
import { FLAG_INLINE, KeyType, type Meta } from "./meta.ts";
import type { Status } from "./status.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "./integers.ts";
import { addLongDouble, formatLongDouble, type ParsedLongDouble, parseLongDouble } from "./long_double.ts";

const EMPTY = new Uint8Array(0);

export interface WriteOptions {
  /** Absolute expiry in ms; 0 for none. */
  readonly expireAt: number;
}

/** The value of a string key; undefined when missing; WRONGTYPE for other types. */
export function getString(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  nowMs: number,
): MaybePromise<Uint8Array | undefined | "WRONGTYPE"> {
  return then(lookup(tx, ks, key, nowMs), (meta) => {
    if (meta === undefined) return undefined;
    if (meta.type !== KeyType.String) return "WRONGTYPE";
    return readValue(tx, ks, key, meta);
  });
}

/** The whole value of a string whose meta is known. */
export function readValue(tx: ReadTxn, ks: Keyspace, key: Uint8Array, meta: Meta): Promise<Uint8Array> | Uint8Array {
  if (meta.flags & FLAG_INLINE) return meta.body;
  return readRange(tx, ks, key, meta, 0, chunkedLength(meta));
}

/** Byte length of a string whose meta is known. */
export function stringLength(meta: Meta): number {
  return meta.flags & FLAG_INLINE ? meta.body.length : chunkedLength(meta);
}

/**
 * Replaces whatever `key` holds (any type) by a string. `previous` is the
 * key's live meta from lookupForWrite.
 */
export function writeString(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  previous: Meta | undefined,
  value: Uint8Array,
  options: WriteOptions,
): void {
  // Members of the old value (chunks, or a collection's items) must go.
  if (previous !== undefined && !(previous.flags & FLAG_INLINE)) tx.clearRange(ks.membersOfKey(key));
  const gen = previous === undefined ? 0 : previous.gen + 1;
  if (value.length <= INLINE_STRING_BYTES) {
    putMeta(tx, ks, key, previous, { type: KeyType.String, flags: FLAG_INLINE, expireAt: options.expireAt, gen, body: value });
    return;
  }
  putMeta(tx, ks, key, previous, { type: KeyType.String, flags: 0, expireAt: options.expireAt, gen, body: encodeLength(value.length) });
  writeChunks(tx, ks, key, gen, value, 0);
}

/** SET's write path (MSET, SETEX...): lookupForWrite then writeString; a `set` event, then `expire` with a TTL. */
export function setString(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  value: Uint8Array,
  options: WriteOptions & { readonly nowMs: number },
): MaybePromise<void> {
  return then(lookupForWrite(tx, ks, key, options.nowMs), (previous) => {
    writeString(tx, ks, key, previous, value, options);
    notifySet(ks, key, options.expireAt);
  });
}

/** The events of a SET: `set`, then `expire` when it gave the key a TTL. */
export function notifySet(ks: Keyspace, key: Uint8Array, expireAt: number): void {
  ks.notify("$", "set", key);
  if (expireAt !== 0) ks.notify("g", "expire", key);
}

/** GETRANGE semantics (inclusive, negative indexes from the end), reading only the chunks needed. */
export async function getRange(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  bounds: { readonly start: number; readonly end: number; readonly nowMs: number },
): Promise<Uint8Array | "WRONGTYPE"> {
  const meta = await lookup(tx, ks, key, bounds.nowMs);
  if (meta === undefined) return EMPTY;
  if (meta.type !== KeyType.String) return "WRONGTYPE";
  const length = stringLength(meta);
  let { start, end } = bounds;
  // Redis: negative start and end count from the end; the range is clamped; empty when start > end.
  if (start < 0 && end < 0 && start > end) return EMPTY;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (length === 0 || start > end) return EMPTY;
  if (meta.flags & FLAG_INLINE) return meta.body.subarray(start, end + 1);
  return readRange(tx, ks, key, meta, start, end + 1);
}

/** APPEND: returns the new length. */
export function append(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  suffix: Uint8Array,
  nowMs: number,
): MaybePromise<number | "WRONGTYPE" | "TOO_LARGE"> {
  return then(lookupForWrite(tx, ks, key, nowMs), (meta) => appendTo(tx, ks, key, { meta, suffix }));
}

/** APPEND's write, once the key's live meta is known. */
function appendTo(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly meta: Meta | undefined; readonly suffix: Uint8Array },
): MaybePromise<number | "WRONGTYPE" | "TOO_LARGE"> {
  const { meta, suffix } = change;
  if (meta === undefined) {
    writeString(tx, ks, key, undefined, suffix, { expireAt: 0 });
    ks.notify("$", "append", key);
    return suffix.length;
  }
  if (meta.type !== KeyType.String) return "WRONGTYPE";
  const length = stringLength(meta);
  const total = length + suffix.length;
  if (total > MAX_STRING_BYTES) return "TOO_LARGE";
  // Redis reports an append even of nothing.
  ks.notify("$", "append", key);
  if (suffix.length === 0) return length;
  if (meta.flags & FLAG_INLINE) {
    const joined = concatBytes(meta.body, suffix);
    // The key keeps its TTL: rewrite the meta in place, same generation.
    if (total <= INLINE_STRING_BYTES) {
      putMeta(tx, ks, key, meta, { ...meta, body: joined });
    } else {
      putMeta(tx, ks, key, meta, { ...meta, flags: 0, body: encodeLength(total) });
      writeChunks(tx, ks, key, meta.gen, joined, 0);
    }
    return total;
  }
  // Chunked: complete the last partial chunk, then add new ones.
  const lastChunkStart = Math.floor(length / STRING_CHUNK_BYTES) * STRING_CHUNK_BYTES;
  const head = lastChunkStart < length ? readRange(tx, ks, key, meta, lastChunkStart, length) : EMPTY;
  return then(head, (bytes) => {
    const tail = concatBytes(bytes, suffix);
    writeChunks(tx, ks, key, meta.gen, tail, lastChunkStart / STRING_CHUNK_BYTES);
    putMeta(tx, ks, key, meta, { ...meta, body: encodeLength(total) });
    return total;
  });
}

/** STRLEN: 0 for a missing key. */
export function strlen(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<number | "WRONGTYPE"> {
  return then(lookup(tx, ks, key, nowMs), (meta) => {
    if (meta === undefined) return 0;
    if (meta.type !== KeyType.String) return "WRONGTYPE";
    return stringLength(meta);
  });
}

/** INCRBY and friends: adds `delta` to the integer in `key`, keeping its TTL. */
export function incrementBy(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly delta: bigint; readonly nowMs: number },
): MaybePromise<bigint | Status> {
  return then(lookupForWrite(tx, ks, key, change.nowMs), (meta) => {
    if (meta === undefined) return addToInteger(tx, ks, key, { meta, current: 0n, delta: change.delta });
    if (meta.type !== KeyType.String) return "WRONGTYPE";
    // No int64 takes more than 20 bytes: a long value is refused without reading its chunks.
    if (stringLength(meta) > 20) return "NOT_INTEGER";
    return then(readValue(tx, ks, key, meta), (value) => {
      const current = parseInt64(value);
      if (current === undefined) return "NOT_INTEGER";
      return addToInteger(tx, ks, key, { meta, current, delta: change.delta });
    });
  });
}

/** INCRBY's write, once the current value is known. */
function addToInteger(tx: Txn, ks: Keyspace, key: Uint8Array, sum: { readonly meta: Meta | undefined; readonly current: bigint; readonly delta: bigint }): bigint | Status {
  const { meta, current } = sum;
  const next = current + sum.delta;
  if (next > INT64_MAX || next < INT64_MIN) return "OVERFLOW";
  const body = ASCII.encode(next.toString());
  if (meta === undefined) writeString(tx, ks, key, undefined, body, { expireAt: 0 });
  else writeString(tx, ks, key, meta, body, { expireAt: meta.expireAt });
  // INCR, DECR and DECRBY too: Redis names them all after INCRBY.
  ks.notify("$", "incrby", key);
  return next;
}

const ASCII = new TextEncoder();

/** A missing key counts as 0 for INCRBYFLOAT. */
const ZERO_FLOAT = { negative: false, significand: 0n, exponent: 0 } as const;

/** INCRBYFLOAT: adds the float `increment` (raw argument bytes) to the float in `key`, keeping its TTL. */
export function incrementByFloat(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly increment: Uint8Array; readonly nowMs: number },
): MaybePromise<Uint8Array | Status> {
  // Redis's order: type, then the stored value, then the increment.
  return then(lookupForWrite(tx, ks, key, change.nowMs), (meta) => {
    if (meta === undefined) return addToFloat(tx, ks, key, { meta, stored: ZERO_FLOAT, increment: change.increment });
    if (meta.type !== KeyType.String) return "WRONGTYPE";
    // Redis refuses float strings of 5 KB or more: no need to read a chunked value.
    if (stringLength(meta) >= MAX_NUMBER_TEXT_BYTES) return "NOT_FLOAT";
    return then(readValue(tx, ks, key, meta), (value) => addToFloat(tx, ks, key, { meta, stored: parseLongDouble(value), increment: change.increment }));
  });
}

/** INCRBYFLOAT's write, once the stored value is known (undefined: not a float). */
function addToFloat(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  sum: { readonly meta: Meta | undefined; readonly stored: ParsedLongDouble | undefined; readonly increment: Uint8Array },
): Uint8Array | Status {
  const { meta, stored } = sum;
  if (stored === undefined) return "NOT_FLOAT";
  const increment = parseLongDouble(sum.increment);
  if (increment === undefined) return "NOT_FLOAT";
  if ("infinity" in stored || "infinity" in increment) return "NAN_OR_INFINITY";
  const total = addLongDouble(stored, increment);
  if (total === undefined) return "NAN_OR_INFINITY";
  const body = ASCII.encode(formatLongDouble(total));
  writeString(tx, ks, key, meta, body, { expireAt: meta?.expireAt ?? 0 });
  ks.notify("$", "incrbyfloat", key);
  return body;
}

/** SETNX: sets `key` only when it does not exist (whatever its type); true when it was set. */
export function setIfMissing(tx: Txn, ks: Keyspace, key: Uint8Array, value: Uint8Array, nowMs: number): MaybePromise<boolean> {
  return then(lookupForWrite(tx, ks, key, nowMs), (previous) => {
    if (previous !== undefined) return false;
    writeString(tx, ks, key, undefined, value, { expireAt: 0 });
    ks.notify("$", "set", key);
    return true;
  });
}

/** MSETNX: sets every pair only when none of the keys exists; true when they were set. */
export async function setAllIfNoneExists(
  tx: Txn,
  ks: Keyspace,
  pairs: readonly (readonly [Uint8Array, Uint8Array])[],
  nowMs: number,
): Promise<boolean> {
  for (const [key] of pairs) if ((await lookupForWrite(tx, ks, key, nowMs)) !== undefined) return false;
  // A key named twice takes its last value: each write sees the one before (read-your-writes).
  for (const [key, value] of pairs) await setString(tx, ks, key, value, { expireAt: 0, nowMs });
  return true;
}

/** A live string key read for a command that then changes it (GETSET, GETDEL, GETEX). */
export interface StringForUpdate {
  readonly meta: Meta;
  readonly value: Uint8Array;
}

/**
 * The string in `key` with its meta; undefined when missing (a `keymiss`:
 * Redis reads the key as GET does before changing it); WRONGTYPE for other types.
 */
export function getForUpdate(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<StringForUpdate | undefined | "WRONGTYPE"> {
  return then(lookupForWrite(tx, ks, key, nowMs), (meta) => {
    if (meta === undefined) {
      ks.notify("m", "keymiss", key);
      return undefined;
    }
    if (meta.type !== KeyType.String) return "WRONGTYPE";
    return then(readValue(tx, ks, key, meta), (value) => ({ meta, value }));
  });
}

/** GETSET: the old value (undefined when missing); the key then holds `value`, without a TTL. */
export function getAndSet(tx: Txn, ks: Keyspace, key: Uint8Array, value: Uint8Array, nowMs: number): MaybePromise<Uint8Array | undefined | "WRONGTYPE"> {
  return then(getForUpdate(tx, ks, key, nowMs), (current) => {
    if (current === "WRONGTYPE") return current;
    writeString(tx, ks, key, current?.meta, value, { expireAt: 0 });
    ks.notify("$", "set", key);
    return current?.value;
  });
}

/** GETDEL: the value (undefined when missing), and the key is deleted. */
export function getAndDelete(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<Uint8Array | undefined | "WRONGTYPE"> {
  return then(getForUpdate(tx, ks, key, nowMs), (current) => {
    if (current === undefined || current === "WRONGTYPE") return current;
    removeKey(tx, ks, key, current.meta);
    ks.notify("g", "del", key);
    return current.value;
  });
}

/**
 * Gives the live key whose meta is `meta` a new absolute expiry (0 removes
 * the TTL) without touching its value. An expiry at or before `nowMs`
 * deletes the key, as Redis does for GETEX EXAT/PXAT in the past. Events as
 * GETEX's: `expire`, `del` for a time past, `persist` when a TTL was removed.
 */
export function changeExpiry(tx: Txn, ks: Keyspace, key: Uint8Array, meta: Meta, change: { readonly expireAt: number; readonly nowMs: number }): void {
  if (change.expireAt !== 0 && change.expireAt <= change.nowMs) {
    removeKey(tx, ks, key, meta);
    ks.notify("g", "del", key);
    return;
  }
  if (change.expireAt !== meta.expireAt) putMeta(tx, ks, key, meta, { ...meta, expireAt: change.expireAt });
  if (change.expireAt !== 0) ks.notify("g", "expire", key);
  else if (meta.expireAt !== 0) ks.notify("g", "persist", key);
}

/** SETRANGE: writes `value` at `offset` (zero-padding a gap), creating the key; returns the new length. */
export async function setRange(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  write: { readonly offset: number; readonly value: Uint8Array; readonly nowMs: number },
): Promise<number | "WRONGTYPE" | "TOO_LARGE"> {
  const meta = await lookupForWrite(tx, ks, key, write.nowMs);
  if (meta !== undefined && meta.type !== KeyType.String) return "WRONGTYPE";
  // Writing nothing changes nothing, whatever the offset (Redis checks the size after this).
  if (write.value.length === 0) return meta === undefined ? 0 : stringLength(meta);
  if (write.offset + write.value.length > MAX_STRING_BYTES) return "TOO_LARGE";
  const length = await overwrite(tx, ks, key, meta, { offset: write.offset, bytes: write.value });
  ks.notify("$", "setrange", key);
  return length;
}

/**
 * Writes `bytes` at `offset` of the string whose live meta is `meta`
 * (undefined: a new key, zero bytes before `offset`), keeping the TTL and
 * growing the value as needed. Only the chunks that change are read and
 * written; a value that outgrows the meta becomes chunked. Returns the new
 * length. The caller has checked the type and the size limit.
 */
export async function overwrite(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  meta: Meta | undefined,
  write: { readonly offset: number; readonly bytes: Uint8Array },
): Promise<number> {
  const { offset, bytes } = write;
  const end = offset + bytes.length;
  if (meta === undefined) {
    const value = new Uint8Array(end);
    value.set(bytes, offset);
    writeString(tx, ks, key, undefined, value, { expireAt: 0 });
    return end;
  }
  const length = stringLength(meta);
  const total = Math.max(length, end);
  if (meta.flags & FLAG_INLINE) {
    const value = new Uint8Array(total);
    value.set(meta.body, 0);
    value.set(bytes, offset);
    if (total <= INLINE_STRING_BYTES) {
      putMeta(tx, ks, key, meta, { ...meta, body: value });
    } else {
      putMeta(tx, ks, key, meta, { ...meta, flags: 0, body: encodeLength(total) });
      writeChunks(tx, ks, key, meta.gen, value, 0);
    }
    return total;
  }
  // Chunked: rewrite the chunks from the one holding min(offset, length) (a
  // gap after the old end is zero-filled) to the one holding the last byte
  // written, keeping the old bytes around the write in the first and last.
  const first = Math.floor(Math.min(offset, length) / STRING_CHUNK_BYTES);
  const last = Math.floor((end - 1) / STRING_CHUNK_BYTES);
  const spanStart = first * STRING_CHUNK_BYTES;
  const spanEnd = Math.min(total, (last + 1) * STRING_CHUNK_BYTES);
  const span = new Uint8Array(spanEnd - spanStart);
  const headEnd = Math.min(offset, length);
  const tailEnd = Math.min(length, spanEnd);
  const [head, tail] = await Promise.all([
    headEnd > spanStart ? readRange(tx, ks, key, meta, spanStart, headEnd) : EMPTY,
    tailEnd > end ? readRange(tx, ks, key, meta, end, tailEnd) : EMPTY,
  ]);
  span.set(head, 0);
  span.set(tail, end - spanStart);
  span.set(bytes, offset - spanStart);
  writeChunks(tx, ks, key, meta.gen, span, first);
  if (total !== length) putMeta(tx, ks, key, meta, { ...meta, body: encodeLength(total) });
  return total;
}

/** The byte at `index` of the string whose live meta is `meta`; 0 past its end. One chunk read at most. */
export async function readByte(tx: ReadTxn, ks: Keyspace, key: Uint8Array, meta: Meta, index: number): Promise<number> {
  if (index >= stringLength(meta)) return 0;
  if (meta.flags & FLAG_INLINE) return meta.body[index]!;
  const chunk = await tx.get(chunkKey(ks, key, meta.gen, Math.floor(index / STRING_CHUNK_BYTES)));
  return chunk?.[index % STRING_CHUNK_BYTES] ?? 0;
}

/** Chunks read per round trip when a range is visited piece by piece. */
const CHUNKS_PER_READ = 16;

/**
 * Calls `visit` on consecutive pieces of bytes [from, to) of the string whose
 * live meta is `meta`, with each piece's offset in the value, reading a few
 * chunks at a time; stops early when `visit` returns false.
 */
export async function visitRange(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  meta: Meta,
  range: { readonly from: number; readonly to: number; readonly visit: (piece: Uint8Array, offset: number) => boolean },
): Promise<void> {
  const { from, visit } = range;
  const to = Math.min(range.to, stringLength(meta));
  if (to <= from) return;
  if (meta.flags & FLAG_INLINE) {
    visit(meta.body.subarray(from, to), from);
    return;
  }
  const lastIndex = Math.floor((to - 1) / STRING_CHUNK_BYTES);
  for (let index = Math.floor(from / STRING_CHUNK_BYTES); index <= lastIndex;) {
    const batchEnd = Math.min(lastIndex + 1, index + CHUNKS_PER_READ);
    const chunks = await tx.getRange({ start: chunkKey(ks, key, meta.gen, index), end: chunkKey(ks, key, meta.gen, batchEnd) });
    for (const { value } of chunks) {
      const chunkStart = index * STRING_CHUNK_BYTES;
      const sliceFrom = Math.max(from - chunkStart, 0);
      const sliceTo = Math.min(to - chunkStart, value.length);
      if (sliceTo > sliceFrom && !visit(value.subarray(sliceFrom, sliceTo), chunkStart + sliceFrom)) return;
      index++;
    }
    if (chunks.length === 0) return;
  }
}

function chunkedLength(meta: Meta): number {
  return readFloat64LE(meta.body, 0);
}

function encodeLength(length: number): Uint8Array {
  const body = new Uint8Array(8);
  writeFloat64LE(body, 0, length);
  return body;
}

function chunkKey(ks: Keyspace, key: Uint8Array, gen: number, index: number): Uint8Array {
  return ks.indexKey(key, gen, index);
}

/** Writes `bytes` as consecutive chunks starting at chunk `firstIndex`. */
function writeChunks(tx: Txn, ks: Keyspace, key: Uint8Array, gen: number, bytes: Uint8Array, firstIndex: number): void {
  for (let offset = 0, index = firstIndex; offset < bytes.length; offset += STRING_CHUNK_BYTES, index++) {
    tx.set(chunkKey(ks, key, gen, index), bytes.subarray(offset, offset + STRING_CHUNK_BYTES));
  }
}

/** Bytes [from, to) of a chunked string, reading only the chunks that cover them. */
export async function readRange(tx: ReadTxn, ks: Keyspace, key: Uint8Array, meta: Meta, from: number, to: number): Promise<Uint8Array> {
  if (to <= from) return EMPTY;
  const firstIndex = Math.floor(from / STRING_CHUNK_BYTES);
  const lastIndex = Math.floor((to - 1) / STRING_CHUNK_BYTES);
  const chunks = await tx.getRange({
    start: chunkKey(ks, key, meta.gen, firstIndex),
    end: chunkKey(ks, key, meta.gen, lastIndex + 1),
  });
  const out = new Uint8Array(to - from);
  let index = firstIndex;
  for (const { value } of chunks) {
    const chunkStart = index * STRING_CHUNK_BYTES;
    const sliceFrom = Math.max(from - chunkStart, 0);
    const sliceTo = Math.min(to - chunkStart, value.length);
    if (sliceTo > sliceFrom) out.set(value.subarray(sliceFrom, sliceTo), chunkStart + sliceFrom - from);
    index++;
  }
  return out;
}

