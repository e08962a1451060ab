// The subset of FoundationDB's tuple layer (apple/foundationdb design/tuple.md)
// that Materia's keys use: null, byte strings, unicode strings and integers
// that fit in 8 bytes. The encoding sorts like the values it encodes, and the
// children of `P, "a"` (childRange) never include keys under `P, "ab"` or
// `P, "a\x00"`. Careful: the bytes of element "a" (01 61 00) are a prefix of
// those of "a\x00" (01 61 00 FF 00), so prefixRange over a packed string
// element over-reaches; see childRange.
// Encodings are byte-identical to the other bindings' (and to npm fdb-tuple),
// so data written here stays readable by them on FoundationDB.
//
// Every command packs keys, so packing measures first and then fills one
// Uint8Array: no intermediate arrays or per-element buffers.
import type { KeyRange } from "./contract.ts";

export type TupleItem = null | Uint8Array | string | number | bigint;

const NULL_CODE = 0x00;
const BYTES_CODE = 0x01;
const STRING_CODE = 0x02;
/** Integers are 0x14 ± their byte length: 0x0c (8 bytes, negative) .. 0x1c (8 bytes, positive). */
const INT_ZERO_CODE = 0x14;
const MAX_INT_BYTES = 8;
/** A 0x00 inside a string element is written 0x00 0xFF, so 0x00 alone ends the element. */
const ESCAPE = 0xff;

const TWO_32 = 0x1_0000_0000;
/** Magnitudes up to 2^64 - 1 fit the fixed-width codes; larger would need 0x0b / 0x1d, which we do not use. */
const MAX_MAGNITUDE = 0xffff_ffff_ffff_ffffn;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const utf8Decoder = new TextDecoder();

/** Encodes `items` as one tuple. */
export function packTuple(items: ReadonlyArray<TupleItem>): Uint8Array {
  let length = 0;
  for (let i = 0; i < items.length; i++) length += encodedLength(items[i] as TupleItem);
  const out = new Uint8Array(length);
  let pos = 0;
  for (let i = 0; i < items.length; i++) pos = writeItem(out, pos, items[i] as TupleItem);
  return out;
}

/**
 * `prefix` followed by `value` as one byte-string element, in one allocation:
 * the hot path for "<keyspace prefix> <user key>".
 */
export function appendBytesElement(prefix: Uint8Array, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + 2 + value.length + countZeros(value));
  if (prefix.length >= SMALL_COPY) out.set(prefix, 0);
  else for (let i = 0; i < prefix.length; i++) out[i] = prefix[i]!;
  writeBytes(out, prefix.length, BYTES_CODE, value);
  return out;
}

/** Decodes a whole tuple. Integers come back as numbers when safe, else as bigints. */
export function unpackTuple(bytes: Uint8Array): TupleItem[] {
  const items: TupleItem[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const code = bytes[pos]!;
    if (code === NULL_CODE) {
      items.push(null);
      pos++;
    } else if (code === BYTES_CODE || code === STRING_CODE) {
      const end = findTerminator(bytes, pos + 1);
      items.push(code === BYTES_CODE ? unescape(bytes, pos + 1, end) : readString(bytes, pos + 1, end));
      pos = end + 1;
    } else if (code >= INT_ZERO_CODE - MAX_INT_BYTES && code <= INT_ZERO_CODE + MAX_INT_BYTES) {
      const negative = code < INT_ZERO_CODE;
      const byteLength = negative ? INT_ZERO_CODE - code : code - INT_ZERO_CODE;
      if (pos + 1 + byteLength > bytes.length) {
        throw new RangeError(`invalid tuple: integer at offset ${pos} needs ${byteLength} bytes`);
      }
      items.push(readInteger(bytes, pos + 1, byteLength, negative));
      pos += 1 + byteLength;
    } else {
      throw new TypeError(`unsupported tuple type code 0x${code.toString(16).padStart(2, "0")} at offset ${pos}`);
    }
  }
  return items;
}

/**
 * FoundationDB's strinc: the first key that does not start with `prefix`.
 * Trailing 0xFF bytes cannot be incremented, so they are dropped first.
 */
export function strinc(prefix: Uint8Array): Uint8Array {
  let last = prefix.length - 1;
  while (last >= 0 && prefix[last] === 0xff) last--;
  if (last < 0) throw new RangeError("strinc: the key is empty or all 0xFF bytes, so no key follows its range");
  const out = copyOf(prefix, 0, last + 1);
  out[last] = prefix[last]! + 1;
  return out;
}

