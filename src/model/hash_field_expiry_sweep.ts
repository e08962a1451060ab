// Active expiry of hash fields: removes fields whose TTL has passed, so that
// HLEN, HSCAN's pages and each tenant's storage figures converge without any
// client touching the hash; the hash goes with its last field. Readers
// already treat such fields as missing; this reclaims them. The counterpart
// of expiry.ts's sweepBucket for the field index (hash_field_ttl.ts).
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { byteString } from "../engine/bytes.ts";
import { removedMembers } from "./collections.ts";
import {
  clearFieldTtl,
  decodeFieldExpiryEntry,
  dueFieldEntries,
  type FieldExpiryEntry,
  fieldExpiryIndexRange,
  hasFieldTtls,
  readFieldTtl,
} from "./hash_field_ttl.ts";
import { clearValue } from "./hashes.ts";
import { EXPIRY_BUCKETS, type Keyspace } from "./keyspace.ts";
import { decodeMeta, isExpired, KeyType } from "./meta.ts";
import { type UsageChange, UsageMeter } from "./storage_usage.ts";

/** Buckets of the field index holding at least one due entry (one read when no field has a TTL). */
export async function bucketsWithDueFields(tx: ReadTxn, nowMs: number): Promise<number[]> {
  const due: number[] = [];
  if ((await tx.getRange(fieldExpiryIndexRange(), { limit: 1 })).length === 0) return due;
  for (let bucket = 0; bucket < EXPIRY_BUCKETS; bucket++) {
    if ((await tx.getRange(dueFieldEntries(bucket, nowMs), { limit: 1 })).length > 0) due.push(bucket);
  }
  return due;
}

export interface FieldSweepResult {
  /** Index entries handled; fewer than the limit means the bucket has nothing more due. */
  readonly processed: number;
  /** Fields removed. */
  readonly removed: number;
  readonly usage: Map<string, UsageChange>;
  /** Hashes that lost fields (announced after the commit like any write: WATCH, client tracking). */
  readonly changedKeys: { ks: Keyspace; key: Uint8Array }[];
}

/**
 * Removes up to `limit` due fields of one bucket, re-checking each against
 * its hash (the entry may be stale: the hash was deleted, rewritten or
 * flushed, or the field's TTL changed). Each hash that lost fields hears one
 * `hexpired` event, then `del` when it lost its last one, as Redis's active
 * expiry reports them.
 */
export async function sweepFieldBucket(
  tx: Txn,
  sweep: {
    readonly bucket: number;
    readonly nowMs: number;
    readonly limit: number;
    /** The keyspace whose data is in physical database `slot` (index entries name slots). */
    readonly keyspaceOfSlot: (tenant: string, slot: number) => Keyspace;
  },
): Promise<FieldSweepResult> {
  const entries = await tx.getRange(dueFieldEntries(sweep.bucket, sweep.nowMs), { limit: sweep.limit });
  // Entries of one hash together, so that its counter is read and written once.
  const byHash = new Map<string, { entryKeys: Uint8Array[]; entries: FieldExpiryEntry[] }>();
  for (const entry of entries) {
    const decoded = decodeFieldExpiryEntry(entry.key);
    const id = `${decoded.slot}\u0000${decoded.tenant}\u0000${byteString(decoded.key)}`;
    let group = byHash.get(id);
    if (group === undefined) byHash.set(id, group = { entryKeys: [], entries: [] });
    group.entryKeys.push(entry.key);
    group.entries.push(decoded);
  }
  const meters = new Map<string, UsageMeter>();
  const changedKeys: { ks: Keyspace; key: Uint8Array }[] = [];
  let removed = 0;
  for (const group of byHash.values()) {
    const { tenant, slot, key } = group.entries[0]!;
    const ks = sweep.keyspaceOfSlot(tenant, slot);
    let meter = meters.get(tenant);
    if (meter === undefined) meters.set(tenant, meter = new UsageMeter(tx, { name: tenant }));
    const mtx = meter.txn;
    const bytes = await mtx.get(ks.metaKey(key));
    const meta = bytes === undefined ? undefined : decodeMeta(bytes);
    let removedHere = 0;
    // An expired hash is the key sweeper's; a hash without the flag has no field TTLs: both entries are stale.
    if (meta !== undefined && meta.type === KeyType.Hash && hasFieldTtls(meta) && !isExpired(meta.expireAt, sweep.nowMs)) {
      for (const { field, expireAt } of group.entries) {
        const where = { gen: meta.gen, field };
        const current = await readFieldTtl(mtx, ks, key, where);
        if (current !== expireAt || !isExpired(expireAt, sweep.nowMs)) continue;
        const stored = await mtx.get(ks.fieldKey(key, meta.gen, field));
        if (stored !== undefined) {
          clearValue(mtx, ks, key, { ...where, previous: stored });
          removedHere++;
        }
        clearFieldTtl(mtx, ks, key, { ...where, expireAt }); // clears this index entry too
      }
    }
    // Stale entries (and the ones just handled: clearing twice is harmless).
    for (const entryKey of group.entryKeys) tx.clear(entryKey);
    if (removedHere === 0 || meta === undefined) continue;
    const emptied = await removedMembers(mtx, ks, key, { meta, removed: removedHere });
    ks.notify("h", "hexpired", key);
    if (emptied) ks.notify("g", "del", key);
    removed += removedHere;
    changedKeys.push({ ks, key });
  }
  const usage = new Map<string, UsageChange>();
  for (const [tenant, meter] of meters) usage.set(tenant, await meter.finish());
  return { processed: entries.length, removed, usage, changedKeys };
}
