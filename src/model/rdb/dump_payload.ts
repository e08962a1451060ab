// The payload of DUMP and RESTORE (Redis 7.0 cluster.c: createDumpPayload,
// verifyDumpPayload, restoreCommand):
//
//   RDB type byte | RDB-encoded value | RDB version, u16 LE | CRC-64 of all before it, u64 LE
//
// Written with version 10 (Redis 7.0), using only 7.0's type codes, so Redis
// 7.0 and every later version restore it. Read: any version up to 11 (7.2),
// whose extra encodings (listpack sets, stream v3) the value reader knows; a
// newer version, a short payload or a wrong checksum (a zero one included)
// is refused as Redis refuses it.
import { crc64EqualsLittleEndian, crc64Update, writeCrc64LittleEndian } from "./crc64.ts";
import type { RdbValue } from "./rdb_value.ts";
import { readRdbValue, type ReadValueOptions, type RdbValueFailure } from "./rdb_value_reader.ts";
import { writeRdbValue } from "./rdb_value_writer.ts";

/** The version DUMP writes (Redis 7.0's RDB_VERSION). */
export const DUMP_RDB_VERSION = 10;
/** The newest version RESTORE reads: 7.2's, whose encodings the reader knows. */
export const MAX_RESTORE_RDB_VERSION = 11;

const FOOTER = 10;

/** DUMP's payload of `value`. */
export function encodeDumpPayload(value: RdbValue): Uint8Array {
  const body = writeRdbValue(value);
  const out = new Uint8Array(body.length + FOOTER);
  out.set(body);
  out[body.length] = DUMP_RDB_VERSION & 0xff;
  out[body.length + 1] = DUMP_RDB_VERSION >>> 8;
  writeCrc64LittleEndian(crc64Update({ hi: 0, lo: 0 }, out, 0, body.length + 2), out, body.length + 2);
  return out;
}

export type DumpPayloadRead =
  | { readonly ok: true; readonly value: RdbValue }
  | { readonly ok: false; readonly reason: "CHECKSUM" }
  | RdbValueFailure;

/** Whether the footer is sound: long enough, a version this reader knows, the right checksum. */
export function verifyDumpPayload(payload: Uint8Array): boolean {
  if (payload.length < FOOTER) return false;
  const footer = payload.length - FOOTER;
  const version = payload[footer]! | (payload[footer + 1]! << 8);
  if (version > MAX_RESTORE_RDB_VERSION) return false;
  return crc64EqualsLittleEndian(crc64Update({ hi: 0, lo: 0 }, payload, 0, payload.length - 8), payload, payload.length - 8);
}

/**
 * The value of a RESTORE payload. Like Redis, only the value's own bytes are
 * read: what follows it is not looked at.
 */
export function readDumpPayload(payload: Uint8Array, options: ReadValueOptions = {}): DumpPayloadRead {
  if (!verifyDumpPayload(payload)) return { ok: false, reason: "CHECKSUM" };
  // Redis reads the value from the whole payload, so a corrupt value may run into the footer unnoticed; so does this.
  const read = readRdbValue(payload, { offset: 1, type: payload[0]! }, options);
  return read.ok ? { ok: true, value: read.value } : read;
}
