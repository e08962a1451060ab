// How a stream lies in the engine (data-model.md's conventions: the meta
// under `m`, members under `d <key> <gen>`):
//
//   meta body (StreamHeader, 72 bytes)    length, last id, first id,
//                                         max deleted id, entries added,
//                                         consumer groups
//   d <key> <gen> <ms> <seq>              one entry: its fields and values
//   d <key> <gen> "o" <ms> <seq> <n>      continuation chunks of a large entry
//   d <key> <gen> "g" ...                 consumer groups (stream_group_layout.ts)
//
// Entry keys are tuple integers, so they sort by id (ms, then seq) and a
// range of ids is one range of engine keys: XADD writes one key, XRANGE and
// XREAD read a range, XTRIM clears one. Continuation chunks sit in a space of
// their own (tuple strings sort before integers), so a range read over entries
// returns exactly one engine pair per entry, and COUNT is a range limit.
//
// The header is in the meta rather than in atomic-add counters: XADD must
// read the last id anyway (ids only grow), so producers of one stream
// serialise on it whatever we do, and rewriting the meta on each write is
// what wakes blocked readers on other servers (core/remote_wake.ts watches
// meta keys). XLEN and XINFO read it in one point read.
import { concatBytes, keyAfter } from "../engine/bytes.ts";
import type { KeyRange } from "../engine/contract.ts";
import { packTuple, unpackTuple, type TupleItem } from "../engine/tuple.ts";
import type { Keyspace } from "./keyspace.ts";
import { STRING_CHUNK_BYTES } from "./limits.ts";
import { MIN_ID, type StreamId } from "./stream_id.ts";

/** What XLEN and (later) XINFO STREAM answer from, kept in the meta body. */
export interface StreamHeader {
  readonly length: number;
  /** The last id generated (XSETID may move it back, never below the last entry). */
  readonly lastId: StreamId;
  /** The first entry's id, 0-0 when empty (XINFO's recorded-first-entry-id). */
  readonly firstId: StreamId;
  /** The greatest id XDEL removed (XSETID MAXDELETEDID may set it): consumer-group lag needs it. */
  readonly maxDeletedId: StreamId;
  /** Entries ever added (XSETID ENTRIESADDED may set it). */
  readonly entriesAdded: bigint;
  /**
   * Consumer groups: XINFO STREAM counts them in O(1), and creating or
   * destroying one rewrites the meta, which wakes consumers blocked on
   * other servers (XGROUP DESTROY answers them NOGROUP).
   */
  readonly groups: number;
}

export const EMPTY_HEADER: StreamHeader = { length: 0, lastId: MIN_ID, firstId: MIN_ID, maxDeletedId: MIN_ID, entriesAdded: 0n, groups: 0 };

/** Headers written before consumer groups existed end after entries-added; they have no groups. */
const HEADER_BYTES_BEFORE_GROUPS = 64;
const HEADER_BYTES = 72;

export function encodeHeader(header: StreamHeader): Uint8Array {
  // A view over an ArrayBuffer made here: asking a new small Uint8Array for its .buffer costs more than the encoding.
  const buffer = new ArrayBuffer(HEADER_BYTES);
  const body = new Uint8Array(buffer);
  const view = new DataView(buffer);
  view.setBigUint64(0, BigInt(header.length), true);
  view.setBigUint64(8, header.lastId.ms, true);
  view.setBigUint64(16, header.lastId.seq, true);
  view.setBigUint64(24, header.firstId.ms, true);
  view.setBigUint64(32, header.firstId.seq, true);
  view.setBigUint64(40, header.maxDeletedId.ms, true);
  view.setBigUint64(48, header.maxDeletedId.seq, true);
  view.setBigUint64(56, header.entriesAdded, true);
  view.setBigUint64(64, BigInt(header.groups), true);
  return body;
}

/** decodeHeader reads through this copy rather than a DataView over each body (see encodeHeader). */
const HEADER_SCRATCH_BUFFER = new ArrayBuffer(HEADER_BYTES);
const HEADER_SCRATCH = new Uint8Array(HEADER_SCRATCH_BUFFER);
const HEADER_SCRATCH_VIEW = new DataView(HEADER_SCRATCH_BUFFER);

export function decodeHeader(body: Uint8Array): StreamHeader {
  if (body.length < HEADER_BYTES_BEFORE_GROUPS) throw new Error(`stream header of ${body.length} bytes: the stream's meta is corrupt`);
  // A header from before consumer groups is shorter: what it lacks reads as 0.
  if (body.length < HEADER_BYTES) HEADER_SCRATCH.fill(0);
  HEADER_SCRATCH.set(body.length > HEADER_BYTES ? body.subarray(0, HEADER_BYTES) : body);
  const view = HEADER_SCRATCH_VIEW;
  const id = (at: number): StreamId => ({ ms: view.getBigUint64(at, true), seq: view.getBigUint64(at + 8, true) });
  return {
    length: Number(view.getBigUint64(0, true)),
    lastId: id(8),
    firstId: id(24),
    maxDeletedId: id(40),
    entriesAdded: view.getBigUint64(56, true),
    groups: Number(view.getBigUint64(64, true)),
  };
}

/** Tuple integers are numbers when safe (the common case: ms since the epoch), bigints beyond. */
export function tupleInteger(value: bigint): number | bigint {
  return value <= 9007199254740991n ? Number(value) : value;
}

const OVERFLOW = "o";
/** The continuation space (tuple string "o"): before every entry key, as tuple strings sort before integers. */
const OVERFLOW_SPACE = packTuple([OVERFLOW]);
/** Past every non-negative tuple integer of up to 8 bytes (codes 0x14-0x1c): the end of the entries. */
const AFTER_INTEGERS = new Uint8Array([0x1d]);
const LAST_BYTE = new Uint8Array([0xff]);

