// The life cycle of a key: look it up (expired means absent), create or
// replace its meta, delete it. Every write of a meta goes through here, so the
// key and expiry counters and the expiry index stay exact, and the keyspace
// events of a key's life (Redis's db.c: `keymiss`, `expired`, `new`) are
// reported here, once, whatever the command.
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { all, then } from "../engine/maybe_promise.ts";
import { addToCounter, EXPIRES_COUNT, KEY_COUNT } from "./counters.ts";
import type { Keyspace, KeyspaceEventSink } from "./keyspace.ts";
import { decodeMeta, encodeMeta, isExpired, type Meta } from "./meta.ts";

const EMPTY = new Uint8Array(0);

/**
 * The live meta of `key`, or undefined when it is missing or expired; a miss
 * is a `keymiss` event (Redis's lookupKeyRead). Synchronous on in-process engines.
 *
 * Redis also deletes an expired key found here, sending `expired`; Materia
 * does not write in a read, so that event comes when the sweeper or a write
 * removes the key.
 */
export function lookup(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<Meta | undefined> {
  return then(lookupSilently(tx, ks, key, nowMs), (meta) => {
    if (meta === undefined) ks.notify("m", "keymiss", key);
    return meta;
  });
}

/** lookup without the `keymiss` event: for what is not a command's read of the key (WATCH, OBJECT; Redis's LOOKUP_NONOTIFY). */
export function lookupSilently(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<Meta | undefined> {
  return then(tx.get(ks.metaKey(key)), (bytes) => {
    if (bytes === undefined) return undefined;
    const meta = decodeMeta(bytes);
    return isExpired(meta.expireAt, nowMs) ? undefined : meta;
  });
}

/**
 * Like lookup, for a transaction about to write `key`: an expired key is
 * deleted first (members, index, counters), as if DEL had run, and reported
 * as `expired`. A miss is not a `keymiss` (Redis's lookupKeyWrite).
 */
export function lookupForWrite(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<Meta | undefined> {
  return then(tx.get(ks.metaKey(key)), (bytes) => {
    if (bytes === undefined) return undefined;
    const meta = decodeMeta(bytes);
    if (!isExpired(meta.expireAt, nowMs)) return meta;
    removeKey(tx, ks, key, meta);
    ks.notify("x", "expired", key);
    return undefined;
  });
}

/**
 * Writes the meta of `key`. `previous` is its live meta (undefined when the
 * key is new: a `new` event, Redis's dbAdd); counters and the expiry index
 * follow the change.
 */
/** Writes a key the caller knows holds nothing, through Txn.setNew where the transaction has it. */
export function setNewKey(tx: Txn, key: Uint8Array, value: Uint8Array): void {
  if (tx.setNew !== undefined) tx.setNew(key, value);
  else tx.set(key, value);
}

export function putMeta(tx: Txn, ks: Keyspace, key: Uint8Array, previous: Meta | undefined, next: Meta): void {
  tx.set(ks.metaKey(key), encodeMeta(next));
  if (previous === undefined) {
    addToCounter(tx, ks, KEY_COUNT, 1);
    ks.notify("n", "new", key);
  }
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

/**
 * `read` of each of `keys`, all at once (in parallel on FoundationDB), with
 * their keyspace events (keymiss, expired) reported in key order, as Redis
 * reads them one after another: not in the order the engine answers.
 */
export function readEachInOrder<T>(ks: Keyspace, keys: readonly Uint8Array[], read: (ks: Keyspace, key: Uint8Array) => MaybePromise<T>): MaybePromise<T[]> {
  const sink = ks.events;
  if (sink === undefined || keys.length < 2) return all(keys.map((key) => read(ks, key)));
  const held: Parameters<KeyspaceEventSink["notify"]>[][] = keys.map(() => []);
  const results = all(keys.map((key, i) => read(ks.withEvents({ notify: (...event) => void held[i]!.push(event) }), key)));
  return then(results, (values) => {
    for (const events of held) for (const [, type, event, key] of events) sink.notify(ks, type, event, key);
    return values;
  });
}
