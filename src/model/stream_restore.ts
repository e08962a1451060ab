// A whole stream, with its consumer groups, as DUMP reads it and RESTORE
// writes it (model/dump_value.ts): the same records XADD, XGROUP and
// XREADGROUP keep (stream_layout.ts, stream_group_layout.ts), written in one
// pass into a key that holds nothing.
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { setNewKey } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import type { RdbStream, RdbStreamGroup } from "./rdb/rdb_value.ts";
import { MAX_ID, MIN_ID } from "./stream_id.ts";
import { encodeConsumer, encodeGroup, encodeNack } from "./stream_group_layout.ts";
import { consumerPendingEntries, estimateEntriesRead, groupKeysOf, groupRefOf, listConsumers, listGroups, pendingEntries } from "./stream_groups.ts";
import { entryWrites, type StreamHeader } from "./stream_layout.ts";
import { createStream, openForRead, readRange, saveHeader } from "./streams.ts";

const EMPTY = new Uint8Array(0);

/** The stream at `key` whole; undefined when missing, WRONGTYPE for another type. */
export async function readWholeStream(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<RdbStream | undefined | "WRONGTYPE"> {
  const stream = await openForRead(tx, ks, key, nowMs);
  if (stream === undefined || stream === "WRONGTYPE") return stream;
  const entries = await readRange(tx, stream, { start: MIN_ID, end: MAX_ID, count: 0, reverse: false });
  const groups: RdbStreamGroup[] = [];
  for (const info of await listGroups(tx, stream)) {
    const group = groupRefOf(stream, info);
    const pending = await pendingEntries(tx, group, { start: MIN_ID, end: MAX_ID, count: Number.MAX_SAFE_INTEGER, minIdleMs: 0, consumer: undefined, nowMs });
    const consumers = [];
    for (const consumer of await listConsumers(tx, group)) {
      const owned = await consumerPendingEntries(tx, group, consumer.name, 0);
      consumers.push({ name: consumer.name, seenMs: consumer.seenMs, pending: owned.map((entry) => entry.id) });
    }
    groups.push({
      name: info.name,
      lastId: info.record.lastId,
      entriesRead: info.record.entriesRead,
      pending: pending.map((entry) => ({ id: entry.id, deliveryMs: entry.nack.deliveredMs, deliveries: entry.nack.deliveries })),
      consumers,
    });
  }
  const { header } = stream;
  return { entries, lastId: header.lastId, firstId: header.firstId, maxDeletedId: header.maxDeletedId, entriesAdded: header.entriesAdded, groups };
}

/** Writes `value` as a new stream at `key`, which holds nothing. */
export function writeWholeStream(tx: Txn, ks: Keyspace, key: Uint8Array, value: RdbStream): void {
  const stream = createStream(tx, ks, key);
  for (const entry of value.entries) for (const [k, v] of entryWrites(stream.keys, entry.id, entry.fields)) setNewKey(tx, k, v);
  const keys = groupKeysOf(stream);
  const header: StreamHeader = {
    length: value.entries.length,
    lastId: value.lastId,
    firstId: value.firstId,
    maxDeletedId: value.maxDeletedId,
    entriesAdded: value.entriesAdded,
    groups: value.groups.length,
  };
  for (const group of value.groups) {
    const { name } = group;
    const entriesRead = group.entriesRead ?? estimateEntriesRead(header, group.lastId);
    setNewKey(tx, keys.group(name), encodeGroup({ lastId: group.lastId, entriesRead }));
    const ownerOf = new Map<string, Uint8Array>();
    for (const consumer of group.consumers) {
      setNewKey(tx, keys.consumer(name, consumer.name), encodeConsumer(consumer.seenMs));
      for (const id of consumer.pending) {
        ownerOf.set(`${id.ms}-${id.seq}`, consumer.name);
        setNewKey(tx, keys.owned(name, consumer.name, id), EMPTY);
      }
      if (consumer.pending.length > 0) tx.add(keys.consumerPending(name, consumer.name), BigInt(consumer.pending.length));
    }
    for (const entry of group.pending) {
      // The reader checked that every pending entry has exactly one owner.
      const consumer = ownerOf.get(`${entry.id.ms}-${entry.id.seq}`)!;
      setNewKey(tx, keys.nack(name, entry.id), encodeNack({ consumer, deliveredMs: entry.deliveryMs, deliveries: entry.deliveries }));
    }
    if (group.pending.length > 0) tx.add(keys.groupPending(name), BigInt(group.pending.length));
  }
  saveHeader(tx, ks, stream, header);
}
