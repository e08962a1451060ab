// A streaming writer of whole RDB files that redis-server 7.0 loads (rdb.c
// rdbSaveRio, version 10):
//
//   "REDIS0010"
//   AUX records         0xFA, name, value (RDB strings): redis-ver, redis-bits, ctime, used-mem, aof-base
//   FUNCTION2 records   0xF5, a library's whole source (before any database, as Redis saves them)
//   per database        0xFE SELECTDB, db; 0xFB RESIZEDB, keys, keys with a TTL (hints only)
//   per key             [0xFC EXPIRETIME_MS, Unix ms as int64 LE], type byte, key, value (rdb_value_writer.ts)
//   0xFF EOF, then the CRC-64 of every byte before it, 8 bytes little-endian
//
// Bytes are gathered into chunks of about CHUNK_BYTES (a bigger value goes as
// its own chunk, uncopied) and the checksum is updated chunk by chunk, so
// memory stays bounded by the largest single value whatever the file's size.
// A method that fills a chunk returns once the sink has taken it (a sink
// returning a promise applies backpressure); finish() hands over the rest. Redis loads keys as they come: the caller must not write the
// same key twice in a database (Redis 7.0 stops loading on a duplicate).
import { crc64Update, writeCrc64LittleEndian, type Crc64 } from "./crc64.ts";
import { RDB_OPCODE_FUNCTION2 } from "./function_payload.ts";
import { encodeLength, encodeRdbString } from "./rdb_string.ts";
import type { RdbValue } from "./rdb_value.ts";
import { writeRdbValue } from "./rdb_value_writer.ts";

/** The RDB version Redis 7.0 writes; every Redis from 7.0 on loads it. */
export const RDB_FILE_VERSION = 10;

export const RDB_OPCODE_AUX = 0xfa;
export const RDB_OPCODE_RESIZEDB = 0xfb;
export const RDB_OPCODE_EXPIRETIME_MS = 0xfc;
export const RDB_OPCODE_SELECTDB = 0xfe;
export const RDB_OPCODE_EOF = 0xff;

/** Bytes gathered before handing a chunk to the sink. */
export const CHUNK_BYTES = 64 * 1024;

/** Receives the file's bytes in order. A chunk is never reused by the writer after being handed over. */
export type RdbSink = (chunk: Uint8Array) => void | Promise<void>;

export interface RdbFileWriterOptions {
  /** The `redis-ver` AUX field (default "7.0.15", the version whose format this is). */
  readonly redisVersion?: string;
  /** The `ctime` AUX field, Unix seconds (default now). */
  readonly ctimeSeconds?: number;
  /** The `used-mem` AUX field, bytes (default 0: Materia's memory is not Redis's). */
  readonly usedMemory?: number;
  /**
   * How many databases the loading server has (default 16, Redis's `databases`):
   * Redis 7.0 exits on a SELECTDB beyond it, so such a database is refused here.
   */
  readonly databases?: number;
}

/** RESIZEDB's hints: Redis pre-sizes its tables with them; wrong values cost only rehashing. */
export interface RdbDbSizes {
  readonly keys: number;
  readonly expires: number;
}

export interface RdbFileSummary {
  readonly bytes: number;
  readonly keys: number;
  /** The CRC-64 written at the end. */
  readonly checksum: bigint;
}

const encoder = new TextEncoder();
const ascii = (text: string): Uint8Array => encoder.encode(text);

/** Whether a value would load as a key: Redis 7.0 skips empty collections on load (rdb.c, "skipping empty key"). */
function isEmptyCollection(value: RdbValue): boolean {
  switch (value.type) {
    case "string":
    case "stream":
      return false;
    case "list":
      return value.items.length === 0;
    case "hash":
      return value.fields.length === 0;
    case "set":
      return value.members.length === 0;
    case "zset":
      return value.entries.length === 0;
  }
}

type Phase = "header" | "functions" | "keys" | "finished";

export class RdbFileWriter {
  private readonly options: RdbFileWriterOptions;
  private readonly databases: number;
  private crc: Crc64 = { hi: 0, lo: 0 };
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private written = 0;
  private keys = 0;
  private phase: Phase = "header";
  private currentDb: number | undefined;
  private readonly selected = new Set<number>();
  /** Set when the sink failed: nothing more can be written after a lost chunk. */
  private failure: unknown;

  constructor(private readonly sink: RdbSink, options: RdbFileWriterOptions = {}) {
    this.options = options;
    this.databases = options.databases ?? 16;
    if (!Number.isSafeInteger(this.databases) || this.databases < 1) throw new RangeError(`databases must be a positive integer, got ${this.databases}`);
  }

  /** Bytes handed to the sink or waiting for the next chunk. */
  get bytesWritten(): number {
    return this.written + this.pendingBytes;
  }

  get keysWritten(): number {
    return this.keys;
  }

  /**
   * A function library's source ("#!lua name=..."), saved as FUNCTION2.
   * Libraries come before the first database, as Redis writes them.
   */
  async writeFunctionLibrary(code: Uint8Array): Promise<void> {
    this.ensureHeader();
    if (this.phase !== "functions") throw new Error("RDB writer: function libraries must come before the first database");
    this.push(Uint8Array.of(RDB_OPCODE_FUNCTION2));
    this.push(encodeRdbString(code));
    await this.flushIfFull();
  }

