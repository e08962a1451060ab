// Reads one RDB-encoded value (rdb.c rdbLoadObject) into a neutral RdbValue,
// from every encoding Redis 1.x to 7.2 writes for the types Materia has:
// strings; lists as linked lists, ziplists, quicklists of ziplists (v1) or of
// listpacks and plain nodes (v2); sets as plain sets, intsets and listpacks
// (7.2); sorted sets as old zsets (text scores), zset2 (binary scores),
// ziplists and listpacks; hashes as plain hashes, zipmaps, ziplists and
// listpacks; streams as listpacks v1 (6.x), v2 (7.0) and v3 (7.2).
//
// Untrusted input: every length is checked against the bytes that remain
// before anything is allocated for it, every container is decoded whole and
// checked (sizes, terminators, order, duplicates, empty values), and the
// bytes decoded in all (LZF expands) are bounded by `maxDecodedBytes`.
import { UINT64_MAX, compareIds, type StreamId } from "../stream_id.ts";
import { parseScore } from "../score_text.ts";
import { canonicalInt64 } from "./canonical_integer.ts";
import { decodeIntset } from "./intset.ts";
import { decodeListpack, elementBytes, type ListpackElement } from "./listpack.ts";
import { readLength64, readLengthField, readRdbString } from "./rdb_string.ts";
import { RdbType, type RdbConsumer, type RdbPendingEntry, type RdbStream, type RdbStreamEntry, type RdbStreamGroup, type RdbValue, type ScoredMember } from "./rdb_value.ts";
import { decodeZiplist } from "./ziplist.ts";
import { decodeZipmap } from "./zipmap.ts";

/** Why a value could not be read: malformed, of a type Materia has not, or larger than allowed. */
export type RdbValueFailure = { readonly ok: false; readonly reason: "BAD_FORMAT" | "UNSUPPORTED_TYPE" | "TOO_LARGE"; readonly detail: string };

export type RdbValueRead = { readonly ok: true; readonly value: RdbValue; readonly next: number } | RdbValueFailure;

export interface ReadValueOptions {
  /** Most bytes of strings and containers decoded in all (default 64 MB); beyond it, TOO_LARGE. */
  readonly maxDecodedBytes?: number;
}

export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024;

class Failure extends Error {
  constructor(readonly reason: RdbValueFailure["reason"], detail: string) {
    super(detail);
  }
}

const bad = (detail: string): Failure => new Failure("BAD_FORMAT", detail);

/** A position in the payload, with the decoding budget. */
class Cursor {
  private budget: number;
  constructor(private readonly buf: Uint8Array, public at: number, maxDecodedBytes: number) {
    this.budget = maxDecodedBytes;
  }

  byte(): number {
    if (this.at >= this.buf.length) throw bad("truncated");
    return this.buf[this.at++]!;
  }

