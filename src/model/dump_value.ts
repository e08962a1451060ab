// Adapters between Materia's keys and the neutral RDB values of
// model/rdb/rdb_value.ts: a key read whole through each type's own readers,
// and a value written into a key through each type's own creators, so that
// DUMP, RESTORE, and backups in RDB form store exactly what the commands do.
// JSON documents are strings in Materia, and travel as strings.
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { MAX_TRANSACTION_BYTES } from "../engine/limits.ts";
import { getAll as hashFields, setFields } from "./hashes.ts";
import type { Keyspace } from "./keyspace.ts";
import { MAX_STRING_BYTES } from "./limits.ts";
import { push, range as listRange } from "./lists.ts";
import { KeyType, type Meta } from "./meta.ts";
import type { RdbValue } from "./rdb/rdb_value.ts";
import { addMembers as addSetMembers, members as setMembers } from "./sets.ts";
import { memberFits, rangeOf, storeSortedSet } from "./sorted_sets.ts";
import { readWholeStream, writeWholeStream } from "./stream_restore.ts";
import { changeExpiry, readValue, writeString } from "./strings.ts";
import { memberKeyFits } from "./collections.ts";
import { lookupForWrite } from "./db.ts";

/** The value of the live key whose meta is `meta`, whole. */
export async function readKeyValue(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly meta: Meta; readonly nowMs: number }): Promise<RdbValue> {
  const { meta, nowMs } = at;
  const unexpected = (): never => {
    throw new Error(`key of type ${meta.type} changed type while being read`);
  };
  switch (meta.type) {
    case KeyType.String:
      return { type: "string", value: await readValue(tx, ks, key, meta) };
    case KeyType.List: {
      const items = await listRange(tx, ks, key, { start: 0, stop: -1, nowMs });
      return items === "WRONGTYPE" ? unexpected() : { type: "list", items };
    }
    case KeyType.Hash: {
      const fields = await hashFields(tx, ks, key, nowMs);
      return fields === "WRONGTYPE" ? unexpected() : { type: "hash", fields };
    }
    case KeyType.Set: {
      const members = await setMembers(tx, ks, key, nowMs);
      return members === "WRONGTYPE" ? unexpected() : { type: "set", members };
    }
    case KeyType.ZSet: {
      const entries = await rangeOf(tx, ks, key, { query: { spec: { by: "rank", start: 0, stop: -1 }, reverse: false, offset: 0, count: -1 }, nowMs });
      return entries === "WRONGTYPE" ? unexpected() : { type: "zset", entries };
    }
    case KeyType.Stream: {
      const stream = await readWholeStream(tx, ks, key, nowMs);
      return stream === undefined || stream === "WRONGTYPE" ? unexpected() : { type: "stream", stream };
    }
  }
}

/**
 * Why a value could not be stored: a string past the value limit, a member
 * past the key limit, or more keys and bytes than one transaction can write.
 */
export type WriteValueFailure = "TOO_LARGE" | "MEMBER_TOO_LARGE" | "TRANSACTION_TOO_LARGE";

/** The least an engine key of a member costs beyond the user key's name (tuple tags, generation, index). */
const MEMBER_KEY_MIN_EXTRA = 8;

/**
 * A lower bound of the bytes writing `value` at `key` costs the transaction:
 * above FoundationDB's limit, the write would fail after all its work.
 */
function minimumWriteBytes(key: Uint8Array, value: RdbValue): number {
  const perMember = key.length + MEMBER_KEY_MIN_EXTRA;
  const sum = (items: Iterable<Uint8Array>) => {
    let n = 0;
    for (const item of items) n += item.length + perMember;
    return n;
  };
  switch (value.type) {
    case "string":
      return value.value.length;
    case "list":
      return sum(value.items);
    case "hash":
      return sum(value.fields.map(([f]) => f)) + sum(value.fields.map(([, v]) => v)) - value.fields.length * perMember;
    case "set":
      return sum(value.members);
    case "zset":
      return sum(value.entries.map((e) => e.member));
    case "stream":
      return value.stream.entries.reduce((n, entry) => n + perMember + entry.fields.reduce((m, f) => m + f.length, 0), 0);
  }
}

