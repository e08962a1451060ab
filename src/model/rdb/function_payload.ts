// The payload of FUNCTION DUMP and FUNCTION RESTORE (Redis 7.0: functions.c,
// rdbSaveFunctions and rdbFunctionLoad in rdb.c, verifyDumpPayload in
// cluster.c):
//
//   per library   0xF5 (RDB_OPCODE_FUNCTION2), RDB string of its whole source
//   footer        RDB version, 2 bytes little-endian (10 in Redis 7.0)
//                 CRC-64 of everything before it, 8 bytes little-endian
//
// RESTORE checks the footer first: at least 10 bytes, a version no higher
// than its own, the checksum. It then reads records while more than 10 bytes
// remain after its position, from the whole payload (so a record's string may
// run into the footer: Redis accepts that, and so does this reader). It also
// accepts the 7.0-rc format 0xF6 (RDB_OPCODE_FUNCTION): name, engine,
// a description flag (a length), the description if the flag is non-zero,
// and the body; the code is then "#!<engine> name=<name>\n<body>".
//
// Pure bytes: compiling and installing the libraries is the caller's.
import { crc64Update, crc64EqualsLittleEndian, writeCrc64LittleEndian } from "./crc64.ts";
import { encodeRdbString, readLengthField, readRdbString } from "./rdb_string.ts";

/** The RDB version Redis 7.0 writes, and the highest it restores. */
export const RDB_VERSION = 10;
export const RDB_OPCODE_FUNCTION2 = 0xf5;
/** The 7.0 rc1/rc2 record, still read by RESTORE. */
export const RDB_OPCODE_FUNCTION = 0xf6;

/** The reply to a payload whose footer fails: short, newer version, or wrong checksum. */
export const FUNCTION_PAYLOAD_CHECKSUM_ERROR = "ERR DUMP payload version or checksum are wrong";

const FOOTER = 10;

export interface EncodeFunctionPayloadOptions {
  /** rdbcompression (default true): LZF for codes longer than 20 bytes when it saves at least 4 bytes. */
  readonly compress?: boolean;
  /** The version written in the footer (default RDB_VERSION). */
  readonly rdbVersion?: number;
}

/** FUNCTION DUMP's payload for these library sources, in this order. */
export function encodeFunctionPayload(libraryCodes: readonly Uint8Array[], options: EncodeFunctionPayloadOptions = {}): Uint8Array {
  const records = libraryCodes.map((code) => encodeRdbString(code, { compress: options.compress ?? true }));
  let total = FOOTER;
  for (const record of records) total += 1 + record.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const record of records) {
    out[at++] = RDB_OPCODE_FUNCTION2;
    out.set(record, at);
    at += record.length;
  }
  const version = options.rdbVersion ?? RDB_VERSION;
  out[at++] = version & 0xff;
  out[at++] = (version >>> 8) & 0xff;
  writeCrc64LittleEndian(crc64Update({ hi: 0, lo: 0 }, out, 0, at), out, at);
  return out;
}

/** A payload read: the library sources in payload order, or the error line Redis answers. */
export type FunctionPayloadRead =
  | { readonly ok: true; readonly codes: Uint8Array[]; readonly rdbVersion: number }
  | { readonly ok: false; readonly checksum: boolean; readonly error: string };

export interface ReadFunctionPayloadOptions {
  /** Redis's skip_checksum_validation (DEBUG SET-SKIP-CHECKSUM-VALIDATION): the version is still checked. */
  readonly skipChecksum?: boolean;
}

const enc = new TextEncoder();

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

/** `bytes` up to its first NUL byte. */
function cString(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/**
 * Reads a FUNCTION RESTORE payload as Redis 7.0 does, to the library sources. On failure,
 * `error` is Redis's reply (with its ERR prefix) and `checksum` tells the footer's failure
 * from a record's.
 */
export function readFunctionPayload(payload: Uint8Array, options: ReadFunctionPayloadOptions = {}): FunctionPayloadRead {
  const checksumFailure = { ok: false, checksum: true, error: FUNCTION_PAYLOAD_CHECKSUM_ERROR } as const;
  const length = payload.length;
  if (length < FOOTER) return checksumFailure;
  const footer = length - FOOTER;
  const rdbVersion = payload[footer]! | (payload[footer + 1]! << 8);
  if (rdbVersion > RDB_VERSION) return checksumFailure;
  if (!options.skipChecksum && !crc64EqualsLittleEndian(crc64Update({ hi: 0, lo: 0 }, payload, 0, length - 8), payload, length - 8)) {
    return checksumFailure;
  }
  const recordFailure = (message: string) => ({ ok: false, checksum: false, error: `ERR ${message}` }) as const;
  const codes: Uint8Array[] = [];
  let at = 0;
  while (length - at > FOOTER) {
    const type = payload[at++]!;
    if (type === RDB_OPCODE_FUNCTION2) {
      const code = readRdbString(payload, at);
      if (!code.ok) return recordFailure("Failed loading library payload");
      codes.push(code.value);
      at = code.next;
    } else if (type === RDB_OPCODE_FUNCTION) {
      const name = readRdbString(payload, at);
      if (!name.ok) return recordFailure("Failed loading library name");
      const engine = readRdbString(payload, name.next);
      if (!engine.ok) return recordFailure("Failed loading engine name");
      // rdbLoadLen with no isencoded: a special-encoding byte 11xxxxxx reads as its 6 low bits.
      const hasDescription = readLengthField(payload, engine.next);
      // RDB_LENERR is 2^64 - 1: that length read as a failure too.
      if (!hasDescription.ok || hasDescription.value.value === 0xffffffffffffffffn) return recordFailure("Failed loading library description indicator");
      let next = hasDescription.next;
      if (hasDescription.value.value !== 0n) {
        const description = readRdbString(payload, next);
        if (!description.ok) return recordFailure("Failed loading library description");
        next = description.next;
      }
      const body = readRdbString(payload, next);
      if (!body.ok) return recordFailure("Failed loading library blob");
      // sdscatfmt("#!%s name=%s\n%s"): %s takes C strings, so each part ends at its first NUL byte.
      codes.push(concat([enc.encode("#!"), cString(engine.value), enc.encode(" name="), cString(name.value), enc.encode("\n"), cString(body.value)]));
      at = body.next;
    } else {
      return recordFailure("given type is not a function");
    }
  }
  return { ok: true, codes, rdbVersion };
}

/** The library sources of a FUNCTION DUMP payload, or undefined when Redis would refuse it. */
export function decodeFunctionPayload(payload: Uint8Array): Uint8Array[] | undefined {
  const read = readFunctionPayload(payload);
  return read.ok ? read.codes : undefined;
}
