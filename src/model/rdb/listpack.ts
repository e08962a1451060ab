// Listpacks, the container Redis 7 serialises small hashes, sorted sets,
// list nodes and stream nodes in (src/listpack.c):
//
//   total bytes u32 LE | element count u16 LE (65535: count them) | entries | 0xFF
//
// Each entry is an encoding byte with its data, then a "backlen": the size of
// encoding + data in 1 to 5 bytes, 7 bits a byte, so the list can be walked
// backwards. The encodings, by the first byte:
//   0xxxxxxx                  integer 0..127
//   10xxxxxx + data           string of up to 63 bytes
//   110xxxxx yyyyyyyy         13-bit signed integer, high bits first
//   1110xxxx yyyyyyyy + data  string of up to 4095 bytes (length high bits first)
//   0xF0 + u32 LE + data      longer string
//   0xF1 0xF2 0xF3 0xF4       16, 24, 32, 64-bit signed integer, little-endian
// A string that spells a canonical 64-bit integer is stored as an integer.
//
// The decoder checks every byte it reads (lengths, backlens, the header's
// total and count, the terminator) and never reads past the blob.
import { canonicalInt64 } from "./canonical_integer.ts";

/** A listpack element: bytes, or an integer when stored as one. */
export type ListpackElement = Uint8Array | bigint;

const HEADER = 6;
const EOF = 0xff;
const COUNT_UNKNOWN = 65535;

const ENC_7BIT_UINT_MASK = 0x80;
const ENC_6BIT_STR = 0x80;
const ENC_13BIT_INT = 0xc0;
const ENC_12BIT_STR = 0xe0;
const ENC_32BIT_STR = 0xf0;
const ENC_16BIT_INT = 0xf1;
const ENC_24BIT_INT = 0xf2;
const ENC_32BIT_INT = 0xf3;
const ENC_64BIT_INT = 0xf4;

/** Why a blob is not a listpack. */
export class ListpackError extends Error {}

function readSigned(buf: Uint8Array, at: number, bytes: number): bigint {
  let v = 0n;
  for (let k = bytes - 1; k >= 0; k--) v = (v << 8n) | BigInt(buf[at + k]!);
  return BigInt.asIntN(bytes * 8, v);
}

