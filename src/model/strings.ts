// Strings over the engine. Up to INLINE_STRING_BYTES the value lives in the
// meta (GET is one point read); longer values are split in chunks of
// STRING_CHUNK_BYTES under the key's members, and STRLEN, GETRANGE and APPEND
// touch only the chunks they need.
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { concatBytes } from "../engine/bytes.ts";
import { lookup, lookupForWrite, putMeta } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { INLINE_STRING_BYTES, MAX_STRING_BYTES, STRING_CHUNK_BYTES } from "./limits.ts";
import { FLAG_INLINE, KeyType, type Meta } from "./meta.ts";
import type { Status } from "./status.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "./integers.ts";

const EMPTY = new Uint8Array(0);

export interface WriteOptions {
  /** Absolute expiry in ms; 0 for none. */
  readonly expireAt: number;
}

/** The value of a string key; undefined when missing; WRONGTYPE for other types. */
export async function getString(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  nowMs: number,
): Promise<Uint8Array | undefined | "WRONGTYPE"> {
  const meta = await lookup(tx, ks, key, nowMs);
  if (meta === undefined) return undefined;
  if (meta.type !== KeyType.String) return "WRONGTYPE";
  return readValue(tx, ks, key, meta);
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

/** SET's write path: lookupForWrite then writeString. Returns the previous meta. */
export async function setString(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  value: Uint8Array,
  options: WriteOptions & { readonly nowMs: number },
): Promise<void> {
  const previous = await lookupForWrite(tx, ks, key, options.nowMs);
  writeString(tx, ks, key, previous, value, options);
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
export async function append(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  suffix: Uint8Array,
  nowMs: number,
): Promise<number | "WRONGTYPE" | "TOO_LARGE"> {
  const meta = await lookupForWrite(tx, ks, key, nowMs);
  if (meta === undefined) {
    writeString(tx, ks, key, undefined, suffix, { expireAt: 0 });
    return suffix.length;
  }
  if (meta.type !== KeyType.String) return "WRONGTYPE";
  const length = stringLength(meta);
  const total = length + suffix.length;
  if (total > MAX_STRING_BYTES) return "TOO_LARGE";
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
  const head = lastChunkStart < length ? await readRange(tx, ks, key, meta, lastChunkStart, length) : EMPTY;
  const tail = concatBytes(head, suffix);
  writeChunks(tx, ks, key, meta.gen, tail, lastChunkStart / STRING_CHUNK_BYTES);
  putMeta(tx, ks, key, meta, { ...meta, body: encodeLength(total) });
  return total;
}

/** STRLEN: 0 for a missing key. */
export async function strlen(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<number | "WRONGTYPE"> {
  const meta = await lookup(tx, ks, key, nowMs);
  if (meta === undefined) return 0;
  if (meta.type !== KeyType.String) return "WRONGTYPE";
  return stringLength(meta);
}

/** INCRBY and friends: adds `delta` to the integer in `key`, keeping its TTL. */
export async function incrementBy(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly delta: bigint; readonly nowMs: number },
): Promise<bigint | Status> {
  const meta = await lookupForWrite(tx, ks, key, change.nowMs);
  let current = 0n;
  if (meta !== undefined) {
    if (meta.type !== KeyType.String) return "WRONGTYPE";
    const parsed = parseInt64(await readValue(tx, ks, key, meta));
    if (parsed === undefined) return "NOT_INTEGER";
    current = parsed;
  }
  const next = current + change.delta;
  if (next > INT64_MAX || next < INT64_MIN) return "OVERFLOW";
  const body = ASCII.encode(next.toString());
  if (meta === undefined) writeString(tx, ks, key, undefined, body, { expireAt: 0 });
  else writeString(tx, ks, key, meta, body, { expireAt: meta.expireAt });
  return next;
}

const ASCII = new TextEncoder();

function chunkedLength(meta: Meta): number {
  return new DataView(meta.body.buffer, meta.body.byteOffset, 8).getFloat64(0, true);
}

function encodeLength(length: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setFloat64(0, length, true);
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
async function readRange(tx: ReadTxn, ks: Keyspace, key: Uint8Array, meta: Meta, from: number, to: number): Promise<Uint8Array> {
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

