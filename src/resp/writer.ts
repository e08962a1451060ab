// Reply writer: reply values out as RESP2 or RESP3 bytes.
//
// Commands return one typed Reply; only here does it take the shape of the
// connection's protocol (redis-semantics.md §12). Headers, integers and
// doubles are ASCII and written byte by byte; TextEncoder is used only for
// string bodies that are not plain ASCII.

import {
  BooleanReply,
  DoubleReply,
  ErrorReply,
  MapReply,
  PairsReply,
  NullArray,
  PushReply,
  Frames,
  OK,
  type ProtocolVersion,
  type Reply,
  SetReply,
  SimpleString,
  VerbatimReply,
  BigNumberReply,
} from "./reply.ts";

const CR = 13;
const LF = 10;
const encoder = new TextEncoder();

function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// Shared, precomputed encodings returned by encodeReply: treat as read-only.
export const OK_BYTES: Uint8Array = asciiBytes("+OK\r\n");
export const NULL_BULK_BYTES: Uint8Array = asciiBytes("$-1\r\n");
export const NULL_ARRAY_BYTES: Uint8Array = asciiBytes("*-1\r\n");
export const RESP3_NULL_BYTES: Uint8Array = asciiBytes("_\r\n");
const EMPTY_ARRAY_BYTES = asciiBytes("*0\r\n");

const SMALL_INTEGER_COUNT = 1024;
const SMALL_INTEGERS: readonly Uint8Array[] = Array.from(
  { length: SMALL_INTEGER_COUNT },
  (_, i) => asciiBytes(`:${i}\r\n`),
);
const MINUS_ONE_BYTES = asciiBytes(":-1\r\n");

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Strings up to this length are checked for ASCII and copied by hand. */
const ASCII_FAST_PATH_CHARS = 128;
const INITIAL_WRITER_BYTES = 16 * 1024;
/** A writer that grew past this is given a fresh small buffer after take(). */
const RETAINED_WRITER_BYTES = 256 * 1024;

function isReplyArray(reply: Reply): reply is readonly Reply[] {
  return Array.isArray(reply);
}

/** Redis replaces CR and LF in simple strings and errors by spaces. */
function oneLine(text: string): string {
  return text.indexOf("\r") < 0 && text.indexOf("\n") < 0
    ? text
    : text.replace(/[\r\n]/g, " ");
}

/**
 * Accumulates many replies in one growable buffer, so a pipelined batch goes
 * to the socket in a single write.
 */