/**
 * Every key that starts with the bytes `prefix`, as a half-open range. Right
 * for a raw byte prefix (an unterminated string element: "user keys starting
 * with ab"). Not for a packed tuple that ends in a string element: a string's
 * 0x00 terminator is also the first byte of an escaped 0x00, so the range of
 * `P, "a"` also holds `P, "a\x00..."`. Use childRange for those.
 */
export function prefixRange(prefix: Uint8Array): KeyRange {
  return { start: prefix, end: strinc(prefix) };
}

/**
 * Every key that extends the packed tuple `packed` by one or more elements
 * (FoundationDB's Subspace.range()): [packed 0x00, packed 0xFF). Every element
 * starts with a type code below 0xFF, while a longer string element continues
 * with 0xFF, so `P, "a"`'s children never include `P, "a\x00"`'s.
 */
export function childRange(packed: Uint8Array): KeyRange {
  const start = new Uint8Array(packed.length + 1);
  start.set(packed, 0);
  const end = start.slice();
  end[packed.length] = 0xff;
  return { start, end };
}

function encodedLength(item: TupleItem): number {
  if (item === null) return 1;
  if (item instanceof Uint8Array) return 2 + item.length + countZeros(item);
  switch (typeof item) {
    case "string":
      return 2 + escapedUtf8Length(item);
    case "number":
      return 1 + magnitudeLength(numberMagnitudeHigh(item), Math.abs(item) % TWO_32);
    case "bigint": {
      if (isSafeBigInt(item)) return encodedLength(Number(item));
      const magnitude = bigintMagnitude(item);
      return 1 + magnitudeLength(Number(magnitude >> 32n), Number(magnitude & 0xffff_ffffn));
    }
    default:
      return unsupported(item);
  }
}

function writeItem(out: Uint8Array, pos: number, item: TupleItem): number {
  if (item === null) {
    out[pos] = NULL_CODE;
    return pos + 1;
  }
  if (item instanceof Uint8Array) return writeBytes(out, pos, BYTES_CODE, item);
  switch (typeof item) {
    case "string":
      return writeString(out, pos, item);
    case "number": {
      const high = numberMagnitudeHigh(item);
      return writeInteger(out, pos, high, Math.abs(item) % TWO_32, item < 0);
    }
    case "bigint": {
      if (isSafeBigInt(item)) return writeItem(out, pos, Number(item));
      const magnitude = bigintMagnitude(item);
      return writeInteger(out, pos, Number(magnitude >> 32n), Number(magnitude & 0xffff_ffffn), item < 0n);
    }
    default:
      return unsupported(item);
  }
}

function unsupported(item: never): never {
  throw new TypeError(`cannot pack a ${typeof item} into a tuple: use null, Uint8Array, string, integer or bigint`);
}

function countZeros(bytes: Uint8Array): number {
  let zeros = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) zeros++;
  return zeros;
}

/** Below this many bytes a plain loop copies faster than TypedArray#set's fixed cost. */
const SMALL_COPY = 64;

function writeBytes(out: Uint8Array, pos: number, code: number, value: Uint8Array): number {
  out[pos++] = code;
  if (value.length >= SMALL_COPY && value.indexOf(0) === -1) {
    out.set(value, pos);
    pos += value.length;
  } else {
    for (let i = 0; i < value.length; i++) {
      const byte = value[i]!;
      out[pos++] = byte;
      if (byte === 0) out[pos++] = ESCAPE;
    }
  }
  out[pos] = 0;
  return pos + 1;
}

/** True when the code unit at `i` starts a well-formed surrogate pair. */
function isPairAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) return false;
  const next = s.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

// Lone surrogates become U+FFFD (3 bytes), as TextEncoder and Buffer do, so the
// length here and the bytes written below always agree with other encoders.
function escapedUtf8Length(s: string): number {
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) length += 2;
    else if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (isPairAt(s, i)) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

function writeString(out: Uint8Array, pos: number, s: string): number {
  out[pos++] = STRING_CODE;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[pos++] = c;
      if (c === 0) out[pos++] = ESCAPE;
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >> 6);
      out[pos++] = 0x80 | (c & 0x3f);
    } else if (isPairAt(s, i)) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out[pos++] = 0xf0 | (c >> 18);
      out[pos++] = 0x80 | ((c >> 12) & 0x3f);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      out[pos++] = 0xe0 | (c >> 12);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    }
  }
  out[pos] = 0;
  return pos + 1;
}