  bytes(n: number): Uint8Array {
    if (n > this.buf.length - this.at) throw bad("truncated");
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  length64(): bigint {
    const read = readLength64(this.buf, this.at);
    if (!read.ok) throw bad(read.error);
    this.at = read.next;
    return read.value;
  }

  /** A count of things that each take at least one byte: more than the bytes left is a lie. */
  count(): number {
    const n = this.length64();
    if (n > BigInt(this.buf.length - this.at)) throw bad(`count ${n} exceeds the payload`);
    return Number(n);
  }

  string(): Uint8Array {
    // An LZF string's declared length is checked against the budget before it is allocated.
    const field = readLengthField(this.buf, this.at);
    if (field.ok && field.value.encoded && field.value.value === 3n) {
      const compressed = readLength64(this.buf, field.next);
      const original = compressed.ok ? readLength64(this.buf, compressed.next) : undefined;
      if (original?.ok && original.value > BigInt(this.budget)) throw new Failure("TOO_LARGE", "decoded value too large");
    }
    const read = readRdbString(this.buf, this.at);
    if (!read.ok) throw bad(read.error);
    this.spend(read.value.length);
    this.at = read.next;
    return read.value;
  }

  spend(n: number): void {
    this.budget -= n;
    if (this.budget < 0) throw new Failure("TOO_LARGE", "decoded value too large");
  }

  float64(): number {
    const b = this.bytes(8);
    return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
  }

  uint64le(): bigint {
    const b = this.bytes(8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  }
}

function listpack(blob: Uint8Array): ListpackElement[] {
  try {
    return decodeListpack(blob);
  } catch (e) {
    throw bad(`listpack: ${(e as Error).message}`);
  }
}

function ziplist(blob: Uint8Array): ListpackElement[] {
  try {
    return decodeZiplist(blob);
  } catch (e) {
    throw bad(`ziplist: ${(e as Error).message}`);
  }
}

const key = (bytes: Uint8Array): string => {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
};

function nonEmpty<T>(items: readonly T[], what: string): readonly T[] {
  if (items.length === 0) throw bad(`empty ${what}`);
  return items;
}

function unique(members: readonly Uint8Array[], what: string): void {
  const seen = new Set<string>();
  for (const m of members) {
    const k = key(m);
    if (seen.has(k)) throw bad(`duplicate ${what}`);
    seen.add(k);
  }
}

function pairs(elements: readonly ListpackElement[], what: string): Array<[Uint8Array, Uint8Array]> {
  if (elements.length % 2 !== 0) throw bad(`odd number of ${what} elements`);
  const out: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < elements.length; i += 2) out.push([elementBytes(elements[i]!), elementBytes(elements[i + 1]!)]);
  return out;
}

function hashOf(fields: Array<[Uint8Array, Uint8Array]>): RdbValue {
  nonEmpty(fields, "hash");
  unique(fields.map(([f]) => f), "hash field");
  return { type: "hash", fields };
}

function scoreOfText(bytes: Uint8Array): number {
  const score = parseScore(bytes);
  if (score === undefined) throw bad("bad score");
  return score;
}

function zsetOfElements(elements: readonly ListpackElement[]): RdbValue {
  const entries = pairs(elements, "sorted set").map(([member, score], i) => {
    const raw = elements[2 * i + 1]!;
    return { member, score: typeof raw === "bigint" ? Number(raw) : scoreOfText(score) };
  });
  return zsetOf(entries);
}

function zsetOf(entries: ScoredMember[]): RdbValue {
  nonEmpty(entries, "sorted set");
  unique(entries.map((e) => e.member), "sorted set member");
  for (const e of entries) if (Number.isNaN(e.score)) throw bad("NaN score");
  return { type: "zset", entries };
}

function setOf(members: Uint8Array[]): RdbValue {
  nonEmpty(members, "set");
  unique(members, "set member");
  return { type: "set", members };
}

const encoder = new TextEncoder();

/** The integer of a stream listpack element (lpGetInteger); a non-integer is corrupt. */
function int(element: ListpackElement | undefined): bigint {
  if (element === undefined) throw bad("stream listpack truncated");
  if (typeof element === "bigint") return element;
  const value = canonicalInt64(element);
  if (value === undefined) throw bad("stream listpack integer expected");
  return value;
}

const STREAM_ITEM_FLAG_DELETED = 1;
const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

/** The live entries of one stream node (t_stream.c's listpack layout) whose master id is `master`. */
function streamNodeEntries(blob: Uint8Array, master: StreamId, out: RdbStreamEntry[]): void {
  const lp = listpack(blob);
  if (lp.length === 0) throw bad("empty stream node");
  let i = 0;
  const next = (): ListpackElement => {
    const e = lp[i++];
    if (e === undefined) throw bad("stream listpack truncated");
    return e;
  };
  const count = int(next());
  const deleted = int(next());
  const masterFieldCount = int(next());
  if (masterFieldCount < 0n || masterFieldCount > BigInt(lp.length)) throw bad("bad master field count");
  const masterFields: Uint8Array[] = [];
  for (let f = 0n; f < masterFieldCount; f++) masterFields.push(elementBytes(next()));
  if (int(next()) !== 0n) throw bad("master entry not terminated");
  let live = 0n;
  let dead = 0n;
  while (i < lp.length) {
    const flags = int(next());
    const ms = BigInt.asUintN(64, master.ms + int(next()));
    const seq = BigInt.asUintN(64, master.seq + int(next()));
    const fields: Uint8Array[] = [];
    let elementCount: bigint;
    if (flags & BigInt(STREAM_ITEM_FLAG_SAMEFIELDS)) {
      for (const field of masterFields) fields.push(field, elementBytes(next()));
      elementCount = masterFieldCount + 3n;
    } else {
      const n = int(next());
      if (n < 0n || n > BigInt(lp.length)) throw bad("bad entry field count");
      for (let f = 0n; f < n; f++) fields.push(elementBytes(next()), elementBytes(next()));
      elementCount = 2n * n + 4n;
    }
    if (int(next()) !== elementCount) throw bad("bad stream entry back count");
    if (flags & BigInt(STREAM_ITEM_FLAG_DELETED)) {
      dead++;
      continue;
    }
    live++;
    const id = { ms, seq };
    const previous = out[out.length - 1];
    if (previous !== undefined && compareIds(previous.id, id) >= 0) throw bad("stream ids out of order");
    out.push({ id, fields });
  }
  if (live !== count || dead !== deleted) throw bad("stream node counts do not match its entries");
}

function rawId(c: Cursor): StreamId {
  const b = c.bytes(16);
  const view = new DataView(b.buffer, b.byteOffset, 16);
  return { ms: view.getBigUint64(0, false), seq: view.getBigUint64(8, false) };
}

function lengthId(c: Cursor): StreamId {
  return { ms: c.length64(), seq: c.length64() };
}

/** Milliseconds as rdbLoadMillisecondTime reads them (8 bytes LE). */
function millis(c: Cursor): number {
  return Number(BigInt.asIntN(64, c.uint64le()));
}

function readStream(c: Cursor, type: number): RdbValue {
  const entries: RdbStreamEntry[] = [];
  const nodes = c.count();
  for (let n = 0; n < nodes; n++) {
    const nodeKey = c.string();
    if (nodeKey.length !== 16) throw bad("stream node key is not an id");
    const view = new DataView(nodeKey.buffer, nodeKey.byteOffset, 16);
    streamNodeEntries(c.string(), { ms: view.getBigUint64(0, false), seq: view.getBigUint64(8, false) }, entries);
  }
  const length = c.length64();
  const lastId = lengthId(c);
  let firstId: StreamId;
  let maxDeletedId: StreamId;
  let entriesAdded: bigint;
  if (type === RdbType.STREAM_LISTPACKS) {
    firstId = entries[0]?.id ?? { ms: 0n, seq: 0n };
    maxDeletedId = { ms: 0n, seq: 0n };
    entriesAdded = length;
  } else {
    firstId = lengthId(c);
    maxDeletedId = lengthId(c);
    entriesAdded = c.length64();
  }
  if (length !== BigInt(entries.length)) throw bad("stream length does not match its entries");
  const last = entries[entries.length - 1];
  if (last !== undefined && compareIds(last.id, lastId) > 0) throw bad("stream entry after the last id");
  const groups: RdbStreamGroup[] = [];
  const groupNames = new Set<string>();
  const groupCount = c.count();
  for (let g = 0; g < groupCount; g++) {
    const name = c.string();
    if (groupNames.has(key(name))) throw bad("duplicate consumer group");
    groupNames.add(key(name));
    const groupLastId = lengthId(c);
    let entriesRead: bigint | undefined;
    if (type !== RdbType.STREAM_LISTPACKS) {
      const stored = c.length64();
      entriesRead = stored === UINT64_MAX ? -1n : stored;
    }
    const pending: RdbPendingEntry[] = [];
    const pendingCount = c.count();
    for (let p = 0; p < pendingCount; p++) {
      const id = rawId(c);
      const deliveryMs = millis(c);
      const deliveries = c.length64();
      const previous = pending[pending.length - 1];
      if (previous !== undefined && compareIds(previous.id, id) >= 0) throw bad("PEL out of order");
      pending.push({ id, deliveryMs, deliveries });
    }
    const owner = new Map<string, boolean>();
    for (const entry of pending) owner.set(`${entry.id.ms}-${entry.id.seq}`, false);
    const consumers: RdbConsumer[] = [];
    const consumerNames = new Set<string>();
    const consumerCount = c.count();
    for (let k = 0; k < consumerCount; k++) {
      const consumerName = c.string();
      if (consumerNames.has(key(consumerName))) throw bad("duplicate consumer");
      consumerNames.add(key(consumerName));
      const seenMs = millis(c);
      if (type === RdbType.STREAM_LISTPACKS_3) millis(c); // active time: Materia keeps the seen time only
      const owned: StreamId[] = [];
      const ownedCount = c.count();
      for (let p = 0; p < ownedCount; p++) {
        const id = rawId(c);
        const idKey = `${id.ms}-${id.seq}`;
        if (owner.get(idKey) !== false) throw bad("consumer PEL entry not in the group's PEL, or owned twice");
        owner.set(idKey, true);
        owned.push(id);
      }
      owned.sort(compareIds);
      consumers.push({ name: consumerName, seenMs, pending: owned });
    }
    for (const owned of owner.values()) if (!owned) throw bad("pending entry without a consumer");
    groups.push({ name, lastId: groupLastId, entriesRead, pending, consumers });
  }
  const stream: RdbStream = { entries, lastId, firstId, maxDeletedId, entriesAdded, groups };
  return { type: "stream", stream };
}

/** rdbLoadDoubleValue: a length byte and ASCII, or 253 nan, 254 +inf, 255 -inf. */
function textDouble(c: Cursor): number {
  const len = c.byte();
  if (len === 253) return NaN;
  if (len === 254) return Infinity;
  if (len === 255) return -Infinity;
  return scoreOfText(c.bytes(len));
}

function readBody(c: Cursor, type: number): RdbValue {
  switch (type) {
    case RdbType.STRING:
      return { type: "string", value: c.string() };
    case RdbType.LIST: {
      const n = c.count();
      const items: Uint8Array[] = [];
      for (let i = 0; i < n; i++) items.push(c.string());
      return { type: "list", items: nonEmpty(items, "list") };
    }
    case RdbType.SET: {
      const n = c.count();
      const members: Uint8Array[] = [];
      for (let i = 0; i < n; i++) members.push(c.string());
      return setOf(members);
    }
    case RdbType.ZSET:
    case RdbType.ZSET_2: {
      const n = c.count();
      const entries: ScoredMember[] = [];
      for (let i = 0; i < n; i++) {
        const member = c.string();
        entries.push({ member, score: type === RdbType.ZSET_2 ? c.float64() : textDouble(c) });
      }
      return zsetOf(entries);
    }
    case RdbType.HASH: {
      const n = c.count();
      const fields: Array<[Uint8Array, Uint8Array]> = [];
      for (let i = 0; i < n; i++) fields.push([c.string(), c.string()]);
      return hashOf(fields);
    }
    case RdbType.HASH_ZIPMAP: {
      try {
        return hashOf(decodeZipmap(c.string()));
      } catch (e) {
        if (e instanceof Failure) throw e;
        throw bad(`zipmap: ${(e as Error).message}`);
      }
    }
    case RdbType.LIST_ZIPLIST:
      return { type: "list", items: nonEmpty(ziplist(c.string()).map(elementBytes), "list") };
    case RdbType.SET_INTSET: {
      let values: bigint[];
      try {
        values = decodeIntset(c.string());
      } catch (e) {
        throw bad(`intset: ${(e as Error).message}`);
      }
      c.spend(values.length * 20);
      return setOf(values.map((v) => encoder.encode(v.toString())));
    }
    case RdbType.SET_LISTPACK:
      return setOf(listpack(c.string()).map(elementBytes));
    case RdbType.ZSET_ZIPLIST:
      return zsetOfElements(ziplist(c.string()));
    case RdbType.ZSET_LISTPACK:
      return zsetOfElements(listpack(c.string()));
    case RdbType.HASH_ZIPLIST:
      return hashOf(pairs(ziplist(c.string()), "hash"));
    case RdbType.HASH_LISTPACK:
      return hashOf(pairs(listpack(c.string()), "hash"));
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2: {
      const nodes = c.count();
      const items: Uint8Array[] = [];
      for (let n = 0; n < nodes; n++) {
        let container = 2n;
        if (type === RdbType.LIST_QUICKLIST_2) {
          container = c.length64();
          if (container !== 1n && container !== 2n) throw bad("unknown quicklist container");
        }
        const blob = c.string();
        if (container === 1n) items.push(blob);
        else for (const e of type === RdbType.LIST_QUICKLIST ? ziplist(blob) : listpack(blob)) items.push(elementBytes(e));
      }
      // Redis skips empty nodes; a list left with no items is refused.
      return { type: "list", items: nonEmpty(items, "list") };
    }
    case RdbType.STREAM_LISTPACKS:
    case RdbType.STREAM_LISTPACKS_2:
    case RdbType.STREAM_LISTPACKS_3:
      return readStream(c, type);
    case RdbType.MODULE:
    case RdbType.MODULE_2:
      throw new Failure("UNSUPPORTED_TYPE", "module values (such as RedisJSON's) cannot be restored");
    default:
      throw new Failure("UNSUPPORTED_TYPE", `unknown RDB type ${type}`);
  }
}

/** Reads the value of RDB type `type` at `offset` of `buf`. */
export function readRdbValue(buf: Uint8Array, at: { readonly offset: number; readonly type: number }, options: ReadValueOptions = {}): RdbValueRead {
  const c = new Cursor(buf, at.offset, options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES);
  try {
    const value = readBody(c, at.type);
    return { ok: true, value, next: c.at };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, reason: e.reason, detail: e.message };
    throw e;
  }
}
