// The server's view of each tenant's storage, for the quota check. Loaded
// from the counters on first use, kept exact by the changes of the writes
// this process applies, and re-read every few seconds so that writes by
// other processes sharing the engine (FoundationDB) are seen too.
import type { ReadTxn } from "../engine/contract.ts";
import type { UsageTracker } from "../core/metering.ts";
import type { UsageChange } from "../model/storage_usage.ts";
import { DATABASE_COUNT } from "../model/limits.ts";

const REFRESH_MS = 5_000;

interface Entry {
  readonly perDb: number[];
  total: number;
  loadedAtMs: number;
}

export class TenantUsage implements UsageTracker {
  private readonly tenants = new Map<string, Entry>();

  constructor(
    readonly quotaBytes: number,
    private readonly read: (tenant: string, tx: ReadTxn) => Promise<number[]>,
    private readonly clock: () => number = Date.now,
  ) {}

  cachedBytes(tenant: string): number | undefined {
    const entry = this.tenants.get(tenant);
    if (entry === undefined || this.clock() - entry.loadedAtMs > REFRESH_MS) return undefined;
    return entry.total;
  }

  async usedBytes(tenant: string, tx: ReadTxn): Promise<number> {
    let entry = this.tenants.get(tenant);
    if (entry === undefined || this.clock() - entry.loadedAtMs > REFRESH_MS) {
      const perDb = await this.read(tenant, tx);
      entry = { perDb, total: perDb.reduce((a, b) => a + b, 0), loadedAtMs: this.clock() };
      this.tenants.set(tenant, entry);
    }
    return entry.total;
  }

  applied(tenant: string, change: UsageChange): void {
    const entry = this.tenants.get(tenant);
    if (entry === undefined) return;
    if (change.reset.size === 0 && change.delta.size === 0) return;
    for (let db = 0; db < DATABASE_COUNT; db++) {
      if (change.reset.has(db)) entry.perDb[db] = 0;
      entry.perDb[db]! += change.delta.get(db) ?? 0;
    }
    entry.total = entry.perDb.reduce((a, b) => a + b, 0);
  }

  /** Forget cached figures (tests, CONFIG RESETSTAT has nothing to do with it). */
  forget(tenant: string): void {
    this.tenants.delete(tenant);
  }
}