/** Where the entries of one generation of one stream are: keys relative to its member prefix. */
export class StreamKeys {
  readonly prefix: Uint8Array;

  constructor(ks: Keyspace, key: Uint8Array, gen: number) {
    this.prefix = ks.memberPrefixOf(key, gen);
  }

  entryKey(id: StreamId): Uint8Array {
    return concatBytes(this.prefix, packTuple([tupleInteger(id.ms), tupleInteger(id.seq)]));
  }

  /** The id of an entry key read from entriesBetween. */
  idOf(entryKey: Uint8Array): StreamId {
    const [ms, seq] = unpackTuple(entryKey.subarray(this.prefix.length)) as [TupleItem, TupleItem];
    return { ms: BigInt(ms as number | bigint), seq: BigInt(seq as number | bigint) };
  }

  /** Entries with ids in [from, to], both included. */
  entriesBetween(from: StreamId, to: StreamId): KeyRange {
    return { start: this.entryKey(from), end: keyAfter(this.entryKey(to)) };
  }

  /** Every entry, and nothing else of the stream. */
  get allEntries(): KeyRange {
    return { start: this.entryKey(MIN_ID), end: concatBytes(this.prefix, AFTER_INTEGERS) };
  }

  /** Continuation chunk `n` (1, 2...) of a large entry. */
  chunkKey(id: StreamId, n: number): Uint8Array {
    return concatBytes(this.prefix, packTuple([OVERFLOW, tupleInteger(id.ms), tupleInteger(id.seq), n]));
  }

  /** The continuation chunks of one entry. */
  chunksOf(id: StreamId): KeyRange {
    const head = concatBytes(this.prefix, packTuple([OVERFLOW, tupleInteger(id.ms), tupleInteger(id.seq)]));
    return { start: head, end: concatBytes(head, LAST_BYTE) };
  }

  /** The continuation chunks of every entry before `id` (all when undefined): what a trim of the head clears. */
  chunksBefore(id: StreamId | undefined): KeyRange {
    const start = concatBytes(this.prefix, OVERFLOW_SPACE);
    if (id === undefined) return { start, end: concatBytes(this.prefix, OVERFLOW_SPACE, LAST_BYTE) };
    return { start, end: this.chunksOf(id).start };
  }
}

/** An entry's fields and values, flat: field, value, field, value... */
export type EntryFields = readonly Uint8Array[];

/** Entries up to this size are one engine value; larger ones continue in chunks of this size (FoundationDB: values ≤ 100 kB). */
export const ENTRY_CHUNK_BYTES = STRING_CHUNK_BYTES;

const WHOLE = 0;
const SPLIT = 1;
const SPLIT_HEADER_BYTES = 5;

/** fields as one payload: pair count, then each string as a 32-bit length and its bytes. */
function encodeFields(fields: EntryFields): Uint8Array {
  let size = 4;
  for (const f of fields) size += 4 + f.length;
  const buffer = new ArrayBuffer(size);
  const out = new Uint8Array(buffer);
  const view = new DataView(buffer);
  view.setUint32(0, fields.length / 2, true);
  let at = 4;
  for (const f of fields) {
    view.setUint32(at, f.length, true);
    out.set(f, at + 4);
    at += 4 + f.length;
  }
  return out;
}

function decodeFields(payload: Uint8Array): Uint8Array[] {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = view.getUint32(0, true) * 2;
  const fields: Uint8Array[] = new Array(count);
  let at = 4;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(at, true);
    fields[i] = payload.slice(at + 4, at + 4 + length);
    at += 4 + length;
  }
  return fields;
}

/** The engine writes of one entry: its own key, plus continuation chunks when it is large. */
export function entryWrites(keys: StreamKeys, id: StreamId, fields: EntryFields): Array<readonly [Uint8Array, Uint8Array]> {
  const payload = encodeFields(fields);
  if (payload.length <= ENTRY_CHUNK_BYTES) {
    const value = new Uint8Array(1 + payload.length);
    value[0] = WHOLE;
    value.set(payload, 1);
    return [[keys.entryKey(id), value]];
  }
  const first = new Uint8Array(SPLIT_HEADER_BYTES + ENTRY_CHUNK_BYTES);
  first[0] = SPLIT;
  new DataView(first.buffer).setUint32(1, payload.length, true);
  first.set(payload.subarray(0, ENTRY_CHUNK_BYTES), SPLIT_HEADER_BYTES);
  const writes: Array<readonly [Uint8Array, Uint8Array]> = [[keys.entryKey(id), first]];
  for (let n = 1, at = ENTRY_CHUNK_BYTES; at < payload.length; n++, at += ENTRY_CHUNK_BYTES) {
    writes.push([keys.chunkKey(id, n), payload.subarray(at, at + ENTRY_CHUNK_BYTES)]);
  }
  return writes;
}

/** True when an entry's stored value says it continues in chunks. */
export function isSplit(stored: Uint8Array): boolean {
  return stored[0] === SPLIT;
}

/** The fields of an entry from its stored value, and its continuation chunks in order when it is split. */
export function decodeEntry(stored: Uint8Array, chunks: readonly Uint8Array[] = []): Uint8Array[] {
  if (stored[0] === WHOLE) return decodeFields(stored.subarray(1));
  const total = new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getUint32(1, true);
  const payload = new Uint8Array(total);
  payload.set(stored.subarray(SPLIT_HEADER_BYTES), 0);
  let at = stored.length - SPLIT_HEADER_BYTES;
  for (const chunk of chunks) {
    payload.set(chunk, at);
    at += chunk.length;
  }
  if (at !== total) throw new Error(`stream entry has ${at} of ${total} bytes: its chunks are missing`);
  return decodeFields(payload);
}
