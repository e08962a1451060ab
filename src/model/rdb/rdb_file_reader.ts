// Reads a whole RDB file (rdb.c rdbLoadRio) as redis-server 6.2 to 7.x writes
// it (RDB versions 9 to 11; older versions share the layout and are read too):
//
//   "REDIS" + 4 ASCII digits (the version)
//   records, each starting with a byte: an opcode or a value type
//     0xFA AUX name value            0xFE SELECTDB db
//     0xFB RESIZEDB keys expires     0xFC EXPIRETIME_MS (8 bytes LE)
//     0xFD EXPIRETIME (4 bytes LE)   0xF9 FREQ (1 byte)   0xF8 IDLE (length)
//     0xF7 MODULE_AUX                0xF5 FUNCTION2 code  0xF6 FUNCTION (7.0 rc)
//     type key value                 (type is an RdbType: rdb_value_reader.ts)
//   0xFF EOF, then (version 5 and later) the CRC-64 of every byte before it,
//   8 bytes little-endian; 0 means the writer did not compute it.
//
// It streams: chunks go into a window that holds the record being read and
// what came after it, so memory is bounded by about twice the largest record
// plus one chunk (and never more than `maxRecordBytes` plus one chunk), never
// by the file. A record is parsed from the window; if
// the window ends inside it, more chunks are read until the window has at
// least doubled, and the record is parsed again (so a large value costs
// amortised linear time however small the chunks are).
//
// Untrusted input: no length is allocated before the bytes it claims have
// arrived (and LZF claims are bounded by the value reader's budget); errors
// name the file offset and what was expected there.
import { crc64EqualsLittleEndian, crc64Update, type Crc64 } from "./crc64.ts";
import { readLength64, readLengthField, readRdbString, type RdbRead } from "./rdb_string.ts";
import { RdbType, type RdbValue } from "./rdb_value.ts";
import { readRdbValue } from "./rdb_value_reader.ts";

/** The newest RDB version this reader knows (Redis 7.2 writes 11). */
export const MAX_RDB_FILE_VERSION = 11;

export const RdbOpcode = {
  FUNCTION2: 0xf5,
  FUNCTION_PRE_GA: 0xf6,
  MODULE_AUX: 0xf7,
  IDLE: 0xf8,
  FREQ: 0xf9,
  AUX: 0xfa,
  RESIZEDB: 0xfb,
  EXPIRETIME_MS: 0xfc,
  EXPIRETIME: 0xfd,
  SELECTDB: 0xfe,
  EOF: 0xff,
} as const;

/** What one RDB file holds, in file order. */
export type RdbRecord =
  /** First record: the file's RDB version. */
  | { readonly kind: "header"; readonly version: number }
  /** An AUX field (redis-ver, ctime, used-mem, ...): informational, readers skip those they do not know. */
  | { readonly kind: "aux"; readonly name: string; readonly value: Uint8Array }
  /** RESIZEDB: how many keys (and keys with a TTL) database `db` holds; a hint for progress. */
  | { readonly kind: "resizeDb"; readonly db: number; readonly keys: number; readonly expires: number }
  /** A function library's source (what FUNCTION LOAD takes), `#!engine name=...` first line included. */
  | { readonly kind: "function"; readonly code: Uint8Array }
  /**
   * A module's auxiliary data (outside the keyspace), skipped: Materia has no modules.
   * Redis refuses to load it without the module; the caller chooses to warn or refuse.
   */
  | { readonly kind: "moduleAux"; readonly module: string }
  /** A key, its value, and the hints the file carried before it. */
  | {
    readonly kind: "key";
    readonly db: number;
    readonly key: Uint8Array;
    readonly value: RdbValue;
    /** Unix ms at which the key expires (it may be in the past: the caller decides). */
    readonly expireAtMs?: number;
    /** LRU idle seconds (maxmemory-policy *lru*). */
    readonly idleSeconds?: number;
    /** LFU counter (maxmemory-policy *lfu*). */
    readonly lfuFrequency?: number;
  }
  /** Last record: the file's size and whether its checksum was checked (false: stored as 0, or none before version 5). */
  | { readonly kind: "end"; readonly bytes: number; readonly checksumVerified: boolean };

