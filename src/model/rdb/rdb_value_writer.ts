// Writes an RdbValue as Redis 7.0 would (rdb.c rdbSaveObjectType and
// rdbSaveObject, with the default encoding thresholds of config.c), so that
// small values come out byte for byte as Redis's DUMP of the same value and
// every value loads into Redis 7.0 and later:
//   string      type 0: integer encoding, LZF when it saves, or raw
//   list        type 18 quicklist of listpack nodes of at most 8 kB (list-max-listpack-size -2)
//   hash        type 16 listpack while at most 512 fields of at most 64 bytes, else type 4
//   set         type 11 intset while at most 512 integers, else type 2
//   sorted set  type 17 listpack while at most 128 members of at most 64 bytes, else type 5
//   stream      type 19, nodes of at most 100 entries and 4 kB (stream-node-max-*)
// Where Redis's layout depends on history (the order of a hash's fields, a
// set's hash-table order, nodes after deletions), the bytes differ but the
// value is the same.
import { canonicalInt64 } from "./canonical_integer.ts";
import { encodeIntset } from "./intset.ts";
import { encodeListpack, listpackEntrySize, type ListpackElement } from "./listpack.ts";
import { encodeLength, encodeRdbString } from "./rdb_string.ts";
import { RdbType, type RdbStream, type RdbValue, type ScoredMember } from "./rdb_value.ts";
import { formatScore } from "../score_text.ts";
import type { StreamId } from "../stream_id.ts";

/** Encoding thresholds, Redis 7.0's defaults. */
export const HASH_MAX_LISTPACK_ENTRIES = 512;
export const HASH_MAX_LISTPACK_VALUE = 64;
export const SET_MAX_INTSET_ENTRIES = 512;
export const ZSET_MAX_LISTPACK_ENTRIES = 128;
export const ZSET_MAX_LISTPACK_VALUE = 64;
/** list-max-listpack-size -2: a node's listpack stays within 8 kB. */
export const LIST_NODE_MAX_BYTES = 8192;
export const STREAM_NODE_MAX_BYTES = 4096;
export const STREAM_NODE_MAX_ENTRIES = 100;

const QUICKLIST_NODE_CONTAINER_PACKED = 2;
/** quicklist.c's SIZE_ESTIMATE_OVERHEAD: what it adds to an element's size to decide whether a node takes it. */
const SIZE_ESTIMATE_OVERHEAD = 8;

/** Appends byte arrays, growing as needed. */
class Output {
  private parts: Uint8Array[] = [];
  private size = 0;

  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  byte(b: number): void {
    this.push(Uint8Array.of(b));
  }

  length(n: number | bigint): void {
    this.push(encodeLength(n));
  }

  string(bytes: Uint8Array): void {
    this.push(encodeRdbString(bytes));
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

/** Redis's d2string for a score: an integer when exact within ±2^62, else "%.17g" (inf, -inf). */
function scoreElement(score: number): ListpackElement {
  if (Number.isInteger(score) && Math.abs(score) <= 2 ** 62) return BigInt(score);
  return new TextEncoder().encode(formatScore(score));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Sorted-set order: by score, then member bytes. */
function compareScored(a: ScoredMember, b: ScoredMember): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return compareBytes(a.member, b.member);
}

function writeList(out: Output, items: readonly Uint8Array[]): void {
  out.byte(RdbType.LIST_QUICKLIST_2);
  const nodes: Uint8Array[][] = [];
  let node: Uint8Array[] = [];
  let nodeBytes = 0;
  for (const item of items) {
    if (node.length > 0 && nodeBytes + item.length + SIZE_ESTIMATE_OVERHEAD > LIST_NODE_MAX_BYTES) {
      nodes.push(node);
      node = [];
    }
    if (node.length === 0) nodeBytes = 7; // an empty listpack: header and terminator
    node.push(item);
    nodeBytes += listpackEntrySize(item);
  }
  if (node.length > 0) nodes.push(node);
  out.length(nodes.length);
  for (const n of nodes) {
    out.length(QUICKLIST_NODE_CONTAINER_PACKED);
    out.string(encodeListpack(n));
  }
}

function writeHash(out: Output, fields: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): void {
  const small = fields.length <= HASH_MAX_LISTPACK_ENTRIES &&
    fields.every(([f, v]) => f.length <= HASH_MAX_LISTPACK_VALUE && v.length <= HASH_MAX_LISTPACK_VALUE);
  if (small) {
    out.byte(RdbType.HASH_LISTPACK);
    out.string(encodeListpack(fields.flat()));
    return;
  }
  out.byte(RdbType.HASH);
  out.length(fields.length);
  for (const [f, v] of fields) {
    out.string(f);
    out.string(v);
  }
}

function writeSet(out: Output, members: readonly Uint8Array[]): void {
  if (members.length <= SET_MAX_INTSET_ENTRIES) {
    const ints: bigint[] = [];
    for (const m of members) {
      const v = canonicalInt64(m);
      if (v === undefined) break;
      ints.push(v);
    }
    if (ints.length === members.length) {
      out.byte(RdbType.SET_INTSET);
      out.string(encodeIntset(ints));
      return;
    }
  }
  out.byte(RdbType.SET);
  out.length(members.length);
  for (const m of members) out.string(m);
}

function writeZset(out: Output, entries: readonly ScoredMember[]): void {
  const sorted = [...entries].sort(compareScored);
  if (sorted.length <= ZSET_MAX_LISTPACK_ENTRIES && sorted.every((e) => e.member.length <= ZSET_MAX_LISTPACK_VALUE)) {
    out.byte(RdbType.ZSET_LISTPACK);
    const elements: ListpackElement[] = [];
    for (const e of sorted) elements.push(e.member, scoreElement(e.score));
    out.string(encodeListpack(elements));
    return;
  }
  // Redis walks its skiplist from the tail, so the highest score comes first (loading inserts at the head cheaply).
  out.byte(RdbType.ZSET_2);
  out.length(sorted.length);
  const score = new Uint8Array(8);
  const view = new DataView(score.buffer);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const e = sorted[i]!;
    out.string(e.member);
    view.setFloat64(0, e.score, true);
    out.push(score.slice());
  }
}

function idBytes(id: StreamId): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, id.ms, false);
  view.setBigUint64(8, id.seq, false);
  return out;
}

