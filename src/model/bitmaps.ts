// Bitmaps: strings read and written bit by bit (GETBIT, SETBIT, BITCOUNT,
// BITPOS, BITOP). Bit 0 is the most significant bit of byte 0, as in Redis.
// On chunked values they touch only the chunks they need: GETBIT and SETBIT
// one, BITCOUNT and BITPOS the chunks of their range (BITPOS stops at the
// first match), BITOP reads its sources a window at a time.
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { lookup, lookupForWrite, removeKey } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { MAX_STRING_BYTES, STRING_CHUNK_BYTES } from "./limits.ts";
import { FLAG_INLINE, KeyType, type Meta } from "./meta.ts";
import { overwrite, readByte, readRange, stringLength, visitRange, writeString } from "./strings.ts";

/** How BITCOUNT and BITPOS ranges count: in bytes (default) or in bits (Redis 7.0+). */
export type RangeUnit = "BYTE" | "BIT";

export interface BitRange {
  readonly start: number;
  /** BITPOS may omit the end: the range then runs to the end of the value. */
  readonly end?: number;
  readonly unit: RangeUnit;
}

export type BitOperation = "AND" | "OR" | "XOR" | "NOT";

/** The live meta of a string key; undefined when missing; WRONGTYPE for other types. */
export async function lookupString(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<Meta | undefined | "WRONGTYPE"> {
  const meta = await lookup(tx, ks, key, nowMs);
  if (meta === undefined) return undefined;
  return meta.type === KeyType.String ? meta : "WRONGTYPE";
}

/** GETBIT: the bit at `offset`; 0 past the end or for a missing key. */
export async function getBit(tx: ReadTxn, ks: Keyspace, key: Uint8Array, read: { readonly offset: number; readonly nowMs: number }): Promise<0 | 1 | "WRONGTYPE"> {
  const meta = await lookupString(tx, ks, key, read.nowMs);
  if (meta === undefined || meta === "WRONGTYPE") return meta ?? 0;
  const byte = await readByte(tx, ks, key, meta, Math.floor(read.offset / 8));
  return ((byte >> (7 - (read.offset % 8))) & 1) as 0 | 1;
}

/** SETBIT: sets the bit at `offset` to `value`, growing the string with zeros; returns the old bit. */
export async function setBit(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  write: { readonly offset: number; readonly value: 0 | 1; readonly nowMs: number },
): Promise<0 | 1 | "WRONGTYPE" | "TOO_LARGE"> {
  const meta = await lookupForWrite(tx, ks, key, write.nowMs);
  if (meta !== undefined && meta.type !== KeyType.String) return "WRONGTYPE";
  const index = Math.floor(write.offset / 8);
  if (index + 1 > MAX_STRING_BYTES) return "TOO_LARGE";
  const old = meta === undefined ? 0 : await readByte(tx, ks, key, meta, index);
  const mask = 1 << (7 - (write.offset % 8));
  const next = write.value === 1 ? old | mask : old & ~mask;
  // Nothing changes when the bit already has the value inside the string; otherwise write (and grow).
  if (meta === undefined || next !== old || index >= stringLength(meta)) {
    await overwrite(tx, ks, key, meta, { offset: index, bytes: new Uint8Array([next]) });
    ks.notify("$", "setbit", key);
  }
  return (old & mask) === 0 ? 0 : 1;
}

/**
 * The inclusive bit interval of a BITCOUNT/BITPOS range over a value of
 * `length` bytes, with Redis's index rules (negative from the end, clamped);
 * undefined when it is empty.
 */
function bitInterval(length: number, range: BitRange | undefined): { first: number; last: number } | undefined {
  if (range === undefined) return length === 0 ? undefined : { first: 0, last: length * 8 - 1 };
  const bits = range.unit === "BIT";
  const total = bits ? length * 8 : length;
  let start = range.start;
  let end = range.end ?? total - 1;
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (start > end) return undefined;
  return bits ? { first: start, last: end } : { first: start * 8, last: end * 8 + 7 };
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** BITCOUNT over the string whose live meta is `meta`: set bits in `range` (the whole value when undefined). */
export async function countBits(tx: ReadTxn, ks: Keyspace, key: Uint8Array, scope: { readonly meta: Meta; readonly range?: BitRange }): Promise<number> {
  const { meta, range } = scope;
  // Redis: negative start and end with start > end count nothing, before any clamping.
  if (range !== undefined && range.end !== undefined && range.start < 0 && range.end < 0 && range.start > range.end) return 0;
  const interval = bitInterval(stringLength(meta), range);
  if (interval === undefined) return 0;
  const firstByte = Math.floor(interval.first / 8);
  const lastByte = Math.floor(interval.last / 8);
  // Bits of the edge bytes outside the interval: the high bits of the first, the low bits of the last.
  const firstOutside = ~((1 << (8 - (interval.first % 8))) - 1) & 0xff;
  const lastOutside = (1 << (7 - (interval.last % 8))) - 1;
  let count = 0;
  await visitRange(tx, ks, key, meta, {
    from: firstByte,
    to: lastByte + 1,
    visit(piece, offset) {
      for (let i = 0; i < piece.length; i++) count += POPCOUNT[piece[i]!]!;
      if (offset <= firstByte && firstByte < offset + piece.length) count -= POPCOUNT[piece[firstByte - offset]! & firstOutside]!;
      if (offset <= lastByte && lastByte < offset + piece.length) count -= POPCOUNT[piece[lastByte - offset]! & lastOutside]!;
      return true;
    },
  });
  return count;
}

/**
 * BITPOS over the string whose live meta is `meta`: the position of the
 * first bit equal to `bit` in `range`, or -1. Looking for a 0 without an
 * explicit end finds the first bit past the value when all are 1, since
 * Redis sees a string as padded with zeros on the right.
 */
export async function findBit(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  search: { readonly meta: Meta; readonly bit: 0 | 1; readonly range?: BitRange },
): Promise<number> {
  const { meta, bit, range } = search;
  const interval = bitInterval(stringLength(meta), range);
  if (interval === undefined) return -1;
  const firstByte = Math.floor(interval.first / 8);
  const lastByte = Math.floor(interval.last / 8);
  const firstInside = (1 << (8 - (interval.first % 8))) - 1;
  const lastInside = ~((1 << (7 - (interval.last % 8))) - 1) & 0xff;
  let found = -1;
  await visitRange(tx, ks, key, meta, {
    from: firstByte,
    to: lastByte + 1,
    visit(piece, offset) {
      for (let i = 0; i < piece.length; i++) {
        const index = offset + i;
        let inside = 0xff;
        if (index === firstByte) inside &= firstInside;
        if (index === lastByte) inside &= lastInside;
        // Bits outside the interval never match: 0 when looking for 1, 1 when looking for 0.
        const byte = bit === 1 ? piece[i]! & inside : (~piece[i]! & 0xff) & inside;
        if (byte !== 0) {
          found = index * 8 + Math.clz32(byte) - 24;
          return false;
        }
      }
      return true;
    },
  });
  if (found >= 0 || bit === 1) return found;
  return range?.end !== undefined ? -1 : interval.last + 1;
}

/** BITOP: combines the sources into `dest` and returns its length; an empty result deletes `dest`. */
export async function bitOp(
  tx: Txn,
  ks: Keyspace,
  operation: { readonly op: BitOperation; readonly dest: Uint8Array; readonly sources: readonly Uint8Array[]; readonly nowMs: number },
): Promise<number | "WRONGTYPE"> {
  const { op, dest, sources, nowMs } = operation;
  const metas: (Meta | undefined)[] = [];
  for (const source of sources) {
    const meta = await lookupString(tx, ks, source, nowMs);
    if (meta === "WRONGTYPE") return meta;
    metas.push(meta);
  }
  const lengths = metas.map((meta) => (meta === undefined ? 0 : stringLength(meta)));
  const length = Math.max(0, ...lengths);
  const previous = await lookupForWrite(tx, ks, dest, nowMs);
  if (length === 0) {
    if (previous !== undefined) {
      removeKey(tx, ks, dest, previous);
      ks.notify("g", "del", dest);
    }
    return 0;
  }
  // Sources are read a window of chunks at a time (memory stays near the
  // result's size); the result is written once all reads are done, since
  // `dest` may be one of the sources.
  const result = new Uint8Array(length);
  if (op === "AND") result.fill(0xff);
  const window = STRING_CHUNK_BYTES * 16;
  for (let from = 0; from < length; from += window) {
    const to = Math.min(length, from + window);
    const pieces = await Promise.all(metas.map((meta, i) => {
      const end = Math.min(to, lengths[i]!);
      if (meta === undefined || end <= from) return EMPTY;
      return meta.flags & FLAG_INLINE ? meta.body.subarray(from, end) : readRange(tx, ks, sources[i]!, meta, from, end);
    }));
    for (const piece of pieces) combine(op, result, piece, { from, to });
  }
  writeString(tx, ks, dest, previous, result, { expireAt: 0 });
  ks.notify("$", "set", dest);
  return length;
}

const EMPTY = new Uint8Array(0);

/** Folds one source's bytes [from, from + piece.length) into result[from, to); bytes past the piece count as zeros. */
function combine(op: BitOperation, result: Uint8Array, piece: Uint8Array, window: { from: number; to: number }): void {
  const { from, to } = window;
  switch (op) {
    case "AND":
      for (let i = from; i < to; i++) result[i] = result[i]! & (piece[i - from] ?? 0);
      break;
    case "OR":
      for (let i = 0; i < piece.length; i++) result[from + i] = result[from + i]! | piece[i]!;
      break;
    case "XOR":
      for (let i = 0; i < piece.length; i++) result[from + i] = result[from + i]! ^ piece[i]!;
      break;
    case "NOT":
      for (let i = from; i < to; i++) result[i] = ~(piece[i - from] ?? 0) & 0xff;
      break;
  }
}
