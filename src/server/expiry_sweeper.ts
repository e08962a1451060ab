// Runs active expiry in the background: every `intervalMs`, one cheap read
// finds the index buckets with due keys, then small write transactions
// remove them (bounded work per step, so clients barely notice).
import type { Engine } from "../engine/contract.ts";
import { bucketsWithDueKeys, sweepBucket } from "../model/expiry.ts";
import type { Keyspace } from "../model/keyspace.ts";
import type { UsageChange } from "../model/storage_usage.ts";

export interface SweeperOptions {
  readonly engine: Engine;
  readonly clock: () => number;
  readonly keyspaceOf: (tenant: string, db: number) => Keyspace;
  readonly intervalMs?: number;
  /** Index entries handled per transaction. */
  readonly batch?: number;
  /** Told of each tenant's storage freed by a committed sweep. */
  readonly onUsage?: (tenant: string, change: UsageChange) => void;
  /** Told how many keys of a tenant a committed sweep removed (INFO expired_keys per tenant). */
  readonly onExpired?: (tenant: string, keys: number) => void;
}

export class ExpirySweeper {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Keys removed since start, for INFO. */
  expiredKeys = 0;

  constructor(private readonly options: SweeperOptions) {}

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.step()
        .catch((error) => console.error(`expiry sweeper: step failed, will retry: ${error instanceof Error ? error.message : error}`))
        .finally(() => this.schedule());
    }, this.options.intervalMs ?? 100);
  }

  /** One pass: every bucket with due keys is drained, a batch per transaction. */
  async step(): Promise<void> {
    const { engine, clock, keyspaceOf } = this.options;
    const limit = this.options.batch ?? 128;
    const buckets = await engine.read((tx) => bucketsWithDueKeys(tx, clock()));
    // From a random bucket on: servers sharing one FoundationDB cluster (one global index)
    // then mostly sweep different buckets instead of conflicting on the same entries.
    const from = Math.floor(Math.random() * buckets.length);
    for (const bucket of [...buckets.slice(from), ...buckets.slice(0, from)]) {
      while (!this.stopped) {
        let usage: Map<string, UsageChange> | undefined;
        const { processed, removed, removedByTenant } = await engine.write(async (tx) => {
          const result = await sweepBucket(tx, { bucket, nowMs: clock(), limit, keyspaceOf });
          usage = result.usage;
          return result;
        }, { onApplied: () => usage?.forEach((change, tenant) => this.options.onUsage?.(tenant, change)) });
        this.expiredKeys += removed;
        removedByTenant.forEach((keys, tenant) => this.options.onExpired?.(tenant, keys));
        if (processed < limit) break;
      }
    }
  }
}