  /** Starts database `db`: the following keys belong to it. Each database once. */
  async selectDb(db: number, sizes: RdbDbSizes = { keys: 0, expires: 0 }): Promise<void> {
    this.ensureHeader();
    if (this.phase === "finished") throw new Error("RDB writer: already finished");
    if (!Number.isSafeInteger(db) || db < 0 || db >= this.databases) {
      throw new RangeError(`RDB writer: database ${db} is outside 0..${this.databases - 1}`);
    }
    if (this.selected.has(db)) throw new Error(`RDB writer: database ${db} was already written`);
    for (const n of [sizes.keys, sizes.expires]) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`RDB writer: bad RESIZEDB hint ${n}`);
    }
    this.selected.add(db);
    this.currentDb = db;
    this.phase = "keys";
    this.push(Uint8Array.of(RDB_OPCODE_SELECTDB));
    this.push(encodeLength(db));
    this.push(Uint8Array.of(RDB_OPCODE_RESIZEDB));
    this.push(encodeLength(sizes.keys));
    this.push(encodeLength(sizes.expires));
    await this.flushIfFull();
  }

  /**
   * One key of the current database. `expireAtMs` is its TTL as a Unix time in
   * ms; a past one is written as is (Redis drops the key when loading as a master).
   */
  async writeKey(key: Uint8Array, value: RdbValue, expireAtMs?: number): Promise<void> {
    if (this.phase === "finished") throw new Error("RDB writer: already finished");
    if (this.currentDb === undefined) throw new Error("RDB writer: selectDb before writing keys");
    if (isEmptyCollection(value)) throw new RangeError(`RDB writer: an empty ${value.type} is not a key (Redis would skip it on load)`);
    if (expireAtMs !== undefined && !Number.isSafeInteger(expireAtMs)) throw new RangeError(`RDB writer: expiry ${expireAtMs} is not an integer number of ms`);
    // Encoded before anything is pushed, so a value the encoder refuses leaves no partial record behind.
    const body = writeRdbValue(value);
    if (expireAtMs !== undefined) {
      const opcode = new Uint8Array(9);
      opcode[0] = RDB_OPCODE_EXPIRETIME_MS;
      new DataView(opcode.buffer).setBigInt64(1, BigInt(expireAtMs), true);
      this.push(opcode);
    }
    // The type byte leads the body; the key goes between it and the value.
    this.push(body.subarray(0, 1));
    this.push(encodeRdbString(key));
    this.push(body.subarray(1));
    this.keys++;
    await this.flushIfFull();
  }

  /** Writes EOF and the checksum and hands over the last chunk. Nothing can be written after. */
  async finish(): Promise<RdbFileSummary> {
    this.ensureHeader();
    if (this.phase === "finished") throw new Error("RDB writer: already finished");
    this.phase = "finished";
    this.push(Uint8Array.of(RDB_OPCODE_EOF));
    // The checksum covers everything up to and including EOF; the pending bytes are hashed by flush.
    await this.flush();
    const trailer = new Uint8Array(8);
    writeCrc64LittleEndian(this.crc, trailer, 0);
    await this.deliver(trailer, false);
    return { bytes: this.written, keys: this.keys, checksum: (BigInt(this.crc.hi) << 32n) | BigInt(this.crc.lo) };
  }

  private ensureHeader(): void {
    if (this.phase !== "header") return;
    this.phase = "functions";
    const options = this.options;
    this.push(ascii(`REDIS${String(RDB_FILE_VERSION).padStart(4, "0")}`));
    // rdbSaveInfoAuxFields' fields, integers as their decimal text (rdbSaveRawString then encodes them as integers).
    const aux: Array<[string, string]> = [
      ["redis-ver", options.redisVersion ?? "7.0.15"],
      ["redis-bits", "64"],
      ["ctime", String(options.ctimeSeconds ?? Math.floor(Date.now() / 1000))],
      ["used-mem", String(options.usedMemory ?? 0)],
      // Not the base of an AOF: a plain RDB file.
      ["aof-base", "0"],
    ];
    for (const [name, value] of aux) {
      this.push(Uint8Array.of(RDB_OPCODE_AUX));
      this.push(encodeRdbString(ascii(name)));
      this.push(encodeRdbString(ascii(value)));
    }
  }

  private push(bytes: Uint8Array): void {
    if (this.failure !== undefined) throw new Error("RDB writer: the sink failed earlier", { cause: this.failure });
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private async flushIfFull(): Promise<void> {
    if (this.pendingBytes >= CHUNK_BYTES) await this.flush();
  }

  /**
   * Hands the pending bytes to the sink, updating the checksum: small parts
   * gathered into one chunk, a part of CHUNK_BYTES or more (a big value) handed
   * over as it is, so a big value is never copied.
   */
  private async flush(): Promise<void> {
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let run: Uint8Array[] = [];
    let runBytes = 0;
    const deliverRun = async () => {
      if (runBytes === 0) return;
      const chunk = run.length === 1 ? run[0]! : new Uint8Array(runBytes);
      if (run.length > 1) {
        let at = 0;
        for (const part of run) {
          chunk.set(part, at);
          at += part.length;
        }
      }
      run = [];
      runBytes = 0;
      await this.deliver(chunk, true);
    };
    for (const part of parts) {
      if (part.length >= CHUNK_BYTES) {
        await deliverRun();
        await this.deliver(part, true);
      } else {
        run.push(part);
        runBytes += part.length;
      }
    }
    await deliverRun();
  }

  private async deliver(chunk: Uint8Array, checksummed: boolean): Promise<void> {
    if (checksummed) this.crc = crc64Update(this.crc, chunk);
    this.written += chunk.length;
    try {
      await this.sink(chunk);
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }
}
