// Hash-field expiry commands over the model (Redis 8's t_hash.c): HEXPIRE
// and friends, HTTL and friends, HPERSIST, HGETDEL, HGETEX, HSETEX. Where the
// TTLs live: hash_field_ttl.ts. A field whose TTL has passed is missing to
// every command; a write that meets one removes it (Redis's lazy expiry,
// reported as `hexpired`), and the sweeper removes the rest.
//
// Each command handles its fields one after the other, so a field named twice
// sees the first one's change (read-your-writes), as Redis does.
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { all, sequence, then } from "../engine/maybe_promise.ts";
import {
  addCardinality,
  createCollection,
  lookupCollection,
  lookupCollectionForWrite,
  memberKeyFits,
  removedMembers,
} from "./collections.ts";
import { clearFieldTtl, markFieldTtls, writeFieldTtl } from "./hash_field_ttl.ts";
import { type FieldValue, fullValue, readStoredField, removeField, type StoredField, writeValue } from "./hashes.ts";
import type { Keyspace } from "./keyspace.ts";
import { isExpired, KeyType, type Meta } from "./meta.ts";
import type { Status } from "./status.ts";

const HASH = { type: KeyType.Hash } as const;

/** HEXPIRE's NX, XX, GT and LT (one at most). */
export type FieldExpireCondition = "NX" | "XX" | "GT" | "LT";

/** Per-field replies of HEXPIRE and friends. */
export const enum ExpireReply {
  NoField = -2,
  ConditionNotMet = 0,
  Set = 1,
  Deleted = 2,
}

/** A time not after now deletes the field (Redis's checkAlreadyExpired: when <= now). */
function alreadyPast(expireAt: number, nowMs: number): boolean {
  return expireAt <= nowMs;
}

/** Whether `condition` lets a field whose TTL is `current` (0: none) take `expireAt`; no TTL counts as an infinite one. */
function conditionHolds(condition: FieldExpireCondition | undefined, current: number, expireAt: number): boolean {
  switch (condition) {
    case undefined: return true;
    case "NX": return current === 0;
    case "XX": return current !== 0;
    case "GT": return current !== 0 && expireAt > current;
    case "LT": return current === 0 || expireAt < current;
  }
}

/**
 * What one command did to a hash, field by field, gathered to write the
 * counter and report Redis's events once at the end.
 */
class HashChanges {
  /** Fields met whose TTL had passed (removed: Redis's lazy expiry). */
  expired = 0;
  /** Stored fields removed (expired ones and deleted ones). */
  removed = 0;
  /** Fields newly stored. */
  added = 0;
  meta: Meta | undefined;

  constructor(meta: Meta | undefined) {
    this.meta = meta;
  }

  /** The hash's meta with FLAG_FIELD_TTL, creating the hash when it is missing. */
  markedMeta(tx: Txn, ks: Keyspace, key: Uint8Array): Meta {
    this.meta ??= createCollection(tx, ks, key, KeyType.Hash);
    this.meta = markFieldTtls(tx, ks, key, this.meta);
    return this.meta;
  }

  /** The hash's meta, creating the hash when it is missing. */
  existingMeta(tx: Txn, ks: Keyspace, key: Uint8Array): Meta {
    this.meta ??= createCollection(tx, ks, key, KeyType.Hash);
    return this.meta;
  }

  /** Writes the counter change; true when the hash lost its last field and is gone. */
  settle(tx: Txn, ks: Keyspace, key: Uint8Array): MaybePromise<boolean> {
    const meta = this.meta;
    if (meta === undefined) return false;
    const net = this.added - this.removed;
    if (net >= 0) {
      addCardinality(tx, ks, key, { gen: meta.gen, delta: net });
      return false;
    }
    return removedMembers(tx, ks, key, { meta, removed: -net });
  }
}

