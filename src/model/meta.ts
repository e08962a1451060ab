// The meta record of a key: its type, expiry and generation, plus a
// type-specific body (for strings: the value inline, or the length of a
// chunked value). One point read answers TYPE, EXISTS, TTL and small GETs.
//
// Layout (little-endian):
//   0      format version (1)
//   1      type
//   2      flags
//   3      reserved
//   4..11  expireAt, ms since the epoch as float64; 0 = no expiry
//   12..19 generation (float64 holding an integer)
//   20..   body

import { readFloat64LE, writeFloat64LE } from "../engine/little_endian.ts";

export const enum KeyType {
  String = 0,
  List = 1,
  Hash = 2,
  Set = 3,
  ZSet = 4,
  Stream = 5,
}

export const TYPE_NAMES: Readonly<Record<KeyType, string>> = {
  [KeyType.String]: "string",
  [KeyType.List]: "list",
  [KeyType.Hash]: "hash",
  [KeyType.Set]: "set",
  [KeyType.ZSet]: "zset",
  [KeyType.Stream]: "stream",
};

export function typeFromName(name: string): KeyType | undefined {
  for (const [type, typeName] of Object.entries(TYPE_NAMES)) {
    if (typeName === name) return Number(type) as KeyType;
  }
  return undefined;
}

/** Flag: the body holds the whole string value. Otherwise it holds a chunked value's length. */
export const FLAG_INLINE = 1;

/** Flag of a hash: some field may carry a TTL (hash_field_ttl.ts). Without it, reads never look for field TTLs. */
export const FLAG_FIELD_TTL = 2;

const FORMAT_VERSION = 1;
const HEADER_BYTES = 20;

export interface Meta {
  readonly type: KeyType;
  readonly flags: number;
  /** Absolute expiry in ms since the epoch; 0 means none. */
  readonly expireAt: number;
  readonly gen: number;
  readonly body: Uint8Array;
}

export function encodeMeta(meta: Meta): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + meta.body.length);
  out[0] = FORMAT_VERSION;
  out[1] = meta.type;
  out[2] = meta.flags;
  writeFloat64LE(out, 4, meta.expireAt);
  writeFloat64LE(out, 12, meta.gen);
  out.set(meta.body, HEADER_BYTES);
  return out;
}

export function decodeMeta(bytes: Uint8Array): Meta {
  if (bytes.length < HEADER_BYTES || bytes[0] !== FORMAT_VERSION) {
    throw new Error(`meta record has unknown format ${bytes[0]} (length ${bytes.length}); the data was written by a newer Materia`);
  }
  return {
    type: bytes[1] as KeyType,
    flags: bytes[2]!,
    expireAt: readFloat64LE(bytes, 4),
    gen: readFloat64LE(bytes, 12),
    // A copy rather than a view: on Bun, slice costs about half of subarray for a short body.
    body: bytes.slice(HEADER_BYTES),
  };
}

/** Reads only the type and expiry: SCAN and KEYS do this for every key. */
export function peekTypeAndExpiry(bytes: Uint8Array): { type: KeyType; expireAt: number } {
  return { type: bytes[1] as KeyType, expireAt: readFloat64LE(bytes, 4) };
}

/** Redis keeps a key alive through its expiry millisecond: it is gone once now > expireAt. */
export function isExpired(expireAt: number, nowMs: number): boolean {
  return expireAt !== 0 && expireAt < nowMs;
}