export type RdbFileErrorCode =
  | "TRUNCATED"
  | "BAD_MAGIC"
  | "UNSUPPORTED_VERSION"
  | "UNKNOWN_OPCODE"
  | "BAD_FORMAT"
  | "UNSUPPORTED_TYPE"
  | "TOO_LARGE"
  | "CHECKSUM_MISMATCH"
  | "TRAILING_BYTES";

/** Why a file was refused, at which byte of it. */
export class RdbFileError extends Error {
  constructor(readonly code: RdbFileErrorCode, readonly offset: number, readonly detail: string) {
    super(`RDB file refused at byte ${offset}: ${detail}`);
    this.name = "RdbFileError";
  }
}

export interface RdbFileReaderOptions {
  /** Most bytes one record (a key and its value) may take in the file (default 512 MB): the window never grows past it. */
  readonly maxRecordBytes?: number;
  /** Most bytes one value decodes to, LZF expansion and container elements included (default 512 MB). */
  readonly maxDecodedBytes?: number;
  /** Accept bytes after the checksum (as Redis does), instead of refusing them. */
  readonly allowTrailingBytes?: boolean;
}

export const DEFAULT_MAX_RECORD_BYTES = 512 * 1024 * 1024;

const INITIAL_WINDOW = 64 * 1024;
/** Database numbers beyond this are refused (Redis refuses any beyond its `databases`). */
const MAX_DB = 0x7fffffff;

/** The window ends inside the record: read more and parse it again. */
class NeedMore {
  constructor(readonly expected: string) {}
}

/** A record is wrong whatever follows: refuse the file at `offset`. */
const refuse = (code: RdbFileErrorCode, offset: number, detail: string): RdbFileError => new RdbFileError(code, offset, detail);

/**
 * The failures of rdb_string.ts and the value reader that mean "the bytes ended", not "the bytes are wrong"
 * (their top-level messages; a container's own errors are prefixed, as its blob was read whole).
 * The truncation tests cut files at many points and expect TRUNCATED, so a renamed message shows there.
 */
const isShortage = (detail: string): boolean => detail.startsWith("truncated") || detail.endsWith("exceeds the payload");

/** Module type names are 9 characters of this set, 6 bits each, above a 10-bit encoding version (moduleTypeNameByID). */
const MODULE_NAME_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function moduleName(id: bigint): string {
  let rest = id >> 10n;
  let name = "";
  for (let j = 0; j < 9; j++) {
    name = MODULE_NAME_CHARSET[Number(rest & 63n)]! + name;
    rest >>= 6n;
  }
  return name;
}

