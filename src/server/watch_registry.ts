// WATCH bookkeeping: which connections watch which keys. A committed write
// marks every watch of its keys as changed, so EXEC of those connections
// answers nil. Kept in memory: exact while one process owns the data.
import type { WatchRegistry, WatchState } from "../commands/spec.ts";
import type { Keyspace } from "../model/keyspace.ts";

/** The registry's name for a key of a database of a tenant. */
export function watchId(ks: Keyspace, key: Uint8Array): string {
  let text = `${ks.db}\u0000${ks.tenant}\u0000`;
  for (let i = 0; i < key.length; i += 8192) text += String.fromCharCode(...key.subarray(i, i + 8192));
  return text;
}

export class InMemoryWatchRegistry implements WatchRegistry {
  private readonly byKey = new Map<string, Set<WatchState>>();

  get watching(): boolean {
    return this.byKey.size > 0;
  }

  add(state: WatchState, ks: Keyspace, key: Uint8Array): void {
    const id = watchId(ks, key);
    let watchers = this.byKey.get(id);
    if (watchers === undefined) {
      watchers = new Set();
      this.byKey.set(id, watchers);
    }
    watchers.add(state);
  }

  remove(state: WatchState): void {
    for (const id of state.keys.keys()) {
      const watchers = this.byKey.get(id);
      watchers?.delete(state);
      if (watchers?.size === 0) this.byKey.delete(id);
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
    for (const watchers of this.byKey.values()) {
      for (const state of watchers) {
        for (const { ks } of state.keys.values()) {
          if (ks.tenant === tenant && (db === undefined || ks.db === db)) state.changed = true;
        }
      }
    }
  }
}