/** The backlen's byte count for an entry of `size` bytes (lpEncodeBacklen). */
function backlenBytes(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

function writeBacklen(out: Uint8Array, at: number, size: number): number {
  const n = backlenBytes(size);
  // Most significant 7-bit group first; every byte but the first has its top bit set.
  for (let k = 0; k < n; k++) {
    const shift = 7 * (n - 1 - k);
    const group = Math.floor(size / 2 ** shift) & 127;
    out[at + k] = k === 0 ? group : group | 128;
  }
  return n;
}

function readBacklen(buf: Uint8Array, at: number, size: number): number {
  const n = backlenBytes(size);
  if (at + n > buf.length) throw new ListpackError("truncated backlen");
  let value = 0;
  for (let k = 0; k < n; k++) {
    const byte = buf[at + k]!;
    if (k > 0 && (byte & 128) === 0) throw new ListpackError("bad backlen");
    value = value * 128 + (byte & 127);
  }
  if (value !== size) throw new ListpackError("backlen does not match the entry");
  return n;
}

/** The elements of a listpack blob; throws ListpackError when it is malformed. */
export function decodeListpack(buf: Uint8Array): ListpackElement[] {
  if (buf.length < HEADER + 1) throw new ListpackError("listpack too short");
  const total = (buf[0]! | (buf[1]! << 8) | (buf[2]! << 16) | (buf[3]! << 24)) >>> 0;
  if (total !== buf.length) throw new ListpackError("listpack size does not match its header");
  const declared = buf[4]! | (buf[5]! << 8);
  const out: ListpackElement[] = [];
  let at = HEADER;
  const end = buf.length - 1;
  while (at < end) {
    const first = buf[at]!;
    // Where the entry's data starts, how long a string's data is (-1: an integer, already in `int`).
    let dataStart: number;
    let dataLength = -1;
    let int = 0n;
    if ((first & ENC_7BIT_UINT_MASK) === 0) {
      dataStart = at + 1;
      int = BigInt(first);
    } else if ((first & 0xc0) === ENC_6BIT_STR) {
      dataStart = at + 1;
      dataLength = first & 0x3f;
    } else if ((first & 0xe0) === ENC_13BIT_INT) {
      if (at + 2 > end) throw new ListpackError("truncated entry");
      dataStart = at + 2;
      int = BigInt.asIntN(13, BigInt(((first & 0x1f) << 8) | buf[at + 1]!));
    } else if ((first & 0xf0) === ENC_12BIT_STR) {
      if (at + 2 > end) throw new ListpackError("truncated entry");
      dataStart = at + 2;
      dataLength = ((first & 0x0f) << 8) | buf[at + 1]!;
    } else if (first === ENC_32BIT_STR) {
      if (at + 5 > end) throw new ListpackError("truncated entry");
      dataStart = at + 5;
      dataLength = (buf[at + 1]! | (buf[at + 2]! << 8) | (buf[at + 3]! << 16) | (buf[at + 4]! << 24)) >>> 0;
    } else {
      const size = first === ENC_16BIT_INT ? 2 : first === ENC_24BIT_INT ? 3 : first === ENC_32BIT_INT ? 4 : first === ENC_64BIT_INT ? 8 : 0;
      if (size === 0) throw new ListpackError(`unknown listpack encoding 0x${first.toString(16)}`);
      if (at + 1 + size > end) throw new ListpackError("truncated entry");
      dataStart = at + 1 + size;
      int = readSigned(buf, at + 1, size);
    }
    let next = dataStart;
    if (dataLength >= 0) {
      if (dataLength > end - dataStart) throw new ListpackError("truncated string entry");
      next = dataStart + dataLength;
      out.push(buf.slice(dataStart, next));
    } else out.push(int);
    at = next + readBacklen(buf, next, next - at);
  }
  if (at !== end || buf[end] !== EOF) throw new ListpackError("listpack not terminated");
  if (declared !== COUNT_UNKNOWN && declared !== out.length) throw new ListpackError("listpack count does not match its entries");
  return out;
}

const encoder = new TextEncoder();

/** An element's bytes: integers as their decimal text. */
export function elementBytes(element: ListpackElement): Uint8Array {
  return typeof element === "bigint" ? encoder.encode(element.toString()) : element;
}

/** The integer an element is stored as, if it is one (lpEncodeGetType: strings that are canonical int64s). */
function asInteger(element: ListpackElement): bigint | undefined {
  return typeof element === "bigint" ? element : canonicalInt64(element);
}

/** Bytes of an integer entry's data after its encoding byte (0: 7-bit, -1: 13-bit), lpEncodeIntegerGetType. */
function integerWidth(int: bigint): number {
  if (int >= 0n && int <= 127n) return 0;
  if (int >= -4096n && int <= 4095n) return -1;
  if (int >= -32768n && int <= 32767n) return 2;
  if (int >= -8388608n && int <= 8388607n) return 3;
  if (int >= -2147483648n && int <= 2147483647n) return 4;
  return 8;
}

const INT_CODES: Readonly<Record<number, number>> = { 2: ENC_16BIT_INT, 3: ENC_24BIT_INT, 4: ENC_32BIT_INT, 8: ENC_64BIT_INT };

/** The size of an entry's encoding + data. */
function entryDataSize(element: ListpackElement, int: bigint | undefined): number {
  if (int !== undefined) {
    const width = integerWidth(int);
    return width === 0 ? 1 : width === -1 ? 2 : 1 + width;
  }
  const len = (element as Uint8Array).length;
  return len + (len < 64 ? 1 : len < 4096 ? 2 : 5);
}

/** Writes an entry's encoding + data at `at`; returns its size. */
function writeEntry(out: Uint8Array, at: number, element: ListpackElement, int: bigint | undefined): number {
  if (int !== undefined) {
    const width = integerWidth(int);
    if (width === 0) {
      out[at] = Number(int);
      return 1;
    }
    if (width === -1) {
      const u = Number(BigInt.asUintN(13, int));
      out[at] = ENC_13BIT_INT | (u >> 8);
      out[at + 1] = u & 0xff;
      return 2;
    }
    out[at] = INT_CODES[width]!;
    let u = BigInt.asUintN(width * 8, int);
    for (let k = 0; k < width; k++) {
      out[at + 1 + k] = Number(u & 0xffn);
      u >>= 8n;
    }
    return 1 + width;
  }
  const bytes = element as Uint8Array;
  const len = bytes.length;
  let head: number;
  if (len < 64) {
    out[at] = ENC_6BIT_STR | len;
    head = 1;
  } else if (len < 4096) {
    out[at] = ENC_12BIT_STR | (len >> 8);
    out[at + 1] = len & 0xff;
    head = 2;
  } else {
    out[at] = ENC_32BIT_STR;
    out[at + 1] = len & 0xff;
    out[at + 2] = (len >>> 8) & 0xff;
    out[at + 3] = (len >>> 16) & 0xff;
    out[at + 4] = len >>> 24;
    head = 5;
  }
  out.set(bytes, at + head);
  return head + len;
}

/** The size one element adds to a listpack (encoding, data, backlen). */
export function listpackEntrySize(element: ListpackElement): number {
  const size = entryDataSize(element, asInteger(element));
  return size + backlenBytes(size);
}

/** A listpack of `elements`, as lpAppend builds one: strings that are canonical integers become integers. */
export function encodeListpack(elements: readonly ListpackElement[]): Uint8Array {
  const ints = elements.map(asInteger);
  let total = HEADER + 1;
  for (let i = 0; i < elements.length; i++) {
    const size = entryDataSize(elements[i]!, ints[i]);
    total += size + backlenBytes(size);
  }
  const out = new Uint8Array(total);
  out[0] = total & 0xff;
  out[1] = (total >>> 8) & 0xff;
  out[2] = (total >>> 16) & 0xff;
  out[3] = total >>> 24;
  const count = elements.length < COUNT_UNKNOWN ? elements.length : COUNT_UNKNOWN;
  out[4] = count & 0xff;
  out[5] = count >>> 8;
  let at = HEADER;
  for (let i = 0; i < elements.length; i++) {
    const size = writeEntry(out, at, elements[i]!, ints[i]);
    at += size;
    at += writeBacklen(out, at, size);
  }
  out[at] = EOF;
  return out;
}