function sameFields(fields: readonly Uint8Array[], master: readonly Uint8Array[]): boolean {
  if (fields.length !== master.length * 2) return false;
  for (let i = 0; i < master.length; i++) if (compareBytes(fields[2 * i]!, master[i]!) !== 0) return false;
  return true;
}

/** One stream node being built: its listpack elements, as t_stream.c's streamAppendItem lays them out. */
interface StreamNode {
  readonly master: StreamId;
  readonly masterFields: readonly Uint8Array[];
  readonly elements: ListpackElement[];
  count: number;
  bytes: number;
}

function lpSize(elements: readonly ListpackElement[]): number {
  let n = 7;
  for (const e of elements) n += listpackEntrySize(e);
  return n;
}

function streamNodes(stream: RdbStream): StreamNode[] {
  const nodes: StreamNode[] = [];
  let node: StreamNode | undefined;
  for (const entry of stream.entries) {
    let payload = 0;
    for (const f of entry.fields) payload += f.length;
    if (node !== undefined && (node.bytes + payload >= STREAM_NODE_MAX_BYTES || node.count >= STREAM_NODE_MAX_ENTRIES)) node = undefined;
    if (node === undefined) {
      const masterFields = entry.fields.filter((_, i) => i % 2 === 0);
      node = { master: entry.id, masterFields, elements: [], count: 0, bytes: 0 };
      node.elements.push(1n, 0n, BigInt(masterFields.length), ...masterFields, 0n);
      nodes.push(node);
    }
    const same = sameFields(entry.fields, node.masterFields);
    const added: ListpackElement[] = [
      BigInt(same ? 2 : 0),
      BigInt.asIntN(64, entry.id.ms - node.master.ms),
      BigInt.asIntN(64, entry.id.seq - node.master.seq),
    ];
    if (same) for (let i = 1; i < entry.fields.length; i += 2) added.push(entry.fields[i]!);
    else added.push(BigInt(entry.fields.length / 2), ...entry.fields);
    added.push(BigInt(same ? node.masterFields.length + 3 : entry.fields.length + 4));
    node.elements.push(...added);
    node.count++;
    node.elements[0] = BigInt(node.count);
    node.bytes = lpSize(node.elements);
  }
  return nodes;
}

function writeStream(out: Output, stream: RdbStream): void {
  out.byte(RdbType.STREAM_LISTPACKS_2);
  const nodes = streamNodes(stream);
  out.length(nodes.length);
  for (const node of nodes) {
    out.string(idBytes(node.master));
    out.string(encodeListpack(node.elements));
  }
  out.length(stream.entries.length);
  for (const id of [stream.lastId, stream.firstId, stream.maxDeletedId]) {
    out.length(id.ms);
    out.length(id.seq);
  }
  out.length(stream.entriesAdded);
  out.length(stream.groups.length);
  const millis = new Uint8Array(8);
  const millisView = new DataView(millis.buffer);
  for (const group of stream.groups) {
    out.string(group.name);
    out.length(group.lastId.ms);
    out.length(group.lastId.seq);
    out.length(BigInt.asUintN(64, group.entriesRead ?? -1n));
    out.length(group.pending.length);
    for (const p of group.pending) {
      out.push(idBytes(p.id));
      millisView.setBigInt64(0, BigInt(p.deliveryMs), true);
      out.push(millis.slice());
      out.length(p.deliveries);
    }
    out.length(group.consumers.length);
    for (const consumer of group.consumers) {
      out.string(consumer.name);
      millisView.setBigInt64(0, BigInt(consumer.seenMs), true);
      out.push(millis.slice());
      out.length(consumer.pending.length);
      for (const id of consumer.pending) out.push(idBytes(id));
    }
  }
}

/** The RDB type byte and body of `value`. */
export function writeRdbValue(value: RdbValue): Uint8Array {
  const out = new Output();
  switch (value.type) {
    case "string":
      out.byte(RdbType.STRING);
      out.string(value.value);
      break;
    case "list":
      writeList(out, value.items);
      break;
    case "hash":
      writeHash(out, value.fields);
      break;
    case "set":
      writeSet(out, value.members);
      break;
    case "zset":
      writeZset(out, value.entries);
      break;
    case "stream":
      writeStream(out, value.stream);
      break;
  }
  return out.bytes();
}
