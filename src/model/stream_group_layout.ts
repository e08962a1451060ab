// How a stream's consumer groups lie in the engine, under the stream's member
// prefix `d <key> <gen>` (stream_layout.ts), in the space "g" that sorts
// before the entries (tuple strings sort before integers):
//
//   "g" 0 <group>                      the group: last-delivered id, entries-read
//   "g" 1 <group> <ms> <seq>           a pending entry (NACK): its consumer, last
//                                      delivery time, delivery count
//   "g" 2 <group> <consumer>           a consumer: its seen time
//   "g" 3 <group> <consumer> <ms> <seq>  the consumer's own pending entries (an
//                                      index of "g" 1: its history, XPENDING of
//                                      one consumer, DELCONSUMER)
//   "g" 4 <group>                      the group's pending count (atomic add)
//   "g" 5 <group> <consumer>           the consumer's pending count (atomic add)
//
// Names are tuple byte strings, so groups and consumers list in byte order,
// as Redis's radix trees list them. The pending counts are atomic counters:
// XACK never reads a record it would rewrite, so consumers acknowledging on
// FoundationDB conflict only on the entries they acknowledge. Everything of a
// group is under "g" <kind> <group>, so XGROUP DESTROY clears it in a few
// range clears; DEL, COPY and RENAME treat it as any other member of the key.
import { concatBytes } from "../engine/bytes.ts";
import type { KeyRange } from "../engine/contract.ts";
import { readBigInt64LE, writeBigInt64LE } from "../engine/little_endian.ts";
import { childRange, packTuple, unpackTuple, type TupleItem } from "../engine/tuple.ts";
import { MAX_ID, type StreamId } from "./stream_id.ts";
import { tupleInteger } from "./stream_layout.ts";

const GROUPS = "g";
const GROUP = 0;
const NACK = 1;
const CONSUMER = 2;
const OWNED = 3;
const GROUP_PENDING = 4;
const CONSUMER_PENDING = 5;

/** Redis's SCG_INVALID_ENTRIES_READ: the group's entries-read counter is unknown. */
export const ENTRIES_READ_UNKNOWN = -1n;

/** What XINFO GROUPS shows of a group besides its counts. */
export interface GroupRecord {
  /** The last id delivered to the group (`>` reads after it). */
  readonly lastId: StreamId;
  /** The logical read counter of lastId (Redis 7's entries-read); ENTRIES_READ_UNKNOWN when unknown. */
  readonly entriesRead: bigint;
}

/** A pending entry: delivered to `consumer` and not acknowledged. */
export interface Nack {
  readonly consumer: Uint8Array;
  /** Unix ms of the last delivery (idle time is now minus this). */
  readonly deliveredMs: number;
  readonly deliveries: bigint;
}

function idItems(id: StreamId): TupleItem[] {
  return [tupleInteger(id.ms), tupleInteger(id.seq)];
}

function idOfItems(ms: TupleItem, seq: TupleItem): StreamId {
  return { ms: BigInt(ms as number | bigint), seq: BigInt(seq as number | bigint) };
}

/** The keys of one stream's consumer groups (relative to the stream's member prefix). */
export class GroupKeys {
  constructor(private readonly prefix: Uint8Array) {}

  private key(items: TupleItem[]): Uint8Array {
    return concatBytes(this.prefix, packTuple([GROUPS, ...items]));
  }

  private children(items: TupleItem[]): KeyRange {
    return childRange(this.key(items));
  }

  group(name: Uint8Array): Uint8Array {
    return this.key([GROUP, name]);
  }

  /** Every group record, in name order. */
  get allGroups(): KeyRange {
    return this.children([GROUP]);
  }

  groupNameOf(groupKey: Uint8Array): Uint8Array {
    return unpackTuple(groupKey.subarray(this.prefix.length))[2] as Uint8Array;
  }

  nack(group: Uint8Array, id: StreamId): Uint8Array {
    return this.key([NACK, group, ...idItems(id)]);
  }

  /** The group's pending entries with ids in [from, to]. */
  nacksBetween(group: Uint8Array, from: StreamId, to: StreamId = MAX_ID): KeyRange {
    const end = this.nack(group, to);
    return { start: this.nack(group, from), end: concatBytes(end, new Uint8Array([0x00])) };
  }

  idOfNack(nackKey: Uint8Array): StreamId {
    const items = unpackTuple(nackKey.subarray(this.prefix.length));
    return idOfItems(items[3]!, items[4]!);
  }