/** Reads a stored field of a live hash; a field whose TTL passed is removed and counted, and reads as undefined. */
function readLiveField(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  at: { readonly changes: HashChanges; readonly field: Uint8Array; readonly nowMs: number },
): MaybePromise<StoredField | undefined> {
  const meta = at.changes.meta;
  if (meta === undefined || !memberKeyFits(ks, key, { gen: meta.gen, member: at.field })) return undefined;
  return then(readStoredField(tx, ks, key, { meta, field: at.field }), (found) => {
    if (found === undefined || !isExpired(found.expireAt, at.nowMs)) return found;
    return then(removeField(tx, ks, key, { meta, field: at.field, nowMs: at.nowMs }), () => {
      at.changes.expired++;
      at.changes.removed++;
      return undefined;
    });
  });
}

/**
 * HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT: per field -2 (no such field), 0
 * (condition not met), 1 (TTL set) or 2 (deleted: the time is not after now).
 */
export function expireFields(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly fields: readonly Uint8Array[]; readonly expireAt: number; readonly condition?: FieldExpireCondition; readonly nowMs: number },
): MaybePromise<ExpireReply[] | "WRONGTYPE"> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: change.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return change.fields.map(() => ExpireReply.NoField);
    const changes = new HashChanges(meta);
    let set = 0, deleted = 0;
    const replies = sequence(change.fields, (field) =>
      then(readLiveField(tx, ks, key, { changes, field, nowMs: change.nowMs }), (found): MaybePromise<ExpireReply> => {
        if (found === undefined) return ExpireReply.NoField;
        if (!conditionHolds(change.condition, found.expireAt, change.expireAt)) return ExpireReply.ConditionNotMet;
        if (alreadyPast(change.expireAt, change.nowMs)) {
          return then(removeField(tx, ks, key, { meta: changes.meta!, field, nowMs: change.nowMs }), () => {
            changes.removed++;
            deleted++;
            return ExpireReply.Deleted;
          });
        }
        const marked = changes.markedMeta(tx, ks, key);
        writeFieldTtl(tx, ks, key, { gen: marked.gen, field, expireAt: change.expireAt, previous: found.expireAt });
        set++;
        return ExpireReply.Set;
      }));
    return then(replies, (codes) =>
      then(changes.settle(tx, ks, key), (emptied) => {
        if (changes.expired > 0) ks.notify("h", "hexpired", key);
        if (deleted + set > 0) ks.notify("h", deleted > 0 ? "hdel" : "hexpire", key);
        if (emptied) ks.notify("g", "del", key);
        return codes;
      }));
  });
}

export interface FieldTtlQuery {
  readonly fields: readonly Uint8Array[];
  readonly nowMs: number;
  /** Milliseconds (HPTTL, HPEXPIRETIME) or seconds, rounded up as Redis 8 does. */
  readonly unit: "ms" | "s";
  /** The expiry as a Unix time (HEXPIRETIME) instead of the time left (HTTL). */
  readonly absolute: boolean;
}

/** HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME: per field -2 (no such field), -1 (no TTL) or the time. */
export function fieldTimesToLive(tx: ReadTxn, ks: Keyspace, key: Uint8Array, query: FieldTtlQuery): MaybePromise<number[] | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...HASH, nowMs: query.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return query.fields.map(() => -2);
    return all(query.fields.map((field) => then(readStoredIfFits(tx, ks, key, { meta, field }), (found) => {
      if (found === undefined || isExpired(found.expireAt, query.nowMs)) return -2;
      if (found.expireAt === 0) return -1;
      const ms = query.absolute ? found.expireAt : Math.max(0, found.expireAt - query.nowMs);
      return query.unit === "ms" ? ms : Math.floor((ms + 999) / 1000);
    })));
  });
}

function readStoredIfFits(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly meta: Meta; readonly field: Uint8Array }): MaybePromise<StoredField | undefined> {
  return memberKeyFits(ks, key, { gen: at.meta.gen, member: at.field }) ? readStoredField(tx, ks, key, at) : undefined;
}

