// Per-tenant storage quota: every write runs through a UsageMeter (model/
// storage_usage.ts), which keeps the exact usage counters in the same commit;
// a write that would grow a tenant past its quota is refused whole, while
// reads, deletes and writes that shrink the data still run.
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import type { Keyspace } from "../model/keyspace.ts";
import { type UsageChange, UsageMeter } from "../model/storage_usage.ts";

/** The usage a server knows of each tenant, and its quota. */
export interface UsageTracker {
  readonly quotaBytes: number;
  /** The tenant's bytes when a fresh figure is cached, else undefined. */
  cachedBytes(tenant: string): number | undefined;
  /** The tenant's bytes: cached, else read (without conflicts) through `tx`. */
  usedBytes(tenant: string, tx: ReadTxn): Promise<number>;
  /** A committed change; keeps the cache exact between refreshes. */
  applied(tenant: string, change: UsageChange): void;
}

/** A write refused because it would pass the tenant's quota; it aborts its transaction. */
export class QuotaExceeded extends Error {
  override readonly name = "QuotaExceeded";
  constructor(readonly tenant: string, readonly usedBytes: number, readonly growth: number, readonly quotaBytes: number) {
    super(`tenant '${tenant}' uses ${usedBytes} of ${quotaBytes} bytes and this write adds ${growth}`);
  }
}

/** A tenant and its keyspace of each database. */
export interface TenantSpaces {
  readonly name: string;
  readonly keyspaceOf: (db: number) => Keyspace;
}

export interface Metered<T> {
  readonly value: T;
  readonly change: UsageChange;
  /** False when the body wrote nothing (SET NX on an existing key, a blocked pop): nothing to announce. */
  readonly wrote: boolean;
}

/**
 * Runs a write body over a metering transaction: its value, and the usage
 * change to report once the write is applied. Throws QuotaExceeded when the
 * write would pass the quota. Synchronous when the body and the size reads
 * are, and the tenant's usage is cached (the common case).
 */
export function metered<T>(
  usage: UsageTracker,
  spaces: TenantSpaces,
  tx: Txn,
  body: (tx: Txn) => MaybePromise<T>,
): MaybePromise<Metered<T>> {
  const tenant = spaces.name;
  const meter = new UsageMeter(tx, spaces);
  // The usage is looked up (read into the cache when missing or stale) before
  // the body writes: read after finish(), it would include this transaction's
  // own add to the counters, which applied() then counts a second time.
  let usedBefore: number | Promise<number> | undefined = usage.cachedBytes(tenant);
  if (usedBefore === undefined) {
    usedBefore = usage.usedBytes(tenant, tx.snapshot);
    usedBefore.catch(() => {}); // awaited only when the write grows; its failure must not go unhandled
  }
  const used = usedBefore;
  return then(body(meter.txn), (value) =>
    then(meter.finish(), (change) => {
      const wrote = meter.wrote;
      if (change.growth <= 0) return { value, change, wrote };
      return then(used, (bytes) => {
        if (bytes + change.growth > usage.quotaBytes) throw new QuotaExceeded(tenant, bytes, change.growth, usage.quotaBytes);
        return { value, change, wrote };
      });
    }));
}