  consumer(group: Uint8Array, consumer: Uint8Array): Uint8Array {
    return this.key([CONSUMER, group, consumer]);
  }

  /** Every consumer record of the group, in name order. */
  consumersOf(group: Uint8Array): KeyRange {
    return this.children([CONSUMER, group]);
  }

  consumerNameOf(consumerKey: Uint8Array): Uint8Array {
    return unpackTuple(consumerKey.subarray(this.prefix.length))[3] as Uint8Array;
  }

  owned(group: Uint8Array, consumer: Uint8Array, id: StreamId): Uint8Array {
    return this.key([OWNED, group, consumer, ...idItems(id)]);
  }

  /** The consumer's pending entries with ids in [from, to]. */
  ownedBetween(group: Uint8Array, consumer: Uint8Array, from: StreamId, to: StreamId = MAX_ID): KeyRange {
    const end = this.owned(group, consumer, to);
    return { start: this.owned(group, consumer, from), end: concatBytes(end, new Uint8Array([0x00])) };
  }

  allOwnedBy(group: Uint8Array, consumer: Uint8Array): KeyRange {
    return this.children([OWNED, group, consumer]);
  }

  idOfOwned(ownedKey: Uint8Array): StreamId {
    const items = unpackTuple(ownedKey.subarray(this.prefix.length));
    return idOfItems(items[4]!, items[5]!);
  }

  groupPending(group: Uint8Array): Uint8Array {
    return this.key([GROUP_PENDING, group]);
  }

  consumerPending(group: Uint8Array, consumer: Uint8Array): Uint8Array {
    return this.key([CONSUMER_PENDING, group, consumer]);
  }

  /** Every consumer's pending counter of the group, in consumer name order. */
  consumerPendingOf(group: Uint8Array): KeyRange {
    return this.children([CONSUMER_PENDING, group]);
  }

  consumerNameOfPending(counterKey: Uint8Array): Uint8Array {
    return unpackTuple(counterKey.subarray(this.prefix.length))[3] as Uint8Array;
  }

  /** Everything of one group but its record and its pending counter (XGROUP DESTROY clears these and those two keys). */
  groupRanges(group: Uint8Array): KeyRange[] {
    return [this.children([NACK, group]), this.children([CONSUMER, group]), this.children([OWNED, group]), this.children([CONSUMER_PENDING, group])];
  }
}

// --- records ---

const GROUP_RECORD_BYTES = 24;

export function encodeGroup(group: GroupRecord): Uint8Array {
  const out = new Uint8Array(GROUP_RECORD_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, group.lastId.ms, true);
  view.setBigUint64(8, group.lastId.seq, true);
  view.setBigInt64(16, group.entriesRead, true);
  return out;
}

export function decodeGroup(stored: Uint8Array): GroupRecord {
  if (stored.length < GROUP_RECORD_BYTES) throw new Error(`consumer group record of ${stored.length} bytes: the stream's groups are corrupt`);
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  return { lastId: { ms: view.getBigUint64(0, true), seq: view.getBigUint64(8, true) }, entriesRead: view.getBigInt64(16, true) };
}

const NACK_HEADER_BYTES = 16;

export function encodeNack(nack: Nack): Uint8Array {
  const out = new Uint8Array(NACK_HEADER_BYTES + nack.consumer.length);
  writeBigInt64LE(out, 0, BigInt(nack.deliveredMs));
  writeBigInt64LE(out, 8, BigInt.asIntN(64, nack.deliveries));
  out.set(nack.consumer, NACK_HEADER_BYTES);
  return out;
}

export function decodeNack(stored: Uint8Array): Nack {
  if (stored.length < NACK_HEADER_BYTES) throw new Error(`pending entry of ${stored.length} bytes: the stream's groups are corrupt`);
  return {
    deliveredMs: Number(readBigInt64LE(stored, 0)),
    deliveries: BigInt.asUintN(64, readBigInt64LE(stored, 8)),
    consumer: stored.slice(NACK_HEADER_BYTES),
  };
}

/** A consumer record: its seen time, unix ms. */
export function encodeConsumer(seenMs: number): Uint8Array {
  const out = new Uint8Array(8);
  writeBigInt64LE(out, 0, BigInt(seenMs));
  return out;
}

export function decodeConsumer(stored: Uint8Array): number {
  return Number(readBigInt64LE(stored, 0));
}
