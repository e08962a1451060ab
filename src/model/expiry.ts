// Active expiry: removes keys whose time has passed, so that DBSIZE, KEYS,
// SCAN and quota figures converge without any client touching them. Lookups
// already treat expired keys as absent; this reclaims them.
import { type UsageChange, UsageMeter } from "./storage_usage.ts";
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { removeKey } from "./db.ts";
import { decodeExpiryEntry, EXPIRY_BUCKETS, expiredEntries, expiryIndexRange, type Keyspace } from "./keyspace.ts";
import { decodeMeta, isExpired } from "./meta.ts";

/** Buckets that hold at least one due entry (one small read per bucket). */
export async function bucketsWithDueKeys(tx: ReadTxn, nowMs: number): Promise<number[]> {
  const due: number[] = [];
  // Without any key that has a TTL (most of a benchmark's life), one read instead of one per bucket.
  if ((await tx.getRange(expiryIndexRange(), { limit: 1 })).length === 0) return due;
  for (let bucket = 0; bucket < EXPIRY_BUCKETS; bucket++) {
    if ((await tx.getRange(expiredEntries(bucket, nowMs), { limit: 1 })).length > 0) due.push(bucket);
  }
  return due;
}

/**
 * Removes up to `limit` expired keys of one bucket, re-checking each key's
 * meta (the index may be stale: the key was rewritten, persisted or flushed).
 * Returns how many index entries were processed; fewer than `limit` means the
 * bucket has nothing more due.
 */
export async function sweepBucket(
  tx: Txn,
  sweep: {
    readonly bucket: number;
    readonly nowMs: number;
    readonly limit: number;
    /** The keyspace whose data is in physical database `slot` (index entries name slots: model/database_map.ts). */
    readonly keyspaceOfSlot: (tenant: string, slot: number) => Keyspace;
  },
): Promise<{
  processed: number;
  removed: number;
  removedByTenant: Map<string, number>;
  usage: Map<string, UsageChange>;
  /** The keys removed, announced after the commit like any write (WATCH, client tracking). */
  removedKeys: { ks: Keyspace; key: Uint8Array }[];
}> {
  const entries = await tx.getRange(expiredEntries(sweep.bucket, sweep.nowMs), { limit: sweep.limit });
  let removed = 0;
  const removedByTenant = new Map<string, number>();
  const removedKeys: { ks: Keyspace; key: Uint8Array }[] = [];
  // Removals are metered like any write, so each tenant's storage usage stays exact.
  const meters = new Map<string, UsageMeter>();
  for (const entry of entries) {
    const { expireAt, tenant, slot, key } = decodeExpiryEntry(entry.key);
    const ks = sweep.keyspaceOfSlot(tenant, slot);
    let meter = meters.get(tenant);
    if (meter === undefined) {
      meter = new UsageMeter(tx, { name: tenant });
      meters.set(tenant, meter);
    }
    const bytes = await meter.txn.get(ks.metaKey(key));
    const meta = bytes === undefined ? undefined : decodeMeta(bytes);
    if (meta !== undefined && meta.expireAt === expireAt && isExpired(meta.expireAt, sweep.nowMs)) {
      removeKey(meter.txn, ks, key, meta); // clears this index entry too
      ks.notify("x", "expired", key);
      removed++;
      removedKeys.push({ ks, key });
      removedByTenant.set(tenant, (removedByTenant.get(tenant) ?? 0) + 1);
    } else {
      tx.clear(entry.key); // stale: the key is gone or has another expiry
    }
  }
  const usage = new Map<string, UsageChange>();
  for (const [tenant, meter] of meters) usage.set(tenant, await meter.finish());
  return { processed: entries.length, removed, removedByTenant, usage, removedKeys };
}