/** Room a consumer's keys take beyond its group's and its own name (tags, the pending entry's id). */
const CONSUMER_KEY_EXTRA = 64;

/** Whether writeKeyValue can store `value` at `key`: checked before anything is written or deleted. */
export function checkValueFits(ks: Keyspace, key: Uint8Array, value: RdbValue): WriteValueFailure | undefined {
  const fits = (member: Uint8Array) => memberKeyFits(ks, key, { gen: 0, member });
  if (minimumWriteBytes(key, value) > MAX_TRANSACTION_BYTES) return "TRANSACTION_TOO_LARGE";
  switch (value.type) {
    case "string":
      return value.value.length > MAX_STRING_BYTES ? "TOO_LARGE" : undefined;
    case "list":
      return undefined;
    case "hash":
      return value.fields.every(([field]) => fits(field)) ? undefined : "MEMBER_TOO_LARGE";
    case "set":
      return value.members.every(fits) ? undefined : "MEMBER_TOO_LARGE";
    case "zset":
      return value.entries.every((entry) => memberFits(ks, key, entry.member)) ? undefined : "MEMBER_TOO_LARGE";
    case "stream":
      for (const group of value.stream.groups) {
        for (const consumer of group.consumers) {
          if (!fits(new Uint8Array(group.name.length + consumer.name.length + CONSUMER_KEY_EXTRA))) return "MEMBER_TOO_LARGE";
        }
        if (!fits(new Uint8Array(group.name.length + CONSUMER_KEY_EXTRA))) return "MEMBER_TOO_LARGE";
      }
      return undefined;
  }
}

/**
 * Writes `value` at `key`, which holds nothing, with the absolute expiry
 * `expireAt` (0: none). The type's own events (hset, sadd...) are not
 * reported: only `new`, as Redis's RESTORE does (the caller reports `restore`).
 */
export async function writeKeyValue(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  at: { readonly value: RdbValue; readonly expireAt: number; readonly nowMs: number },
): Promise<WriteValueFailure | undefined> {
  const { value, nowMs } = at;
  const refused = checkValueFits(ks, key, value);
  if (refused !== undefined) return refused;
  const quiet = ks.withEvents({ notify: (_, type, event, k) => type === "n" && ks.notify(type, event, k) });
  let failure: WriteValueFailure | undefined;
  switch (value.type) {
    case "string":
      writeString(tx, quiet, key, undefined, value.value, { expireAt: at.expireAt });
      return undefined;
    case "list":
      await push(tx, quiet, key, { elements: value.items, end: "right", onlyIfExists: false, nowMs });
      break;
    case "hash": {
      const outcome = await setFields(tx, quiet, key, { pairs: value.fields, nowMs });
      if (outcome === "MEMBER_TOO_LARGE") failure = outcome;
      break;
    }
    case "set": {
      const outcome = await addSetMembers(tx, quiet, key, { members: value.members, nowMs });
      if (outcome === "MEMBER_TOO_LARGE") failure = outcome;
      break;
    }
    case "zset": {
      const outcome = await storeSortedSet(tx, quiet, key, { entries: value.entries, event: "restore", nowMs });
      if (outcome === "MEMBER_TOO_LARGE") failure = outcome;
      break;
    }
    case "stream":
      writeWholeStream(tx, quiet, key, value.stream);
      break;
  }
  if (failure !== undefined) return failure;
  if (at.expireAt !== 0) {
    const meta = await lookupForWrite(tx, quiet, key, nowMs);
    if (meta !== undefined) changeExpiry(tx, quiet, key, meta, { expireAt: at.expireAt, nowMs });
  }
  return undefined;
}
