// Runs active expiry in the background: every `intervalMs`, one cheap read
// finds the index buckets with due keys, then small write transactions
// remove them (bounded work per step, so clients barely notice).
//
// The sweeper is a client of the executor like any connection: its reads and
// removals are operations, so they get the same transaction, retry and
// after-commit handling. It acts as a system principal of a tenant that owns
// no data; the removals span tenants, and sweepBucket meters each tenant's
// freed storage itself.
import type { Principal } from "../auth/contract.ts";
import type { Client } from "../core/client.ts";
import type { Executor } from "../core/executor.ts";
import type { Operation } from "../core/operation.ts";
import { bucketsWithDueKeys, sweepBucket } from "../model/expiry.ts";
import { bucketsWithDueFields, sweepFieldBucket } from "../model/hash_field_expiry_sweep.ts";
import type { Keyspace, KeyspaceEventSink } from "../model/keyspace.ts";
import type { UsageChange } from "../model/storage_usage.ts";

export interface SweeperOptions {
  readonly executor: Executor;
  readonly keyspaceOf: (tenant: string, db: number) => Keyspace;
  /** The keyspace whose data is in physical database `slot` (the expiry index names slots). */
  readonly keyspaceOfSlot: (tenant: string, slot: number) => Keyspace;
  readonly intervalMs?: number;
  /** Index entries handled per transaction. */
  readonly batch?: number;
  /** Told of each tenant's storage freed by a committed sweep. */
  readonly onUsage?: (tenant: string, change: UsageChange) => void;
  /** Told how many keys of a tenant a committed sweep removed (INFO expired_keys per tenant). */
  readonly onExpired?: (tenant: string, keys: number) => void;
}

/** The sweeper's tenant: no client can authenticate as it (tenant names never hold a NUL), so it owns no data. */
const SWEEPER_TENANT = "\u0000expiry-sweeper";
const SWEEPER: Principal = { user: "materia-expiry-sweeper", tenant: SWEEPER_TENANT, canWrite: true, operator: true };

const findDueBuckets: Operation<undefined, number[]> = {
  name: "expiry-sweeper|find",
  access: "read",
  writes: false,
  reads: true,
  keys: () => [],
  run: ({ tx, nowMs }) => bucketsWithDueKeys(tx, nowMs),
};

/** Buckets of the hash-field expiry index with due fields (hash_field_ttl.ts). */
const findDueFieldBuckets: Operation<undefined, number[]> = {
  name: "expiry-sweeper|find-fields",
  access: "read",
  writes: false,
  reads: true,
  keys: () => [],
  run: ({ tx, nowMs }) => bucketsWithDueFields(tx, nowMs),
};

interface SweepArgs {
  readonly bucket: number;
  readonly limit: number;
}

export class ExpirySweeper {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly client: Client;
  private readonly sweep: Operation<SweepArgs, number>;
  private readonly sweepFields: Operation<SweepArgs, number>;
  /** Keys removed since start, for INFO. */
  expiredKeys = 0;

  constructor(private readonly options: SweeperOptions) {
    this.client = { principal: SWEEPER, keyspace: options.keyspaceOf(SWEEPER_TENANT, 0) };
    this.sweep = {
      name: "expiry-sweeper|remove",
      access: "write",
      writes: true,
      reads: true,
      keys: () => [],
      run: async ({ tx, nowMs, effects }, { bucket, limit }) => {
        // Every removal is an `expired` event of its tenant's keyspace: whether the tenant
        // listens is asked after the commit (by whoever turns events into messages), not
        // here, inside a transaction. A sweep is small and in the background.
        const result = await sweepBucket(tx, { bucket, nowMs, limit, keyspaceOfSlot: this.keyspacesWithEvents(effects) });
        // Redis signals an expired key as modified: WATCH and client tracking (its invalidation) hear of it.
        for (const { ks, key } of result.removedKeys) effects.wrote(ks, [key]);
        effects.afterCommit(() => {
          result.usage.forEach((change, tenant) => options.onUsage?.(tenant, change));
          this.expiredKeys += result.removed;
          result.removedByTenant.forEach((keys, tenant) => options.onExpired?.(tenant, keys));
        });
        return result.processed;
      },
    };
    this.sweepFields = {
      name: "expiry-sweeper|remove-fields",
      access: "write",
      writes: true,
      reads: true,
      keys: () => [],
      run: async ({ tx, nowMs, effects }, { bucket, limit }) => {
        const result = await sweepFieldBucket(tx, { bucket, nowMs, limit, keyspaceOfSlot: this.keyspacesWithEvents(effects) });
        // A hash that lost fields was modified (WATCH, client tracking, and `del` semantics when it went).
        for (const { ks, key } of result.changedKeys) effects.wrote(ks, [key]);
        effects.afterCommit(() => result.usage.forEach((change, tenant) => options.onUsage?.(tenant, change)));
        return result.processed;
      },
    };
  }

  /** The keyspaces of one sweep, by tenant and slot (what index entries name), each made once and telling `effects` its events. */
  private keyspacesWithEvents(effects: KeyspaceEventSink): (tenant: string, slot: number) => Keyspace {
    const seen = new Map<string, Keyspace>();
    return (tenant, slot) => {
      const id = `${slot}:${tenant}`;
      let ks = seen.get(id);
      if (ks === undefined) seen.set(id, ks = this.options.keyspaceOfSlot(tenant, slot).withEvents(effects));
      return ks;
    };
  }

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

  /** One pass: every bucket with due keys, then every bucket with due hash fields, is drained, a batch per transaction. */
  async step(): Promise<void> {
    const limit = this.options.batch ?? 128;
    await this.drain(findDueBuckets, this.sweep, limit);
    await this.drain(findDueFieldBuckets, this.sweepFields, limit);
  }

  /** Drains every due bucket `find` names with `remove`, a batch per transaction, from a random bucket on. */
  private async drain(find: Operation<undefined, number[]>, remove: Operation<SweepArgs, number>, limit: number): Promise<void> {
    const { executor } = this.options;
    const buckets = await executor.run(this.client, find, undefined);
    // From a random bucket on: servers sharing one FoundationDB cluster (one global index)
    // then mostly sweep different buckets instead of conflicting on the same entries.
    const from = Math.floor(Math.random() * buckets.length);
    for (const bucket of [...buckets.slice(from), ...buckets.slice(0, from)]) {
      while (!this.stopped) {
        const processed = await executor.run(this.client, remove, { bucket, limit });
        if (processed < limit) break;
      }
    }
  }
}
