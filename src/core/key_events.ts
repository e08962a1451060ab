// Committed writes, told to whoever listens: WATCH (a write marks watches of
// its keys changed), clients parked by runBlocking (a write to one of their
// keys runs them again), and tomorrow keyspace notifications and client
// tracking. Events are emitted by the executor when a commit is applied,
// once per committed operation, never for a failed or retried attempt.
//
// In-process: exact while one server owns the data (memory, SQLite). Across
// servers sharing a FoundationDB cluster, events must travel through the
// cluster (watches, versionstamped logs); that is the blocking issue's work.
import type { Keyspace } from "../model/keyspace.ts";
import { keyId } from "./key_id.ts";

export interface KeyEventListener {
  /** False while the listener has nobody to tell: the executor then skips working out written keys. */
  readonly listening: boolean;
  /** A committed write to these keys of one database, by the client whose id is `origin` (none: the server itself, e.g. expiry). */
  written(ks: Keyspace, keys: readonly Uint8Array[], origin?: number): void;
  /** A committed FLUSHDB (`db` given) or FLUSHALL (every database of the tenant). */
  flushed(tenant: string, db: number | undefined): void;
}

/** A client parked on keys until one of them is written. */
export interface KeyWaiter {
  /** Stops waiting: no more wake-ups. */
  cancel(): void;
}

interface Parked {
  readonly ids: readonly string[];
  readonly tenant: string;
  readonly db: number;
  readonly wake: () => void;
}

export class KeyEvents {
  private readonly listeners: KeyEventListener[] = [];
  /** key id → parked clients, in the order they parked (the longest waiting is woken first). */
  private readonly parked = new Map<string, Set<Parked>>();

  /** True when a write must be announced: the executor then works out its keys. */
  get listening(): boolean {
    if (this.parked.size > 0) return true;
    for (const listener of this.listeners) if (listener.listening) return true;
    return false;
  }

  subscribe(listener: KeyEventListener): void {
    this.listeners.push(listener);
  }

  written(ks: Keyspace, keys: readonly Uint8Array[], origin?: number): void {
    for (const listener of this.listeners) if (listener.listening) listener.written(ks, keys, origin);
    if (this.parked.size === 0) return;
    const woken: Parked[] = [];
    for (const key of keys) {
      const waiting = this.parked.get(keyId(ks, key));
      if (waiting !== undefined) for (const parked of waiting) woken.push(parked);
    }
    this.wakeAll(woken);
  }

  flushed(tenant: string, db: number | undefined): void {
    for (const listener of this.listeners) if (listener.listening) listener.flushed(tenant, db);
    if (this.parked.size === 0) return;
    const woken: Parked[] = [];
    for (const waiting of this.parked.values()) {
      for (const parked of waiting) if (parked.tenant === tenant && (db === undefined || parked.db === db)) woken.push(parked);
    }
    this.wakeAll(woken);
  }

  /** Calls `wake` after each committed write to one of `keys`, until cancelled. */
  waitFor(ks: Keyspace, keys: readonly Uint8Array[], wake: () => void): KeyWaiter {
    const parked: Parked = { ids: keys.map((key) => keyId(ks, key)), tenant: ks.tenant, db: ks.db, wake };
    for (const id of parked.ids) {
      let waiting = this.parked.get(id);
      if (waiting === undefined) {
        waiting = new Set();
        this.parked.set(id, waiting);
      }
      waiting.add(parked);
    }
    return {
      cancel: () => {
        for (const id of parked.ids) {
          const waiting = this.parked.get(id);
          if (waiting === undefined) continue;
          waiting.delete(parked);
          if (waiting.size === 0) this.parked.delete(id);
        }
      },
    };
  }

  /** Each parked client once, in the order they parked, even when several of its keys were written. */
  private wakeAll(woken: readonly Parked[]): void {
    const seen = new Set<Parked>();
    for (const parked of woken) {
      if (seen.has(parked)) continue;
      seen.add(parked);
      parked.wake();
    }
  }
}
