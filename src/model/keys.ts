// Keyspace-wide operations: existence, deletion, type, counting, scanning
// and flushing. They read metas only, never members.
import { compareBytes, keyAfter } from "../engine/bytes.ts";
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { readCounter, KEY_COUNT, EXPIRES_COUNT } from "./counters.ts";
import { lookup, lookupForWrite, removeKey } from "./db.ts";
import type { GlobMatcher } from "./glob.ts";
import { type Keyspace, tenantRange } from "./keyspace.ts";
import { isExpired, KeyType, peekTypeAndExpiry, TYPE_NAMES } from "./meta.ts";

/** EXISTS: how many of `keys` exist, counting repeats. */
export async function countExisting(tx: ReadTxn, ks: Keyspace, keys: readonly Uint8Array[], nowMs: number): Promise<number> {
  let count = 0;
  for (const key of keys) if ((await lookup(tx, ks, key, nowMs)) !== undefined) count++;
  return count;
}

/** DEL: deletes each key that exists; returns how many were deleted. */
export async function deleteKeys(tx: Txn, ks: Keyspace, keys: readonly Uint8Array[], nowMs: number): Promise<number> {
  let deleted = 0;
  for (const key of keys) {
    const meta = await lookupForWrite(tx, ks, key, nowMs);
    if (meta === undefined) continue;
    removeKey(tx, ks, key, meta);
    deleted++;
  }
  return deleted;
}

/** TYPE: the type name, or "none". */
export async function typeName(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<string> {
  const meta = await lookup(tx, ks, key, nowMs);
  return meta === undefined ? "none" : TYPE_NAMES[meta.type];
}

export interface KeyCounts {
  readonly keys: number;
  readonly expires: number;
}

/** DBSIZE and INFO keyspace, from the counters (keys expired but not yet swept still count, as in Redis). */
export async function keyCounts(tx: ReadTxn, ks: Keyspace): Promise<KeyCounts> {
  const [keys, expires] = await Promise.all([readCounter(tx, ks, KEY_COUNT), readCounter(tx, ks, EXPIRES_COUNT)]);
  return { keys, expires };
}

export interface ScanFilter {
  readonly match?: GlobMatcher;
  readonly type?: KeyType;
}

export interface ScanPage {
  /** Live keys of this page that pass the filter, in key order. */
  readonly keys: Uint8Array[];
  /** The engine key to resume after, or undefined when the range is exhausted. */
  readonly resumeAfter: Uint8Array | undefined;
}

/**
 * One page of a scan over metas: reads up to `limit` entries after
 * `resumeAfter` (an engine key from a previous page), then filters. Reads are
 * snapshot-free here because the caller runs them in a read-only transaction.
 */
export async function scanPage(
  tx: ReadTxn,
  ks: Keyspace,
  page: { readonly resumeAfter?: Uint8Array; readonly limit: number; readonly filter: ScanFilter; readonly nowMs: number },
): Promise<ScanPage> {
  const range = page.filter.match ? ks.metaRangeWithKeyPrefix(page.filter.match.literalPrefix) : ks.metaRange;
  const start = page.resumeAfter ? keyAfter(page.resumeAfter) : range.start;
  if (compareBytes(start, range.end) >= 0) return { keys: [], resumeAfter: undefined };
  const entries = await tx.getRange({ start, end: range.end }, { limit: page.limit });
  const keys: Uint8Array[] = [];
  for (const { key: engineKey, value } of entries) {
    const { type, expireAt } = peekTypeAndExpiry(value);
    if (isExpired(expireAt, page.nowMs)) continue;
    if (page.filter.type !== undefined && type !== page.filter.type) continue;
    const userKey = ks.userKeyOfMeta(engineKey);
    if (page.filter.match && !page.filter.match.matches(userKey)) continue;
    keys.push(userKey);
  }
  const last = entries[entries.length - 1];
  return { keys, resumeAfter: entries.length < page.limit || last === undefined ? undefined : last.key };
}

/** FLUSHDB: one range clear; counters and indexes go with it. */
export function flushDatabase(tx: Txn, ks: Keyspace): void {
  tx.clearRange(ks.all);
}

/** FLUSHALL: every database of the tenant. */
export function flushTenant(tx: Txn, tenant: string): void {
  tx.clearRange(tenantRange(tenant));
}
