// BITFIELD and BITFIELD_RO over strings: integer fields of 1 to 64 bits at
// any bit offset, read and written most significant bit first (the bit order
// of SETBIT). A call reads only the bytes its fields cover (at most 9 per
// field) and, on a chunked value, writes back only the chunks whose bytes
// changed; the string grows with zero bytes to hold the farthest field
// written, as Redis's lookupStringForBitCommand does, even when every write
// fails under OVERFLOW FAIL.
//
// Field values and increments are int64 arguments, so the arithmetic is in
// bigint; offsets and bytes are plain numbers.
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { lookup, lookupForWrite } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { FLAG_INLINE, KeyType, type Meta } from "./meta.ts";
import { overwrite, readRange, stringLength } from "./strings.ts";

/** A field's type: `i1`..`i64` (signed) or `u1`..`u63` (unsigned). */
export interface FieldType {
  readonly signed: boolean;
  readonly bits: number;
}

/** What SET and INCRBY do when the result does not fit the field (OVERFLOW). */
export type Overflow = "WRAP" | "SAT" | "FAIL";

export type FieldOperation =
  | { readonly kind: "GET"; readonly type: FieldType; readonly offset: number }
  | { readonly kind: "SET" | "INCRBY"; readonly type: FieldType; readonly offset: number; readonly value: bigint; readonly overflow: Overflow };

/** One reply per operation: the field's value, or null for a write refused by OVERFLOW FAIL. */
export type FieldResult = bigint | null;

/** The bytes a call has read, by index in the value (0 past its end), and the ones it changed. */
class ByteWindow {
  readonly original = new Map<number, number>();
  readonly current = new Map<number, number>();

  load(index: number, value: number): void {
    this.original.set(index, value);
    this.current.set(index, value);
  }

  /** The unsigned value of `bits` bits from bit `offset`. */
  read(offset: number, bits: number): bigint {
    let value = 0n;
    for (let i = 0; i < bits; i++) {
      const bit = offset + i;
      const byte = this.current.get(bit >> 3) ?? 0;
      value = (value << 1n) | BigInt((byte >> (7 - (bit & 7))) & 1);
    }
    return value;
  }

  /** Writes the low `bits` bits of `value` (two's complement for negatives) from bit `offset`. */
  write(offset: number, bits: number, value: bigint): void {
    const field = BigInt.asUintN(bits, value);
    for (let i = 0; i < bits; i++) {
      const bit = offset + i;
      const mask = 1 << (7 - (bit & 7));
      const set = ((field >> BigInt(bits - 1 - i)) & 1n) === 1n;
      const byte = this.current.get(bit >> 3) ?? 0;
      this.current.set(bit >> 3, set ? byte | mask : byte & ~mask);
    }
  }

  /** Runs of consecutive changed bytes, as [first index, bytes]. */
  changedRuns(): [number, Uint8Array][] {
    const changed = [...this.current.keys()].filter((i) => this.current.get(i) !== this.original.get(i)).sort((a, b) => a - b);
    const runs: [number, Uint8Array][] = [];
    for (let at = 0; at < changed.length;) {
      let end = at;
      while (end + 1 < changed.length && changed[end + 1] === changed[end]! + 1) end++;
      const bytes = Uint8Array.from(changed.slice(at, end + 1), (i) => this.current.get(i)!);
      runs.push([changed[at]!, bytes]);
      at = end + 1;
    }
    return runs;
  }
}

/** The first and last byte a field covers. */
function byteSpan(operation: FieldOperation): { first: number; last: number } {
  return { first: operation.offset >> 3, last: (operation.offset + operation.type.bits - 1) >> 3 };
}

