// OBJECT ENCODING and MEMORY USAGE: what Redis would report, derived from the
// meta, the cardinality counter and small bounded reads of members.
//
// Encodings follow Redis 7.0's rules by size and content (strings: int,
// embstr up to 44 bytes, raw; lists: quicklist; hashes: listpack up to 512
// entries of at most 64 bytes, else hashtable; sets: intset up to 512
// integers, else hashtable). Redis also remembers history (APPEND makes a
// string raw; a hash or set never converts back after shrinking); Materia
// answers from the value as it is now.
import { readCardinality } from "./collections.ts";
import { concatBytes, keyAfter } from "../engine/bytes.ts";
import type { ReadTxn } from "../engine/contract.ts";
import { unpackTuple } from "../engine/tuple.ts";
import { lookupSilently } from "./db.ts";
import { parseInt64 } from "./integers.ts";
import type { Keyspace } from "./keyspace.ts";
import { STRING_CHUNK_BYTES } from "./limits.ts";
import { encodeMeta, FLAG_INLINE, KeyType, type Meta } from "./meta.ts";
import { decodeHeader } from "./stream_layout.ts";
import { stringLength } from "./strings.ts";

/** Redis 7.0 defaults (hash-max-listpack-*, set-max-intset-entries, zset-max-listpack-*, OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const HASH_LISTPACK_ENTRIES = 512;
const HASH_LISTPACK_VALUE = 64;
const SET_INTSET_ENTRIES = 512;
const ZSET_LISTPACK_ENTRIES = 128;
const ZSET_LISTPACK_VALUE = 64;
const EMBSTR_LIMIT = 44;

/** Redis shares the integers 0..9999 (OBJ_SHARED_INTEGERS); their refcount reads as INT_MAX. */
const SHARED_INTEGERS = 10_000n;
const SHARED_REFCOUNT = 2147483647;

/** The sub-key codes of members other than the cardinality counter (tuple null is 0x00). */
const FIRST_MEMBER_CODE = new Uint8Array([0x01]);
const AFTER_MEMBER_CODES = new Uint8Array([0xff]);

const PAGE = 128;