export class ReplyWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialBytes: number = INITIAL_WRITER_BYTES) {
    this.buf = new Uint8Array(Math.max(64, initialBytes));
  }

  /** Bytes written since the last take(). */
  get size(): number {
    return this.pos;
  }

  /** Returns everything written so far (owned by the caller) and resets. */
  take(): Uint8Array {
    const length = this.pos;
    this.pos = 0;
    if (length >= this.buf.length >>> 1) {
      // Mostly full: hand the buffer over instead of copying it.
      const out = this.buf.subarray(0, length);
      this.buf = new Uint8Array(INITIAL_WRITER_BYTES);
      return out;
    }
    const out = this.buf.slice(0, length);
    if (this.buf.length > RETAINED_WRITER_BYTES) this.buf = new Uint8Array(INITIAL_WRITER_BYTES);
    return out;
  }

  /** Appends bytes that are already RESP, e.g. a pre-encoded push message. */
  writeEncoded(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  write(reply: Reply, protocol: ProtocolVersion): void {
    if (typeof reply === "string") {
      this.writeTextBulk(36 /* $ */, reply);
    } else if (typeof reply === "number") {
      this.writeInteger(reply);
    } else if (reply === null) {
      this.writeEncoded(protocol === 3 ? RESP3_NULL_BYTES : NULL_BULK_BYTES);
    } else if (reply instanceof Uint8Array) {
      this.writeBytesBulk(reply);
    } else if (isReplyArray(reply)) {
      this.writeHeader(42 /* * */, reply.length);
      for (const item of reply) this.write(item, protocol);
    } else if (typeof reply === "bigint") {
      this.writeBigInt(reply, protocol);
    } else if (reply instanceof SimpleString) {
      this.writeLine(43 /* + */, oneLine(reply.text));
    } else if (reply instanceof ErrorReply) {
      if (reply.raw) this.writeRawLine(45 /* - */, reply.raw);
      else this.writeLine(45 /* - */, oneLine(reply.message));
    } else if (reply instanceof NullArray) {
      this.writeEncoded(protocol === 3 ? RESP3_NULL_BYTES : NULL_ARRAY_BYTES);
    } else if (reply instanceof MapReply) {
      const entries = reply.entries;
      if (protocol === 3) this.writeHeader(37 /* % */, entries.length);
      else this.writeHeader(42 /* * */, entries.length * 2);
      for (const [key, value] of entries) {
        this.write(key, protocol);
        this.write(value, protocol);
      }
    } else if (reply instanceof PairsReply) {
      const pairs = reply.pairs;
      this.writeHeader(42 /* * */, protocol === 3 ? pairs.length : pairs.length * 2);
      for (const [first, second] of pairs) {
        if (protocol === 3) this.writeHeader(42 /* * */, 2);
        this.write(first, protocol);
        this.write(second, protocol);
      }
    } else if (reply instanceof SetReply) {
      this.writeHeader(protocol === 3 ? 126 /* ~ */ : 42 /* * */, reply.items.length);
      for (const item of reply.items) this.write(item, protocol);
    } else if (reply instanceof DoubleReply) {
      const text = reply.text ?? formatDouble(reply.value);
      if (protocol === 3) this.writeLine(44 /* , */, text);
      else this.writeTextBulk(36 /* $ */, text);
    } else if (reply instanceof BooleanReply) {
      if (protocol === 3) this.writeLine(35 /* # */, reply.value ? "t" : "f");
      else this.writeInteger(reply.value ? 1 : 0);
    } else if (reply instanceof VerbatimReply) {
      if (protocol === 3) this.writeTextBulk(61 /* = */, `${reply.format}:${reply.text}`);
      else this.writeTextBulk(36 /* $ */, reply.text);
    } else if (reply instanceof BigNumberReply) {
      if (protocol === 3) this.writeLine(40 /* ( */, reply.digits);
      else this.writeTextBulk(36 /* $ */, reply.digits);
    } else if (reply instanceof Frames) {
      for (const frame of reply.frames) this.write(frame, protocol);
    } else if (reply instanceof PushReply) {
      const cached = reply.encodedFor(protocol);
      if (cached !== undefined) return this.writeEncoded(cached);
      const start = this.pos;
      this.writeHeader(protocol === 3 ? 62 /* > */ : 42 /* * */, reply.items.length);
      for (const item of reply.items) this.write(item, protocol);
      if (reply.shared) reply.keepEncoded(protocol, this.buf.slice(start, this.pos));
    } else {
      const unknown: never = reply;
      throw new TypeError(`not a reply value: ${String(unknown)}`);
    }
  }

  private reserve(bytes: number): void {
    const needed = this.pos + bytes;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  /** Writes a non-negative safe integer in decimal; space must be reserved. */
  private putDigits(value: number): void {
    const buf = this.buf;
    if (value < 10) {
      buf[this.pos++] = 48 + value;
      return;
    }
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    let i = this.pos + digits;
    this.pos = i;
    for (let v = value; ; ) {
      const next = Math.floor(v / 10);
      buf[--i] = 48 + (v - next * 10);
      if (next === 0) break;
      v = next;
    }
  }

  private putCrlf(): void {
    this.buf[this.pos++] = CR;
    this.buf[this.pos++] = LF;
  }

  private putAscii(text: string): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  /** `<prefix><count>\r\n` for a non-negative count: an aggregate's header (reply_stream.ts writes its items apart). */
  writeHeader(prefix: number, count: number): void {
    this.reserve(24);
    this.buf[this.pos++] = prefix;
    this.putDigits(count);
    this.putCrlf();
  }

  private writeInteger(value: number): void {
    if (!Number.isSafeInteger(value)) {
      // A command bug: ":1.5" or ":NaN" would desynchronise the client.
      throw new RangeError(`integer reply must be a safe integer, got ${value}`);
    }
    this.reserve(24);
    this.buf[this.pos++] = 58; // :
    if (value < 0) {
      this.buf[this.pos++] = 45; // -
      this.putDigits(-value);
    } else {
      this.putDigits(value);
    }
    this.putCrlf();
  }

  /**
   * Within 64 bits an integer; beyond, a RESP3 big number, or for RESP2 a
   * bulk string (its RESP2 form per the protocol spec).
   */
  private writeBigInt(value: bigint, protocol: ProtocolVersion): void {
    const text = value.toString();
    if (value >= INT64_MIN && value <= INT64_MAX) this.writeLine(58 /* : */, text);
    else if (protocol === 3) this.writeLine(40 /* ( */, text);
    else this.writeTextBulk(36 /* $ */, text);
  }

  private writeBytesBulk(bytes: Uint8Array): void {
    const length = bytes.length;
    this.reserve(length + 24);
    this.buf[this.pos++] = 36; // $
    this.putDigits(length);
    this.putCrlf();
    if (length <= 16) {
      // set() has a fixed cost that a short loop beats.
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < length; i++) buf[pos++] = bytes[i]!;
      this.pos = pos;
    } else {
      this.buf.set(bytes, this.pos);
      this.pos += length;
    }
    this.putCrlf();
  }

  /** `<prefix><text>\r\n`, the text UTF-8 encoded. */
  private writeLine(prefix: number, text: string): void {
    const length = text.length;
    this.reserve(length * 3 + 3);
    this.buf[this.pos++] = prefix;
    if (length <= ASCII_FAST_PATH_CHARS && isAscii(text)) {
      this.putAscii(text);
    } else {
      this.pos += encoder.encodeInto(text, this.buf.subarray(this.pos)).written;
    }
    this.putCrlf();
  }

  /** `<prefix><bytes>\r\n`, CR and LF in the bytes replaced by spaces. */
  private writeRawLine(prefix: number, bytes: Uint8Array): void {
    this.reserve(bytes.length + 3);
    this.buf[this.pos++] = prefix;
    for (const byte of bytes) this.buf[this.pos++] = byte === CR || byte === LF ? 32 : byte;
    this.putCrlf();
  }

  /** `<prefix><byte length>\r\n<text>\r\n`: bulk and verbatim strings. */
  private writeTextBulk(prefix: number, text: string): void {
    const length = text.length;
    if (length <= ASCII_FAST_PATH_CHARS && isAscii(text)) {
      this.reserve(length + 24);
      this.buf[this.pos++] = prefix;
      this.putDigits(length);
      this.putCrlf();
      this.putAscii(text);
      this.putCrlf();
      return;
    }
    // The byte length is unknown until encoded: encode after room for the
    // longest possible header, then close the gap if the header is shorter.
    const maxBytes = length * 3;
    const maxHeader = 3 + decimalDigits(maxBytes);
    this.reserve(maxHeader + maxBytes + 2);
    const bodyAt = this.pos + maxHeader;
    const written = encoder.encodeInto(text, this.buf.subarray(bodyAt)).written;
    const header = 3 + decimalDigits(written);
    this.buf[this.pos++] = prefix;
    this.putDigits(written);
    this.putCrlf();
    if (header !== maxHeader) this.buf.copyWithin(this.pos, bodyAt, bodyAt + written);
    this.pos += written;
    this.putCrlf();
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 127) return false;
  }
  return true;
}