/** Loads into `window` the bytes every operation covers, reading each run of them once. */
async function loadBytes(tx: ReadTxn, ks: Keyspace, key: Uint8Array, scope: { readonly meta: Meta | undefined; readonly operations: readonly FieldOperation[]; readonly window: ByteWindow }): Promise<void> {
  const { meta, operations, window } = scope;
  const spans = operations.map(byteSpan).sort((a, b) => a.first - b.first);
  const length = meta === undefined ? 0 : stringLength(meta);
  for (let at = 0; at < spans.length;) {
    const first = spans[at]!.first;
    let last = spans[at]!.last;
    while (at + 1 < spans.length && spans[at + 1]!.first <= last + 1) last = Math.max(last, spans[++at]!.last);
    at++;
    const end = Math.min(last + 1, length);
    let bytes: Uint8Array = new Uint8Array(0);
    if (meta !== undefined && end > first) bytes = meta.flags & FLAG_INLINE ? meta.body.subarray(first, end) : await readRange(tx, ks, key, meta, first, end);
    for (let i = first; i <= last; i++) window.load(i, bytes[i - first] ?? 0);
  }
}

/**
 * The field's result after adding `increment` to `value` (SET: the new value
 * and no increment), with Redis's overflow rules: WRAP keeps the low bits
 * (sign-extended for a signed field), SAT clamps to the type's range, FAIL
 * answers undefined.
 */
export function fitField(type: FieldType, change: { readonly value: bigint; readonly increment: bigint }, overflow: Overflow): bigint | undefined {
  const { value, increment } = change;
  const direction = type.signed ? signedOverflow(type.bits, value, increment) : unsignedOverflow(type.bits, value, increment);
  if (direction === 0) return value + increment;
  if (overflow === "FAIL") return undefined;
  if (overflow === "SAT") return direction > 0 ? maxOf(type) : minOf(type);
  return type.signed ? BigInt.asIntN(type.bits, value + increment) : BigInt.asUintN(type.bits, value + increment);
}

function maxOf(type: FieldType): bigint {
  return type.signed ? (1n << BigInt(type.bits - 1)) - 1n : (1n << BigInt(type.bits)) - 1n;
}

function minOf(type: FieldType): bigint {
  return type.signed ? -maxOf(type) - 1n : 0n;
}

/**
 * Redis's checkSignedBitfieldOverflow, with its int64 arithmetic: 1 above
 * the range, -1 below, 0 inside. Kept quirk: `max - value` wraps for a SET of
 * a value far below the range (as INT64_MIN into an i8), which Redis then
 * counts as an overflow upwards (SAT stores the maximum).
 */
function signedOverflow(bits: number, value: bigint, increment: bigint): -1 | 0 | 1 {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncrement = BigInt.asIntN(64, max - value);
  const minIncrement = BigInt.asIntN(64, min - value);
  if (value > max || (bits !== 64 && increment > maxIncrement) || (value >= 0n && increment > 0n && increment > maxIncrement)) return 1;
  if (value < min || (bits !== 64 && increment < minIncrement) || (value < 0n && increment < 0n && increment < minIncrement)) return -1;
  return 0;
}

/** Redis's checkUnsignedBitfieldOverflow: `value` is a uint64 (a SET of a negative int64 is a huge one). */
function unsignedOverflow(bits: number, value: bigint, increment: bigint): -1 | 0 | 1 {
  const max = (1n << BigInt(bits)) - 1n;
  if (value > max || (increment > 0n && increment > BigInt.asIntN(64, max - value))) return 1;
  if (increment < 0n && increment < BigInt.asIntN(64, -value)) return -1;
  return 0;
}

/** The field's value as its type reads it. */
function decode(type: FieldType, raw: bigint): bigint {
  return type.signed ? BigInt.asIntN(type.bits, raw) : raw;
}

/**
 * Runs one operation over the window: its reply, and whether it wrote
 * (a FAIL overflow writes nothing).
 */
