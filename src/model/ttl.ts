// Expiry of keys: EXPIRE and friends, TTL and friends, PERSIST (Redis's
// expire.c). Only the meta changes; putMeta keeps the expiry index and the
// expires counter exact.
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { lookup, lookupForWrite, putMeta, removeKey } from "./db.ts";
import { INT64_MAX } from "./integers.ts";
import type { Keyspace } from "./keyspace.ts";
import type { Meta } from "./meta.ts";

/** EXPIRE's NX, XX, GT and LT; XX may go with GT or LT, the rest are exclusive (checked by the parser). */
export interface ExpireConditions {
  readonly nx?: boolean;
  readonly xx?: boolean;
  readonly gt?: boolean;
  readonly lt?: boolean;
}

/**
 * Sets the absolute expiry of `key` to `expireAt` (ms) when the conditions
 * hold. A time not after `nowMs` deletes the key, as Redis does. Returns 1
 * when the expiry was set (or the key deleted), 0 when the key is missing or
 * a condition blocked the change.
 */
export function setExpiry(
  tx: Txn,
  ks: Keyspace,
  change: { readonly key: Uint8Array; readonly expireAt: number; readonly conditions: ExpireConditions; readonly nowMs: number },
): MaybePromise<0 | 1> {
  return then(lookupForWrite(tx, ks, change.key, change.nowMs), (meta) => meta === undefined ? 0 : expireIfAllowed(tx, ks, meta, change));
}

/** setExpiry's conditions and write, once the key's live meta is known. */
function expireIfAllowed(
  tx: Txn,
  ks: Keyspace,
  meta: Meta,
  change: { readonly key: Uint8Array; readonly expireAt: number; readonly conditions: ExpireConditions; readonly nowMs: number },
): 0 | 1 {
  const { key, expireAt, conditions, nowMs } = change;
  // No expiry counts as an infinite one: GT always fails on it, LT always passes.
  const current = meta.expireAt;
  if (conditions.nx && current !== 0) return 0;
  if (conditions.xx && current === 0) return 0;
  if (conditions.gt && (current === 0 || expireAt <= current)) return 0;
  if (conditions.lt && current !== 0 && expireAt >= current) return 0;
  if (expireAt <= nowMs) {
    removeKey(tx, ks, key, meta);
    ks.notify("g", "del", key);
    return 1;
  }
  putMeta(tx, ks, key, meta, { ...meta, expireAt });
  ks.notify("g", "expire", key);
  return 1;
}

/** PERSIST: 1 when an expiry was removed, 0 when the key is missing or has none. */
export function persist(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<0 | 1> {
  return then(lookupForWrite(tx, ks, key, nowMs), (meta) => {
    if (meta === undefined || meta.expireAt === 0) return 0;
    putMeta(tx, ks, key, meta, { ...meta, expireAt: 0 });
    ks.notify("g", "persist", key);
    return 1;
  });
}

export interface TtlQuery {
  readonly nowMs: number;
  /** Milliseconds (PTTL, PEXPIRETIME) or seconds, rounded as Redis does: (ms + 500) / 1000. */
  readonly unit: "ms" | "s";
  /** The expiry as a Unix time (EXPIRETIME) instead of the time left (TTL). */
  readonly absolute: boolean;
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 for a key without expiry. */
export function timeToLive(tx: ReadTxn, ks: Keyspace, key: Uint8Array, query: TtlQuery): MaybePromise<number | bigint> {
  return then(lookup(tx, ks, key, query.nowMs), (meta) => meta === undefined ? -2 : timeLeft(meta, query));
}

/** timeToLive of a live key. */
function timeLeft(meta: Meta, query: TtlQuery): number | bigint {
  if (meta.expireAt === 0) return -1;
  // Expiry times are stored as float64: exact up to 2^53 ms, clamped to int64 above.
  const at = meta.expireAt >= 2 ** 63 ? INT64_MAX : BigInt(meta.expireAt);
  let ms = query.absolute ? at : at - BigInt(query.nowMs);
  if (ms < 0n) ms = 0n;
  const value = query.unit === "ms" ? ms : (ms + 500n) / 1000n;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