/** The high 32 bits of |n|, after checking that n is an integer we can encode exactly. */
function numberMagnitudeHigh(n: number): number {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`cannot pack ${n} into a tuple: numbers must be safe integers (use a bigint beyond 2^53)`);
  }
  return Math.floor(Math.abs(n) / TWO_32);
}

function isSafeBigInt(n: bigint): boolean {
  return n >= -MAX_SAFE && n <= MAX_SAFE;
}

function bigintMagnitude(n: bigint): bigint {
  const magnitude = n < 0n ? -n : n;
  if (magnitude > MAX_MAGNITUDE) {
    throw new RangeError(`cannot pack ${n} into a tuple: integers must be within ±(2^64 - 1)`);
  }
  return magnitude;
}

/** Bytes needed for a magnitude split into 32-bit halves (0 for zero). */
function magnitudeLength(high: number, low: number): number {
  const top = high !== 0 ? high : low;
  const topBytes = top === 0 ? 0 : top < 0x100 ? 1 : top < 0x1_0000 ? 2 : top < 0x100_0000 ? 3 : 4;
  return high !== 0 ? 4 + topBytes : topBytes;
}

// Big-endian magnitude; a negative number stores the one's complement of its
// magnitude so that, within one length, larger magnitudes sort first.
function writeInteger(out: Uint8Array, pos: number, high: number, low: number, negative: boolean): number {
  const length = magnitudeLength(high, low);
  out[pos++] = negative ? INT_ZERO_CODE - length : INT_ZERO_CODE + length;
  const flip = negative ? 0xff : 0;
  for (let k = length - 1; k >= 0; k--) {
    const byte = k >= 4 ? high >>> ((k - 4) * 8) : low >>> (k * 8);
    out[pos++] = (byte & 0xff) ^ flip;
  }
  return pos;
}

function readInteger(bytes: Uint8Array, start: number, length: number, negative: boolean): number | bigint {
  const flip = negative ? 0xff : 0;
  let high = 0;
  let low = 0;
  for (let i = 0; i < length; i++) {
    const byte = bytes[start + i]! ^ flip;
    // Bytes above the low four go to `high`; `low` stays an unsigned 32-bit value.
    if (length - i > 4) high = high * 0x100 + byte;
    else low = low * 0x100 + byte;
  }
  // 2^53 = 2^21 * 2^32: below that the magnitude is exact as a number.
  if (high < 0x20_0000) {
    const magnitude = high * TWO_32 + low;
    return negative && magnitude !== 0 ? -magnitude : magnitude;
  }
  const magnitude = (BigInt(high) << 32n) | BigInt(low);
  return negative ? -magnitude : magnitude;
}

/** Short ASCII strings (tags like "m", tenant names) skip TextDecoder's fixed cost. */
const SHORT_STRING = 32;

function readString(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_STRING) {
    let s = "";
    for (let i = start; i < end; i++) {
      const byte = bytes[i]!;
      if (byte >= 0x80) return utf8Decoder.decode(unescape(bytes, start, end));
      s += String.fromCharCode(byte);
      if (byte === 0) i++; // the 0xFF of an escaped zero
    }
    return s;
  }
  return utf8Decoder.decode(unescape(bytes, start, end));
}

/** Index of the 0x00 that ends the string element whose content starts at `start`. */
function findTerminator(bytes: Uint8Array, start: number): number {
  for (let i = bytes.indexOf(0, start); i !== -1; i = bytes.indexOf(0, i + 2)) {
    if (bytes[i + 1] !== ESCAPE) return i;
  }
  throw new RangeError(`invalid tuple: string element at offset ${start - 1} has no terminator`);
}

/**
 * A plain Uint8Array copy. Not `bytes.slice`: on a Node/Bun Buffer that returns
 * a view sharing memory, and callers may hand us Buffers.
 */
function copyOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  if (out.length >= SMALL_COPY) out.set(bytes.subarray(start, end), 0);
  else for (let i = 0; i < out.length; i++) out[i] = bytes[start + i]!;
  return out;
}

/** A copy of bytes[start, end) with each 0x00 0xFF turned back into 0x00. */
function unescape(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const first = bytes.indexOf(0, start);
  if (first === -1 || first >= end) return copyOf(bytes, start, end);
  let zeros = 0;
  for (let i = first; i !== -1 && i < end; i = bytes.indexOf(0, i + 2)) zeros++;
  const out = new Uint8Array(end - start - zeros);
  let pos = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    out[pos++] = byte;
    if (byte === 0) i++;
  }
  return out;
}