function decimalDigits(value: number): number {
  let digits = 1;
  while (value >= 10) {
    value = Math.floor(value / 10);
    digits++;
  }
  return digits;
}

const sharedWriter = new ReplyWriter();

/**
 * Encodes one reply. Common constant replies return shared precomputed
 * arrays: treat the result as read-only.
 */
export function encodeReply(reply: Reply, protocol: ProtocolVersion): Uint8Array {
  if (reply === OK) return OK_BYTES;
  if (reply === null) return protocol === 3 ? RESP3_NULL_BYTES : NULL_BULK_BYTES;
  if (typeof reply === "number" && Number.isInteger(reply)) {
    if (reply >= 0 && reply < SMALL_INTEGER_COUNT) return SMALL_INTEGERS[reply]!;
    if (reply === -1) return MINUS_ONE_BYTES;
  }
  if (isReplyArray(reply) && reply.length === 0) return EMPTY_ARRAY_BYTES;
  sharedWriter.write(reply, protocol);
  return sharedWriter.take();
}

const LLONG_HALF = 4611686018427387903; // LLONG_MAX / 2, as in Redis's double2ll

/**
 * A double as Redis's d2string writes it (ZSCORE, RESP3 doubles): `nan`,
 * `inf`, `-inf`, `-0`, integers within ±LLONG_MAX/2 in plain digits, others
 * from the shortest round-trip digits laid out as fpconv_dtoa does (plain
 * decimals near 1, otherwise `1e+21`, `1.5e-7`).
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (Number.isInteger(value) && value >= -LLONG_HALF && value <= LLONG_HALF) {
    // BigInt prints every digit; Number#toString would round past 2^53.
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  const negative = value < 0;
  // toExponential() without an argument gives the shortest round-trip digits.
  const exponential = (negative ? -value : value).toExponential();
  const e = exponential.indexOf("e");
  const digits = exponential.slice(0, e).replace(".", "");
  const exponent = Number(exponential.slice(e + 1));
  const ndigits = digits.length;
  const k = exponent - ndigits + 1; // power of ten of the last digit
  const magnitude = Math.abs(exponent);
  let text: string;
  if (k >= 0 && magnitude < ndigits + 7) {
    text = digits + "0".repeat(k);
  } else if (k < 0 && (k > -7 || magnitude < 4)) {
    const point = ndigits + k;
    text = point <= 0
      ? "0." + "0".repeat(-point) + digits
      : digits.slice(0, point) + "." + digits.slice(point);
  } else {
    const mantissa = ndigits > 1 ? digits[0] + "." + digits.slice(1) : digits;
    text = mantissa + "e" + (exponent < 0 ? "-" : "+") + String(magnitude);
  }
  return negative ? "-" + text : text;
}