const VALUE_TYPES: ReadonlySet<number> = new Set(Object.values(RdbType));
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The bytes of the file that have arrived and are not consumed yet, and where they are in the file. */
class Window {
  buf = new Uint8Array(INITIAL_WINDOW);
  start = 0;
  end = 0;
  /** File offset of buf[start]. */
  base = 0;
  exhausted = false;
  peak = INITIAL_WINDOW;
  private readonly iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, private readonly maxBytes: number) {
    this.iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  get available(): number {
    return this.end - this.start;
  }

  view(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  consume(n: number): void {
    this.start += n;
    this.base += n;
  }

  /** Reads chunks until `target` bytes are available or the source ends; false if it ended first. */
  async fill(target: number): Promise<boolean> {
    while (this.available < target && !this.exhausted) {
      const next = await this.iterator.next();
      if (next.done) {
        this.exhausted = true;
        break;
      }
      this.append(next.value);
    }
    return this.available >= target;
  }

  private append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) {
      // Slide the unconsumed bytes to the front, and grow (by doubling) only if they still do not fit.
      const live = this.available;
      const needed = live + chunk.length;
      if (needed > this.buf.length) {
        let capacity = this.buf.length;
        while (capacity < needed) capacity *= 2;
        const grown = new Uint8Array(capacity);
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
        this.peak = Math.max(this.peak, capacity);
      } else {
        this.buf.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Whether the source has any byte left (reads at most one more non-empty chunk). */
  async hasMore(): Promise<boolean> {
    return this.available > 0 || (await this.fill(1));
  }

  get limit(): number {
    return this.maxBytes;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

/** A position in the window's bytes: reads throw NeedMore where the bytes end. */
class Cursor {
  constructor(readonly buf: Uint8Array, public at: number) {}

  byte(expected: string): number {
    if (this.at >= this.buf.length) throw new NeedMore(expected);
    return this.buf[this.at++]!;
  }

  bytes(n: number, expected: string): Uint8Array {
    if (n > this.buf.length - this.at) throw new NeedMore(expected);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  private take<T>(read: RdbRead<T>, expected: string, base: number): T {
    if (!read.ok) {
      if (isShortage(read.error)) throw new NeedMore(expected);
      throw refuse("BAD_FORMAT", base + this.at, `${expected}: ${read.error}`);
    }
    this.at = read.next;
    return read.value;
  }

  length(expected: string, base: number): bigint {
    return this.take(readLength64(this.buf, this.at), expected, base);
  }

  /** A length that must fit a safe number below `max`. */
  smallLength(expected: string, base: number, max = Number.MAX_SAFE_INTEGER): number {
    const at = this.at;
    const n = this.length(expected, base);
    if (n > BigInt(max)) throw refuse("BAD_FORMAT", base + at, `${expected}: ${n} is too large`);
    return Number(n);
  }

  /** A length field as rdbLoadLen without isencoded reads it: a special-encoding byte counts as its 6 low bits. */
  lengthField(expected: string, base: number): bigint {
    return this.take(readLengthField(this.buf, this.at), expected, base).value;
  }

  string(expected: string, base: number): Uint8Array {
    return this.take(readRdbString(this.buf, this.at), expected, base);
  }
}

/** The hints opcodes give the next key; reset after each key, as Redis does. */
interface KeyHints {
  expireAtMs?: number;
  idleSeconds?: number;
  lfuFrequency?: number;
}

/** One parsed step: a record to yield (or none), how many bytes it took, and whether it was EOF. */
interface Step {
  readonly record?: RdbRecord;
  readonly size: number;
  readonly eof?: boolean;
}

/** `bytes` up to its first NUL byte (what %s of a C string prints). */
function cString(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Streams the records of an RDB file from its chunks; see the top of this file. */
export class RdbFileReader {
  private readonly window: Window;
  private readonly maxDecodedBytes: number;
  private crc: Crc64 = { hi: 0, lo: 0 };
  private db = 0;
  private hints: KeyHints = {};
  private version = 0;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, private readonly options: RdbFileReaderOptions = {}) {
    this.window = new Window(source, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    this.maxDecodedBytes = options.maxDecodedBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Bytes of the file consumed so far (records yielded), for progress. */
  get offset(): number {
    return this.window.base;
  }

  /** The largest the window has been, in bytes: what the reader holds of the file at most. */
  get peakWindowBytes(): number {
    return this.window.peak;
  }

  /** The records, header first and end last; throws RdbFileError on a file it refuses. */
  async *records(): AsyncGenerator<RdbRecord, void, undefined> {
    try {
      yield (await this.parse((c) => ({ record: this.header(c), size: c.at }))).record!;
      while (true) {
        const step = await this.parse((c) => this.record(c));
        if (step.record) yield step.record;
        if (step.eof) break;
      }
      yield await this.trailer();
    } finally {
      await this.window.close();
    }
  }

  /** Parses one step from the window, reading more while it ends inside it; consumes its bytes into the checksum. */
  private async parse(parser: (c: Cursor) => Step): Promise<Step> {
    const w = this.window;
    while (true) {
      let shortage: NeedMore;
      try {
        const step = parser(new Cursor(w.view(), 0));
        this.crc = crc64Update(this.crc, w.buf, w.start, w.start + step.size);
        w.consume(step.size);
        return step;
      } catch (e) {
        if (!(e instanceof NeedMore)) throw e;
        shortage = e;
      }
      const have = w.available;
      if (have >= w.limit) throw refuse("TOO_LARGE", w.base, `a record larger than ${w.limit} bytes (the limit) while reading ${shortage.expected}`);
      const target = Math.min(w.limit, Math.max(have * 2, have + 4096));
      await w.fill(target);
      if (w.available === have) throw refuse("TRUNCATED", w.base + have, `the file ends while reading ${shortage.expected} (record at byte ${w.base})`);
    }
  }

  private header(c: Cursor): RdbRecord {
    const magic = c.bytes(9, "the RDB header (REDIS and a 4-digit version)");
    if (decoder.decode(magic.subarray(0, 5)) !== "REDIS") throw refuse("BAD_MAGIC", 0, "not an RDB file: it does not start with REDIS");
    const digits = decoder.decode(magic.subarray(5, 9));
    if (!/^[0-9]{4}$/.test(digits)) throw refuse("BAD_MAGIC", 5, `expected a 4-digit RDB version, found ${JSON.stringify(digits)}`);
    const version = Number(digits);
    if (version < 1 || version > MAX_RDB_FILE_VERSION) {
      throw refuse("UNSUPPORTED_VERSION", 5, `RDB version ${version} is not supported (1 to ${MAX_RDB_FILE_VERSION})`);
    }
    this.version = version;
    return { kind: "header", version };
  }

  private record(c: Cursor): Step {
    const base = this.window.base;
    const type = c.byte("an opcode or a value type");
    switch (type) {
      case RdbOpcode.EOF:
        return { size: c.at, eof: true };
      case RdbOpcode.SELECTDB:
        this.db = c.smallLength("a database number", base, MAX_DB);
        return { size: c.at };
      case RdbOpcode.RESIZEDB: {
        const keys = c.smallLength("RESIZEDB's key count", base);
        const expires = c.smallLength("RESIZEDB's expire count", base);
        return { size: c.at, record: { kind: "resizeDb", db: this.db, keys, expires } };
      }
      case RdbOpcode.EXPIRETIME_MS: {
        const b = c.bytes(8, "an expire time in ms (8 bytes)");
        this.hints.expireAtMs = Number(new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true));
        return { size: c.at };
      }
      case RdbOpcode.EXPIRETIME: {
        const b = c.bytes(4, "an expire time in seconds (4 bytes)");
        this.hints.expireAtMs = new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true) * 1000;
        return { size: c.at };
      }
      case RdbOpcode.FREQ:
        this.hints.lfuFrequency = c.byte("an LFU frequency byte");
        return { size: c.at };
      case RdbOpcode.IDLE:
        this.hints.idleSeconds = c.smallLength("an LRU idle time", base);
        return { size: c.at };
      case RdbOpcode.AUX: {
        const name = c.string("an AUX field name", base);
        const value = c.string("an AUX field value", base);
        return { size: c.at, record: { kind: "aux", name: decoder.decode(name), value } };
      }
      // Each record is read before `size` takes the cursor's position after it.
      case RdbOpcode.MODULE_AUX: {
        const record = this.moduleAux(c, base);
        return { size: c.at, record };
      }
      case RdbOpcode.FUNCTION2: {
        const code = c.string("a function library's code", base);
        return { size: c.at, record: { kind: "function", code } };
      }
      case RdbOpcode.FUNCTION_PRE_GA: {
        const record = this.preGaFunction(c, base);
        return { size: c.at, record };
      }
      default:
        if (!VALUE_TYPES.has(type)) {
          throw refuse("UNKNOWN_OPCODE", base, `expected an opcode or a value type, found 0x${type.toString(16).padStart(2, "0")}`);
        }
        return this.key(c, type, base);
    }
  }

  private key(c: Cursor, type: number, base: number): Step {
    const key = c.string("a key", base);
    const valueAt = c.at;
    const read = readRdbValue(c.buf, { offset: valueAt, type }, { maxDecodedBytes: this.maxDecodedBytes });
    if (!read.ok) {
      if (read.reason === "BAD_FORMAT" && isShortage(read.detail)) throw new NeedMore(`the value of a key of type ${type}`);
      const code = read.reason === "UNSUPPORTED_TYPE" ? "UNSUPPORTED_TYPE" : read.reason === "TOO_LARGE" ? "TOO_LARGE" : "BAD_FORMAT";
      throw refuse(code, base + valueAt, `the value of key ${JSON.stringify(decoder.decode(key))} (type ${type}): ${read.detail}`);
    }
    const { expireAtMs, idleSeconds, lfuFrequency } = this.hints;
    this.hints = {};
    const record: RdbRecord = {
      kind: "key",
      db: this.db,
      key,
      value: read.value,
      ...(expireAtMs !== undefined ? { expireAtMs } : {}),
      ...(idleSeconds !== undefined ? { idleSeconds } : {}),
      ...(lfuFrequency !== undefined ? { lfuFrequency } : {}),
    };
    return { size: read.next, record };
  }

  /** Skips a module's AUX data in its self-describing form (rdbLoadCheckModuleValue), as redis-check-rdb does. */
  private moduleAux(c: Cursor, base: number): RdbRecord {
    const id = c.length("a module id", base);
    const whenOpcodeAt = c.at;
    if (c.length("MODULE_AUX's when opcode", base) !== 2n) throw refuse("BAD_FORMAT", base + whenOpcodeAt, "MODULE_AUX: bad when opcode (expected 2, UINT)");
    c.length("MODULE_AUX's when", base);
    while (true) {
      const opcodeAt = c.at;
      const opcode = c.length("a module value opcode", base);
      if (opcode === 0n) break; // RDB_MODULE_OPCODE_EOF
      if (opcode === 1n || opcode === 2n) c.length("a module integer", base);
      else if (opcode === 3n) c.bytes(4, "a module float");
      else if (opcode === 4n) c.bytes(8, "a module double");
      else if (opcode === 5n) c.string("a module string", base);
      else throw refuse("BAD_FORMAT", base + opcodeAt, `unknown module value opcode ${opcode}`);
    }
    return { kind: "moduleAux", module: moduleName(id) };
  }

  /** The function format of Redis 7.0 rc1 and rc2, turned into a library's code as rdbFunctionLoad does. */
  private preGaFunction(c: Cursor, base: number): RdbRecord {
    const name = c.string("a library name", base);
    const engine = c.string("an engine name", base);
    const hasDescription = c.lengthField("a library description indicator", base);
    if (hasDescription !== 0n) c.string("a library description", base);
    const body = c.string("a library body", base);
    const code = concat([encoder.encode("#!"), cString(engine), encoder.encode(" name="), cString(name), encoder.encode("\n"), cString(body)]);
    return { kind: "function", code };
  }

  /** The checksum after EOF (version 5 and later), then nothing else unless allowed. */
  private async trailer(): Promise<RdbRecord> {
    let checksumVerified = false;
    if (this.version >= 5) {
      const w = this.window;
      if (!(await w.fill(8))) throw refuse("TRUNCATED", w.base + w.available, "the file ends inside the checksum (8 bytes after EOF)");
      const stored = w.buf.subarray(w.start, w.start + 8);
      const zero = stored.every((b) => b === 0);
      if (!zero) {
        if (!crc64EqualsLittleEndian(this.crc, w.buf, w.start)) throw refuse("CHECKSUM_MISMATCH", w.base, "checksum mismatch: the file is corrupt");
        checksumVerified = true;
      }
      w.consume(8);
    }
    if (!this.options.allowTrailingBytes && (await this.window.hasMore())) {
      throw refuse("TRAILING_BYTES", this.window.base, "unexpected bytes after the end of the RDB file");
    }
    return { kind: "end", bytes: this.window.base, checksumVerified };
  }
}

/** The records of the RDB file whose bytes `source` yields (see RdbFileReader). */
export function readRdbFile(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: RdbFileReaderOptions = {}): AsyncGenerator<RdbRecord, void, undefined> {
  return new RdbFileReader(source, options).records();
}