/** OBJECT ENCODING: the encoding name, or undefined when the key is missing. */
export async function objectEncoding(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<string | undefined> {
  const meta = await lookupSilently(tx, ks, key, nowMs);
  if (meta === undefined) return undefined;
  switch (meta.type) {
    case KeyType.String:
      return stringEncoding(meta);
    case KeyType.List:
      return "quicklist";
    case KeyType.Hash:
      return (await membersFit(tx, ks, key, meta, { maxEntries: HASH_LISTPACK_ENTRIES, fits: (f, v) => f.length <= HASH_LISTPACK_VALUE && v.length <= HASH_LISTPACK_VALUE }))
        ? "listpack"
        : "hashtable";
    case KeyType.Set:
      return (await membersFit(tx, ks, key, meta, { maxEntries: SET_INTSET_ENTRIES, fits: (member) => parseInt64(member) !== undefined }))
        ? "intset"
        : "hashtable";
    case KeyType.ZSet:
      return (await membersFit(tx, ks, key, meta, { maxEntries: ZSET_LISTPACK_ENTRIES, fits: (member) => member.length <= ZSET_LISTPACK_VALUE }))
        ? "listpack"
        : "skiplist";
    case KeyType.Stream:
      return "stream";
  }
}

/** OBJECT REFCOUNT: 1, or INT_MAX for the small integers Redis shares; undefined when missing. */
export async function objectRefcount(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<number | undefined> {
  const meta = await lookupSilently(tx, ks, key, nowMs);
  if (meta === undefined) return undefined;
  if (meta.type === KeyType.String && meta.flags & FLAG_INLINE) {
    const value = parseInt64(meta.body);
    if (value !== undefined && value >= 0n && value < SHARED_INTEGERS) return SHARED_REFCOUNT;
  }
  return 1;
}

function stringEncoding(meta: Meta): string {
  if (!(meta.flags & FLAG_INLINE)) return "raw";
  if (parseInt64(meta.body) !== undefined) return "int";
  // PFADD and PFMERGE build their strings raw, however short (a sparse HyperLogLog fits in an embstr's size).
  if (isHyperLogLog(meta.body)) return "raw";
  return meta.body.length <= EMBSTR_LIMIT ? "embstr" : "raw";
}

/** A HyperLogLog's header: "HYLL", its encoding (0 dense, 1 sparse), three zero bytes, then the cached cardinality. */
const HLL_HEADER_BYTES = 16;

function isHyperLogLog(body: Uint8Array): boolean {
  return body.length >= HLL_HEADER_BYTES && body[0] === 0x48 && body[1] === 0x59 && body[2] === 0x4c && body[3] === 0x4c &&
    body[4]! <= 1 && body[5] === 0 && body[6] === 0 && body[7] === 0;
}

/** Members of one generation, without the cardinality counter. */
function memberRange(ks: Keyspace, key: Uint8Array, gen: number): { start: Uint8Array; end: Uint8Array } {
  const prefix = ks.memberPrefixOf(key, gen);
  return { start: concatBytes(prefix, FIRST_MEMBER_CODE), end: concatBytes(prefix, AFTER_MEMBER_CODES) };
}

/**
 * Whether a small collection keeps Redis's compact encoding: at most
 * `maxEntries` members (from the counter), each passing `fits`. Reads at most
 * `maxEntries` members, in pages, stopping at the first that does not fit.
 */
async function membersFit(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  meta: Meta,
  rule: { readonly maxEntries: number; readonly fits: (member: Uint8Array, value: Uint8Array) => boolean },
): Promise<boolean> {
  if ((await readCardinality(tx, ks, key, meta.gen)) > rule.maxEntries) return false;
  // Fields and set members only: a hash keeps a long value's further chunks in another sub-space.
  const range = ks.fieldsRange(key, meta.gen);
  let start = range.start;
  for (let seen = 0; seen <= rule.maxEntries;) {
    const entries = await tx.getRange({ start, end: range.end }, { limit: PAGE });
    for (const entry of entries) {
      const member = ks.fieldOf(entry.key, key, meta.gen);
      if (!rule.fits(member, entry.value)) return false;
    }
    seen += entries.length;
    const last = entries[entries.length - 1];
    if (entries.length < PAGE || last === undefined) return seen <= rule.maxEntries;
    start = keyAfter(last.key);
  }
  return false;
}

export interface UsageOptions {
  readonly nowMs: number;
  /** Members read to estimate the average member size; 0 reads up to MAX_SAMPLES. */
  readonly samples: number;
}

/** MEMORY USAGE reads at most this many members; bigger collections are extrapolated. */
export const MAX_SAMPLES = 10_000;

/**
 * MEMORY USAGE: the bytes the key takes in storage: its name, its meta
 * record, and its members (engine keys and values). Large collections are
 * estimated from a sample of members and the cardinality counter (or, for
 * lists, the span of item indexes). Undefined when the key is missing.
 */
export async function memoryUsage(tx: ReadTxn, ks: Keyspace, key: Uint8Array, options: UsageOptions): Promise<number | undefined> {
  const meta = await lookupSilently(tx, ks, key, options.nowMs);
  if (meta === undefined) return undefined;
  const metaBytes = ks.metaKey(key).length + encodeMeta(meta).length;
  if (meta.type === KeyType.String) {
    if (meta.flags & FLAG_INLINE) return metaBytes;
    const length = stringLength(meta);
    const chunks = Math.ceil(length / STRING_CHUNK_BYTES);
    return metaBytes + length + chunks * (ks.indexKey(key, meta.gen, chunks).length);
  }
  const limit = options.samples === 0 || options.samples > MAX_SAMPLES ? MAX_SAMPLES : options.samples;
  const range = memberRange(ks, key, meta.gen);
  const sample = await tx.getRange(range, { limit });
  let sampleBytes = 0;
  for (const { key: k, value } of sample) sampleBytes += k.length + value.length;
  const counter = await readCardinality(tx, ks, key, meta.gen);
  const counterBytes = counter > 0 ? ks.cardinalityKey(key, meta.gen).length + 8 : 0;
  if (sample.length < limit || sample.length === 0) return metaBytes + counterBytes + sampleBytes;
  let count = counter;
  // Stream entries are keyed by id, not by index: their count is in the header.
  if (count === 0 && meta.type === KeyType.Stream) count = decodeHeader(meta.body).length;
  if (count === 0) count = await listSpan(tx, ks, { key, gen: meta.gen, first: sample[0]!.key }) ?? sample.length;
  return Math.round(metaBytes + counterBytes + (sampleBytes / sample.length) * Math.max(count, sample.length));
}

/** For members keyed by integer index (lists): last index - first index + 1. */
async function listSpan(tx: ReadTxn, ks: Keyspace, at: { readonly key: Uint8Array; readonly gen: number; readonly first: Uint8Array }): Promise<number | undefined> {
  const [last] = await tx.getRange(memberRange(ks, at.key, at.gen), { limit: 1, reverse: true });
  if (last === undefined) return undefined;
  const firstIndex = indexOf(ks, at, at.first);
  const lastIndex = indexOf(ks, at, last.key);
  return firstIndex === undefined || lastIndex === undefined ? undefined : lastIndex - firstIndex + 1;
}

function indexOf(ks: Keyspace, at: { readonly key: Uint8Array; readonly gen: number }, memberKey: Uint8Array): number | undefined {
  const [index] = unpackTuple(memberKey.subarray(ks.memberPrefixOf(at.key, at.gen).length));
  return typeof index === "number" ? index : typeof index === "bigint" ? Number(index) : undefined;
}
