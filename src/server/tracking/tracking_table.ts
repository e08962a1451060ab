// Default-mode client tracking: which connections read which keys (Redis's
// TrackingTable), per tenant and database. A key is remembered when a
// tracking connection reads it and forgotten when it is invalidated: its next
// write sends one invalidation per reader, then nothing until it is read again.
//
// Bounded by `tracking-table-max-keys` over all tenants: remembering a key
// past the limit evicts the oldest key (of the same tenant first, so that a
// tenant reading much evicts its own keys before anyone else's); the caller
// sends the evicted key's invalidation, so no cached value goes stale.
import { byteString } from "../../engine/bytes.ts";

/** A remembered key and the ids of the connections that read it since its last invalidation. */
export interface TrackedKey {
  readonly tenant: string;
  readonly db: number;
  readonly key: Uint8Array;
  readonly readers: Set<number>;
}

/**
 * Keys remembered when `tracking-table-max-keys` is 0 (Redis: no limit):
 * memory stays bounded all the same.
 */
export const TRACKING_TABLE_HARD_MAX_KEYS = 10_000_000;

/** The limit in force for a configured `tracking-table-max-keys`. */
export function effectiveMaxKeys(configured: number): number {
  return configured <= 0 || configured > TRACKING_TABLE_HARD_MAX_KEYS ? TRACKING_TABLE_HARD_MAX_KEYS : configured;
}

export class TrackingTable {
  /** tenant → (db and key bytes → entry), each map in the order keys were first remembered. */
  private readonly tenants = new Map<string, Map<string, TrackedKey>>();
  private count = 0;

  /** Keys remembered, all tenants together. */
  get size(): number {
    return this.count;
  }

  /**
   * Remembers that connection `reader` read `key`. Returns the keys evicted
   * to stay within `maxKeys` (their readers must be sent an invalidation).
   */
  remember(where: { readonly tenant: string; readonly db: number }, key: Uint8Array, reader: number, maxKeys: number): TrackedKey[] {
    const id = entryId(where.db, key);
    const known = this.tenants.get(where.tenant)?.get(id);
    if (known !== undefined) {
      known.readers.add(reader);
      return [];
    }
    const evicted: TrackedKey[] = [];
    while (this.count >= maxKeys) {
      const victim = this.oldest(where.tenant);
      if (victim === undefined) break;
      this.take(victim.tenant, victim.db, victim.key);
      evicted.push(victim);
    }
    let keys = this.tenants.get(where.tenant);
    if (keys === undefined) {
      keys = new Map();
      this.tenants.set(where.tenant, keys);
    }
    // The copy: argv buffers may be reused by the parser once the command is done.
    keys.set(id, { tenant: where.tenant, db: where.db, key: key.slice(), readers: new Set([reader]) });
    this.count++;
    return evicted;
  }

  /** Forgets `key` and returns who read it, if anyone did: a write's invalidation. */
  take(tenant: string, db: number, key: Uint8Array): TrackedKey | undefined {
    const keys = this.tenants.get(tenant);
    if (keys === undefined) return undefined;
    const id = entryId(db, key);
    const entry = keys.get(id);
    if (entry === undefined) return undefined;
    keys.delete(id);
    this.count--;
    if (keys.size === 0) this.tenants.delete(tenant);
    return entry;
  }

  /** FLUSHDB (`db`) or FLUSHALL: every key of the scope is forgotten (its readers get a flush invalidation instead). */
  forget(tenant: string, db: number | undefined): void {
    const keys = this.tenants.get(tenant);
    if (keys === undefined) return;
    if (db === undefined) {
      this.count -= keys.size;
      this.tenants.delete(tenant);
      return;
    }
    for (const [id, entry] of keys) {
      if (entry.db !== db) continue;
      keys.delete(id);
      this.count--;
    }
    if (keys.size === 0) this.tenants.delete(tenant);
  }

  /** Forgets everything: nobody tracks any more. */
  clear(): void {
    this.tenants.clear();
    this.count = 0;
  }

  /** The key to evict: the oldest of `tenant`, else the oldest of the tenant holding the most. */
  private oldest(tenant: string): TrackedKey | undefined {
    let keys = this.tenants.get(tenant);
    if (keys === undefined) {
      for (const other of this.tenants.values()) if (keys === undefined || other.size > keys.size) keys = other;
    }
    if (keys === undefined) return undefined;
    for (const entry of keys.values()) return entry;
    return undefined;
  }
}

function entryId(db: number, key: Uint8Array): string {
  return `${db}\u0000${byteString(key)}`;
}
