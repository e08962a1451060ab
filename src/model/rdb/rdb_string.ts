// RDB lengths and strings, as Redis 7.0 writes and reads them (src/rdb.c:
// rdbSaveLen, rdbLoadLenByRef, rdbSaveRawString, rdbGenericLoadStringObject).
//
// A length's first byte says how it goes on, by its top two bits:
//   00xxxxxx            6-bit length
//   01xxxxxx xxxxxxxx   14-bit length, big-endian
//   0x80 + 4 bytes      32-bit length, big-endian
//   0x81 + 8 bytes      64-bit length, big-endian
//   11xxxxxx            no length: a special string encoding follows (below)
// A string is a length and that many bytes, or one of the special encodings
// 0xC0 int8, 0xC1 int16, 0xC2 int32 (little-endian two's complement: the
// string is the integer's decimal text), 0xC3 LZF (compressed length,
// original length, compressed bytes).
//
// Readers never read past the buffer: they return a failure naming what was
// wrong, and allocate at most what the buffer can justify.
import { lzfCompress, lzfDecompress } from "./lzf.ts";

export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** What a reader found: a value and the offset just after it, or why it failed. */
export type RdbRead<T> = { readonly ok: true; readonly value: T; readonly next: number } | { readonly ok: false; readonly error: string };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** The bytes of a length, as rdbSaveLen writes it. Accepts 0..2^64-1 (a number must be a safe integer). */
export function encodeLength(length: number | bigint): Uint8Array {
  const n = typeof length === "bigint" ? length : BigInt(length);
  if (typeof length === "number" && !Number.isSafeInteger(length)) throw new RangeError(`RDB length ${length} is not a safe integer`);
  if (n < 0n || n > 0xffffffffffffffffn) throw new RangeError(`RDB length ${n} out of range`);
  if (n < 1n << 6n) return Uint8Array.of(Number(n) | (RDB_6BITLEN << 6));
  if (n < 1n << 14n) return Uint8Array.of(((Number(n) >>> 8) & 0xff) | (RDB_14BITLEN << 6), Number(n) & 0xff);
  if (n <= 0xffffffffn) {
    const v = Number(n);
    return Uint8Array.of(RDB_32BITLEN, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }
  const out = new Uint8Array(9);
  out[0] = RDB_64BITLEN;
  for (let k = 0; k < 8; k++) out[8 - k] = Number((n >> BigInt(8 * k)) & 0xffn);
  return out;
}

/** A length field as read: a plain length, or (encoded) the special string encoding of a 11xxxxxx byte. */
export interface LengthField {
  readonly encoded: boolean;
  /** The length, or the encoding number when `encoded`. */
  readonly value: bigint;
}

/** Reads a length field at `offset`, as rdbLoadLenByRef. */
export function readLengthField(buf: Uint8Array, offset: number): RdbRead<LengthField> {
  if (offset < 0 || offset >= buf.length) return fail("truncated length");
  const first = buf[offset]!;
  const type = first >>> 6;
  if (type === RDB_ENCVAL) return { ok: true, value: { encoded: true, value: BigInt(first & 0x3f) }, next: offset + 1 };
  if (type === RDB_6BITLEN) return { ok: true, value: { encoded: false, value: BigInt(first & 0x3f) }, next: offset + 1 };
  if (type === RDB_14BITLEN) {
    if (offset + 2 > buf.length) return fail("truncated length");
    return { ok: true, value: { encoded: false, value: BigInt(((first & 0x3f) << 8) | buf[offset + 1]!) }, next: offset + 2 };
  }
  const size = first === RDB_32BITLEN ? 4 : first === RDB_64BITLEN ? 8 : 0;
  if (size === 0) return fail(`unknown length encoding ${type} (first byte 0x${first.toString(16)})`);
  if (offset + 1 + size > buf.length) return fail("truncated length");
  let value = 0n;
  for (let k = 1; k <= size; k++) value = (value << 8n) | BigInt(buf[offset + k]!);
  return { ok: true, value: { encoded: false, value }, next: offset + 1 + size };
}

/** Reads a plain length (a special-encoding byte is a failure), as a bigint: 64-bit lengths may pass 2^53. */
export function readLength64(buf: Uint8Array, offset: number): RdbRead<bigint> {
  const field = readLengthField(buf, offset);
  if (!field.ok) return field;
  if (field.value.encoded) return fail("special string encoding where a length was expected");
  return { ok: true, value: field.value.value, next: field.next };
}

/** Reads a plain length as a number; one above 2^53 - 1 is a failure (no buffer is that long). */
export function readLength(buf: Uint8Array, offset: number): RdbRead<number> {
  const read = readLength64(buf, offset);
  if (!read.ok) return read;
  if (read.value > BigInt(Number.MAX_SAFE_INTEGER)) return fail(`length ${read.value} too large`);
  return { ok: true, value: Number(read.value), next: read.next };
}

const ASCII_0 = 0x30;
const ASCII_9 = 0x39;
const ASCII_MINUS = 0x2d;

/** The integer `bytes` spell exactly as Redis's string2ll accepts it (no sign but '-', no leading zero), if at most 11 bytes. */
function smallCanonicalInteger(bytes: Uint8Array): number | undefined {
  const len = bytes.length;
  if (len === 0 || len > 11) return undefined;
  if (len === 1 && bytes[0] === ASCII_0) return 0;
  let i = 0;
  const negative = bytes[0] === ASCII_MINUS;
  if (negative) i++;
  if (i === len) return undefined;
  const first = bytes[i]!;
  if (first < ASCII_0 + 1 || first > ASCII_9) return undefined;
  let value = 0;
  for (; i < len; i++) {
    const c = bytes[i]!;
    if (c < ASCII_0 || c > ASCII_9) return undefined;
    value = value * 10 + (c - ASCII_0);
  }
  return negative ? -value : value;
}

/** The int8/16/32 encoding of `value` (rdbEncodeInteger), or undefined outside the 32-bit range. */
function encodeInteger(value: number): Uint8Array | undefined {
  const head = RDB_ENCVAL << 6;
  if (value >= -(2 ** 7) && value <= 2 ** 7 - 1) return Uint8Array.of(head | RDB_ENC_INT8, value & 0xff);
  if (value >= -(2 ** 15) && value <= 2 ** 15 - 1) return Uint8Array.of(head | RDB_ENC_INT16, value & 0xff, (value >> 8) & 0xff);
  if (value >= -(2 ** 31) && value <= 2 ** 31 - 1) {
    return Uint8Array.of(head | RDB_ENC_INT32, value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff);
  }
  return undefined;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface EncodeStringOptions {
  /** rdbcompression: try LZF on strings longer than 20 bytes (default true, as Redis's default `rdbcompression yes`). */
  readonly compress?: boolean;
}

/**
 * The RDB form of `bytes`, as rdbSaveRawString writes it: an integer encoding when the
 * string is at most 11 bytes and the canonical text of a 32-bit integer; else, with
 * compression on and more than 20 bytes, LZF when it fits in length - 4 bytes; else plain.
 */
export function encodeRdbString(bytes: Uint8Array, options: EncodeStringOptions = {}): Uint8Array {
  const len = bytes.length;
  if (len <= 11) {
    const value = smallCanonicalInteger(bytes);
    const encoded = value === undefined ? undefined : encodeInteger(value);
    if (encoded) return encoded;
  }
  if ((options.compress ?? true) && len > 20) {
    const compressed = lzfCompress(bytes, len - 4);
    if (compressed) {
      return concat([Uint8Array.of((RDB_ENCVAL << 6) | RDB_ENC_LZF), encodeLength(compressed.length), encodeLength(len), compressed]);
    }
  }
  return concat([encodeLength(len), bytes]);
}

/** The decimal text of `value`, as bytes. */
const decimal = (value: number): Uint8Array => new TextEncoder().encode(String(value));

/**
 * Reads an RDB string at `offset`, as rdbGenericLoadStringObject: integer encodings
 * come back as their decimal text, LZF strings decompressed. The value is a fresh copy.
 */
export function readRdbString(buf: Uint8Array, offset: number): RdbRead<Uint8Array> {
  const field = readLengthField(buf, offset);
  if (!field.ok) return field;
  let at = field.next;
  if (!field.value.encoded) {
    const len = field.value.value;
    if (len > BigInt(buf.length - at)) return fail("truncated string");
    const end = at + Number(len);
    return { ok: true, value: buf.slice(at, end), next: end };
  }
  switch (Number(field.value.value)) {
    case RDB_ENC_INT8: {
      if (at + 1 > buf.length) return fail("truncated integer");
      return { ok: true, value: decimal((buf[at]! << 24) >> 24), next: at + 1 };
    }
    case RDB_ENC_INT16: {
      if (at + 2 > buf.length) return fail("truncated integer");
      return { ok: true, value: decimal(((buf[at]! | (buf[at + 1]! << 8)) << 16) >> 16), next: at + 2 };
    }
    case RDB_ENC_INT32: {
      if (at + 4 > buf.length) return fail("truncated integer");
      const v = buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24);
      return { ok: true, value: decimal(v), next: at + 4 };
    }
    case RDB_ENC_LZF: {
      const compressedLength = readLength64(buf, at);
      if (!compressedLength.ok) return compressedLength;
      const originalLength = readLength64(buf, compressedLength.next);
      if (!originalLength.ok) return originalLength;
      at = originalLength.next;
      if (compressedLength.value > BigInt(buf.length - at)) return fail("truncated LZF string");
      const end = at + Number(compressedLength.value);
      // Redis accepts whatever lzf_decompress returns when it equals the expected length; on an
      // error it returns 0, so a declared length of 0 is accepted with any compressed bytes.
      if (originalLength.value === 0n) return { ok: true, value: new Uint8Array(0), next: end };
      // LZF expands 3 input bytes to at most 264 (a long back reference): a larger claim cannot be true, and is not allocated.
      if (originalLength.value > BigInt(Number(compressedLength.value) * 88)) return fail("invalid LZF compressed string");
      const value = lzfDecompress(buf, Number(originalLength.value), at, end);
      if (!value) return fail("invalid LZF compressed string");
      return { ok: true, value, next: end };
    }
    default:
      return fail(`unknown RDB string encoding type ${field.value.value}`);
  }
}
