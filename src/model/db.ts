// The life cycle of a key: look it up (expired means absent), create or
// replace its meta, delete it. Every write of a meta goes through here, so the
// key and expiry counters and the expiry index stay exact.
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { addToCounter, EXPIRES_COUNT, KEY_COUNT } from "./counters.ts";
import type { Keyspace } from "./keyspace.ts";
import { decodeMeta, encodeMeta, isExpired, type Meta } from "./meta.ts";

const EMPTY = new Uint8Array(0);

/** The live meta of `key`, or undefined when it is missing or expired. Synchronous on in-process engines. */
export function lookup(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<Meta | undefined> {
  return then(tx.get(ks.metaKey(key)), (bytes) => {
    if (bytes === undefined) return undefined;
    const meta = decodeMeta(bytes);
    return isExpired(meta.expireAt, nowMs) ? undefined : meta;
  });
}

/**
 * Like lookup, for a transaction about to write `key`: an expired key is
 * deleted first (members, index, counters), as if DEL had run.
 */
export function lookupForWrite(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<Meta | undefined> {
  return then(tx.get(ks.metaKey(key)), (bytes) => {
    if (bytes === undefined) return undefined;
    const meta = decodeMeta(bytes);
    if (!isExpired(meta.expireAt, nowMs)) return meta;
    removeKey(tx, ks, key, meta);
    return undefined;
  });
}

/**
 * Writes the meta of `key`. `previous` is its live meta (undefined when the
 * key is new); counters and the expiry index follow the change.
 */
export function putMeta(tx: Txn, ks: Keyspace, key: Uint8Array, previous: Meta | undefined, next: Meta): void {
  tx.set(ks.metaKey(key), encodeMeta(next));
  if (previous === undefined) addToCounter(tx, ks, KEY_COUNT, 1);
  const before = previous?.expireAt ?? 0;
  if (before !== next.expireAt) {
    if (before !== 0) tx.clear(ks.expiryKey(before, key));
    if (next.expireAt !== 0) tx.set(ks.expiryKey(next.expireAt, key), EMPTY);
    addToCounter(tx, ks, EXPIRES_COUNT, (next.expireAt !== 0 ? 1 : 0) - (before !== 0 ? 1 : 0));
  }
}

/** Deletes `key` (whose stored meta is `meta`, live or expired) with all its members. */
export function removeKey(tx: Txn, ks: Keyspace, key: Uint8Array, meta: Meta): void {
  tx.clear(ks.metaKey(key));
  tx.clearRange(ks.membersOfKey(key));
  addToCounter(tx, ks, KEY_COUNT, -1);
  if (meta.expireAt !== 0) {
    tx.clear(ks.expiryKey(meta.expireAt, key));
    addToCounter(tx, ks, EXPIRES_COUNT, -1);
  }
}
