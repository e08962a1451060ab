// Per-tenant storage quota: every write runs through a UsageMeter (model/
// storage_usage.ts), which keeps the exact usage counters in the same commit;
// a write that would grow a tenant past its quota is refused whole with
// -OOM, while reads, deletes and writes that shrink the data still run.
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { readUsage, type UsageChange, UsageMeter } from "../model/storage_usage.ts";
import type { ErrorReply } from "../resp/reply.ts";
import { quotaExceeded } from "./errors.ts";
import type { ServerServices } from "./spec.ts";

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

export class QuotaExceeded extends Error {
  override readonly name = "QuotaExceeded";
  constructor(readonly tenant: string, readonly usedBytes: number, readonly growth: number, readonly quotaBytes: number) {
    super(`tenant '${tenant}' uses ${usedBytes} of ${quotaBytes} bytes and this write adds ${growth}`);
  }

  get reply(): ErrorReply {
    return quotaExceeded(this.message);
  }
}

/**
 * Runs a write body over a metering transaction. Returns its value and the
 * usage change to report once the write is applied. Throws QuotaExceeded,
 * which aborts the transaction, when the write would pass the quota.
 */
export async function meteredBody<T>(
  server: ServerServices,
  tenant: string,
  tx: Txn,
  body: (tx: Txn) => Promise<T>,
): Promise<{ value: T; change: UsageChange }> {
  const meter = new UsageMeter(tx, (db) => server.keyspaceOf(tenant, db));
  // The usage is looked up (read into the cache when missing or stale) before
  // the body writes: read after finish(), it would include this transaction's
  // own add to the counters, which applied() then counts a second time.
  // The common case, a fresh cached figure, costs no promise.
  let usedBefore: number | Promise<number> | undefined = server.usage.cachedBytes(tenant);
  if (usedBefore === undefined) {
    usedBefore = server.usage.usedBytes(tenant, tx.snapshot);
    usedBefore.catch(() => {}); // awaited only when the write grows; its failure must not go unhandled
  }
  const value = await body(meter.txn);
  const finished = meter.finish();
  const change = finished instanceof Promise ? await finished : finished;
  if (change.growth > 0) {
    const used = await usedBefore;
    if (used + change.growth > server.usage.quotaBytes) throw new QuotaExceeded(tenant, used, change.growth, server.usage.quotaBytes);
  }
  return { value, change };
}

/** Reads a tenant's usage per database from its counters. */
export function readTenantUsage(server: ServerServices, tenant: string, tx: ReadTxn): Promise<number[]> {
  return readUsage(tx, (db) => server.keyspaceOf(tenant, db));
}