function apply(window: ByteWindow, operation: FieldOperation): { result: FieldResult; wrote: boolean; changed: boolean } {
  const { type, offset } = operation;
  const old = decode(type, window.read(offset, type.bits));
  if (operation.kind === "GET") return { result: old, wrote: false, changed: false };
  // A SET value is an int64 that an unsigned field first sees as Redis's uint64 cast.
  const change = operation.kind === "INCRBY" ? { value: old, increment: operation.value }
    : { value: type.signed ? operation.value : BigInt.asUintN(64, operation.value), increment: 0n };
  const next = fitField(type, change, operation.overflow);
  if (next === undefined) return { result: null, wrote: false, changed: false };
  window.write(offset, type.bits, next);
  return { result: operation.kind === "INCRBY" ? next : old, wrote: true, changed: next !== old };
}

/** BITFIELD_RO, or a BITFIELD of GETs only: reads the fields; a missing key is all zeros. */
export async function readFields(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  read: { readonly operations: readonly FieldOperation[]; readonly nowMs: number },
): Promise<FieldResult[] | "WRONGTYPE"> {
  const meta = await lookup(tx, ks, key, read.nowMs);
  if (meta !== undefined && meta.type !== KeyType.String) return "WRONGTYPE";
  const window = new ByteWindow();
  await loadBytes(tx, ks, key, { meta, operations: read.operations, window });
  return read.operations.map((operation) => apply(window, operation).result);
}

/**
 * BITFIELD with at least one SET or INCRBY: runs the operations in order
 * over the string (created or grown with zeros to hold the farthest field
 * written), then writes back the bytes that changed. A `setbit` event when
 * a write took effect, as Redis counts them.
 */
export async function writeFields(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  write: { readonly operations: readonly FieldOperation[]; readonly nowMs: number },
): Promise<FieldResult[] | "WRONGTYPE"> {
  const { operations, nowMs } = write;
  const meta = await lookupForWrite(tx, ks, key, nowMs);
  if (meta !== undefined && meta.type !== KeyType.String) return "WRONGTYPE";
  const window = new ByteWindow();
  await loadBytes(tx, ks, key, { meta, operations, window });
  let lastWritten = -1;
  for (const operation of operations) if (operation.kind !== "GET") lastWritten = Math.max(lastWritten, byteSpan(operation).last);
  const oldLength = meta === undefined ? 0 : stringLength(meta);
  const grows = meta === undefined || lastWritten + 1 > oldLength;
  let changes = 0;
  const results = operations.map((operation) => {
    const outcome = apply(window, operation);
    if (outcome.wrote && (grows || outcome.changed)) changes++;
    return outcome.result;
  });
  await storeWindow(tx, ks, key, { meta, window, length: Math.max(oldLength, lastWritten + 1), nowMs });
  if (changes > 0) ks.notify("$", "setbit", key);
  return results;
}

/**
 * Grows the string to `length` if it is shorter (or creates it), then writes
 * each run of changed bytes, the farthest first: only the growth, and the
 * chunks holding changed bytes, are written.
 */
async function storeWindow(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  store: { readonly meta: Meta | undefined; readonly window: ByteWindow; readonly length: number; readonly nowMs: number },
): Promise<void> {
  const { window, length } = store;
  let meta = store.meta;
  const runs = window.changedRuns();
  const oldLength = meta === undefined ? 0 : stringLength(meta);
  if (meta === undefined || length > oldLength) {
    // The last byte of the new length: a changed run that ends there writes it, or a zero (padding).
    const last = runs.at(-1);
    const reachesEnd = last !== undefined && last[0] + last[1].length === length;
    if (!reachesEnd) await overwrite(tx, ks, key, meta, { offset: length - 1, bytes: new Uint8Array([window.current.get(length - 1) ?? 0]) });
    else {
      await overwrite(tx, ks, key, meta, { offset: last[0], bytes: last[1] });
      runs.pop();
    }
  }
  for (let i = runs.length - 1; i >= 0; i--) {
    // Each write may change the meta (its length, inline or chunked): read it again first.
    meta = await lookupForWrite(tx, ks, key, store.nowMs);
    const [offset, bytes] = runs[i]!;
    await overwrite(tx, ks, key, meta, { offset, bytes });
  }
}
