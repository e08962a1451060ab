// WATCH bookkeeping: which connections watch which keys. A committed write
// marks every watch of its keys as changed, so EXEC of those connections
// answers nil. Kept in memory: exact while one process owns the data.
//
// Watches are indexed twice: by key, for the writes of ordinary commands,
// and by tenant and database, for FLUSHDB and FLUSHALL, which touch each
// watching connection of their scope once. (Walking every watched key of
// every connection made one FLUSHDB quadratic in the keys watched.)
//
// It hears of committed writes as a listener of the core's KeyEvents.
import { keyId as watchId } from "../core/key_id.ts";
import type { KeyEventListener } from "../core/key_events.ts";
import type { WatchRegistry, WatchState } from "../commands/spec.ts";
import type { Keyspace } from "../model/keyspace.ts";

export { watchId };

export class InMemoryWatchRegistry implements WatchRegistry, KeyEventListener {
  private readonly byKey = new Map<string, Set<WatchState>>();
  /** tenant → database → connections watching at least one key there. */
  private readonly byDatabase = new Map<string, Map<number, Set<WatchState>>>();

  get watching(): boolean {
    return this.byKey.size > 0;
  }

  get listening(): boolean {
    return this.byKey.size > 0;
  }

  written(ks: Keyspace, keys: readonly Uint8Array[]): void {
    this.touch(ks, keys);
  }

  flushed(tenant: string, db: number | undefined): void {
    this.touchAll(tenant, db);
  }

  add(state: WatchState, ks: Keyspace, key: Uint8Array): void {
    const id = watchId(ks, key);
    let watchers = this.byKey.get(id);
    if (watchers === undefined) {
      watchers = new Set();
      this.byKey.set(id, watchers);
    }
    watchers.add(state);
    let databases = this.byDatabase.get(ks.tenant);
    if (databases === undefined) {
      databases = new Map();
      this.byDatabase.set(ks.tenant, databases);
    }
    let inDatabase = databases.get(ks.db);
    if (inDatabase === undefined) {
      inDatabase = new Set();
      databases.set(ks.db, inDatabase);
    }
    inDatabase.add(state);
  }

  remove(state: WatchState): void {
    for (const [id, { ks }] of state.keys) {
      const watchers = this.byKey.get(id);
      watchers?.delete(state);
      if (watchers?.size === 0) this.byKey.delete(id);
      const databases = this.byDatabase.get(ks.tenant);
      const inDatabase = databases?.get(ks.db);
      if (inDatabase === undefined || !inDatabase.delete(state)) continue;
      if (inDatabase.size === 0) databases!.delete(ks.db);
      if (databases!.size === 0) this.byDatabase.delete(ks.tenant);
    }
  }

  touch(ks: Keyspace, keys: readonly Uint8Array[]): void {
    if (this.byKey.size === 0) return; // the common case: nobody watches
    for (const key of keys) {
      const watchers = this.byKey.get(watchId(ks, key));
      if (watchers) for (const state of watchers) state.changed = true;
    }
  }

  touchAll(tenant: string, db: number | undefined): void {
    const databases = this.byDatabase.get(tenant);
    if (databases === undefined) return;
    const scope = db === undefined ? databases.values() : [databases.get(db) ?? new Set<WatchState>()];
    for (const watchers of scope) for (const state of watchers) state.changed = true;
  }
}