/** HPERSIST: per field -2 (no such field), -1 (no TTL) or 1 (TTL removed). */
export function persistFields(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly fields: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<number[] | "WRONGTYPE"> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: change.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return change.fields.map(() => -2);
    // Without field TTLs there is nothing to persist: -1 or -2 from the fields alone.
    let persisted = 0;
    const replies = sequence(change.fields, (field) => then(readStoredIfFits(tx, ks, key, { meta, field }), (found) => {
      // Redis answers an expired field as missing and leaves it to expiry.
      if (found === undefined || isExpired(found.expireAt, change.nowMs)) return -2;
      if (found.expireAt === 0) return -1;
      clearFieldTtl(tx, ks, key, { gen: meta.gen, field, expireAt: found.expireAt });
      persisted++;
      return 1;
    }));
    return then(replies, (codes) => {
      if (persisted > 0) ks.notify("h", "hpersist", key);
      return codes;
    });
  });
}

/** A field's whole value, once its stored part is known. */
function valueOf(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly meta: Meta; readonly field: Uint8Array; readonly found: StoredField }): MaybePromise<Uint8Array> {
  return fullValue(tx, ks, key, { gen: at.meta.gen, field: at.field, stored: at.found.stored });
}

/** HGETDEL: the value of each field (null when missing), then the fields are deleted; the key goes with its last field. */
export function getAndDeleteFields(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly fields: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<(Uint8Array | null)[] | "WRONGTYPE"> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: change.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return change.fields.map(() => null);
    const changes = new HashChanges(meta);
    let deleted = 0;
    const values = sequence(change.fields, (field) => then(readLiveField(tx, ks, key, { changes, field, nowMs: change.nowMs }), (found) => {
      if (found === undefined) return null;
      return then(valueOf(tx, ks, key, { meta, field, found }), (value) =>
        then(removeField(tx, ks, key, { meta, field, nowMs: change.nowMs }), () => {
          changes.removed++;
          deleted++;
          return value;
        }));
    }));
    return then(values, (replies) => then(changes.settle(tx, ks, key), (emptied) => {
      if (changes.expired > 0) ks.notify("h", "hexpired", key);
      if (deleted > 0) ks.notify("h", "hdel", key);
      if (emptied) ks.notify("g", "del", key);
      return replies;
    }));
  });
}

/** What HGETEX does to the TTL of the fields it returns. */
export type GetExTtl = { readonly persist: true } | { readonly expireAt: number };

/**
 * HGETEX: the value of each field (null when missing); with `ttl`, each
 * field found also gets that TTL (a time not after now deletes it) or loses
 * its TTL (PERSIST).
 */
export function getFieldsSettingTtl(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly fields: readonly Uint8Array[]; readonly ttl?: GetExTtl; readonly nowMs: number },
): MaybePromise<(Uint8Array | null)[] | "WRONGTYPE"> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: change.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return change.fields.map(() => null);
    const changes = new HashChanges(meta);
    let updated = 0, deleted = 0;
    const { ttl, nowMs } = change;
    const values = sequence(change.fields, (field) => then(readLiveField(tx, ks, key, { changes, field, nowMs }), (found) => {
      if (found === undefined) return null;
      return then(valueOf(tx, ks, key, { meta, field, found }), (value): MaybePromise<Uint8Array> => {
        if (ttl === undefined) return value;
        if ("persist" in ttl) {
          if (found.expireAt !== 0) {
            clearFieldTtl(tx, ks, key, { gen: meta.gen, field, expireAt: found.expireAt });
            updated++;
          }
          return value;
        }
        if (alreadyPast(ttl.expireAt, nowMs)) {
          return then(removeField(tx, ks, key, { meta: changes.meta!, field, nowMs }), () => {
            changes.removed++;
            deleted++;
            return value;
          });
        }
        const marked = changes.markedMeta(tx, ks, key);
        writeFieldTtl(tx, ks, key, { gen: marked.gen, field, expireAt: ttl.expireAt, previous: found.expireAt });
        updated++;
        return value;
      });
    }));
    return then(values, (replies) => then(changes.settle(tx, ks, key), (emptied) => {
      if (changes.expired > 0) ks.notify("h", "hexpired", key);
      if (updated > 0) ks.notify("h", ttl !== undefined && "persist" in ttl ? "hpersist" : "hexpire", key);
      else if (deleted > 0) ks.notify("h", "hdel", key);
      if (emptied) ks.notify("g", "del", key);
      return replies;
    }));
  });
}

/** HSETEX's FNX (no field may exist) and FXX (every field must exist). */
export type SetExCondition = "FNX" | "FXX";

/** What HSETEX does to the TTL of the fields it sets: keep it (KEEPTTL), set one, or (neither) drop it as HSET does. */
export type SetExTtl = { readonly keep: true } | { readonly expireAt: number };

/**
 * HSETEX: sets every field, or none when FNX/FXX fails (0); 1 otherwise.
 * With a time not after now the fields are deleted instead, as Redis 8 does.
 */
export function setFieldsWithTtl(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  change: { readonly pairs: readonly FieldValue[]; readonly condition?: SetExCondition; readonly ttl?: SetExTtl; readonly nowMs: number },
): MaybePromise<0 | 1 | Status> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...HASH, nowMs: change.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    const gen = meta?.gen ?? 0;
    for (const [field] of change.pairs) if (!memberKeyFits(ks, key, { gen, member: field })) return "MEMBER_TOO_LARGE";
    if (meta === undefined && change.condition === "FXX") return 0;
    const changes = new HashChanges(meta);
    return then(conditionMet(tx, ks, key, { changes, change }), (met) => {
      if (!met) return then(changes.settle(tx, ks, key), (emptied) => {
        if (changes.expired > 0) ks.notify("h", "hexpired", key);
        if (emptied) ks.notify("g", "del", key);
        return 0 as const;
      });
      let updated = 0, deleted = 0;
      const writes = sequence(change.pairs, ([field, value]) =>
        then(readLiveField(tx, ks, key, { changes, field, nowMs: change.nowMs }), (found): MaybePromise<void> => {
          const ttl = change.ttl;
          if (ttl !== undefined && "expireAt" in ttl && alreadyPast(ttl.expireAt, change.nowMs)) {
            // Set, then deleted at once: Redis 8 reports the field as deleted.
            deleted++;
            if (found === undefined) return;
            return then(removeField(tx, ks, key, { meta: changes.meta!, field, nowMs: change.nowMs }), () => void changes.removed++);
          }
          const target = ttl !== undefined && "expireAt" in ttl ? changes.markedMeta(tx, ks, key) : changes.existingMeta(tx, ks, key);
          writeValue(tx, ks, key, { gen: target.gen, field, value, previous: found?.stored });
          if (found === undefined) changes.added++;
          const previous = found?.expireAt ?? 0;
          if (ttl === undefined) clearFieldTtl(tx, ks, key, { gen: target.gen, field, expireAt: previous });
          else if ("expireAt" in ttl) {
            writeFieldTtl(tx, ks, key, { gen: target.gen, field, expireAt: ttl.expireAt, previous });
            updated++;
          }
        }));
      return then(writes, () => then(changes.settle(tx, ks, key), (emptied) => {
        if (changes.expired > 0) ks.notify("h", "hexpired", key);
        ks.notify("h", "hset", key);
        if (deleted + updated > 0) ks.notify("h", deleted > 0 ? "hdel" : "hexpire", key);
        if (emptied) ks.notify("g", "del", key);
        return 1 as const;
      }));
    });
  });
}

/** HSETEX's FNX/FXX check over every field (fields whose TTL passed count as missing, and are removed). */
function conditionMet(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  at: { readonly changes: HashChanges; readonly change: { readonly pairs: readonly FieldValue[]; readonly condition?: SetExCondition; readonly nowMs: number } },
): MaybePromise<boolean> {
  const { condition, pairs, nowMs } = at.change;
  if (condition === undefined || at.changes.meta === undefined) return true;
  return then(sequence(pairs, ([field]) => readLiveField(tx, ks, key, { changes: at.changes, field, nowMs })), (found) =>
    condition === "FNX" ? found.every((f) => f === undefined) : found.every((f) => f !== undefined));
}

/** For DUMP and OBJECT: a hash's field TTLs (expired ones included), and whether its meta says it may have any. */
export { hashFieldExpiries, hasFieldTtls } from "./hash_field_ttl.ts";
