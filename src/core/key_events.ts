// Committed writes, told to whoever listens: WATCH (a write marks watches of
// its keys changed), clients parked by runBlocking (a write to one of their
// keys runs them again), and tomorrow keyspace notifications and client
// tracking. Events are emitted by the executor when a commit is applied,
// once per committed operation, never for a failed or retried attempt.
//
// Parked clients are served as Redis serves the clients blocked on a key:
// in the order they blocked, one after another. A write to a key wakes its
// parked clients in parking order, each once the previous one's run is
// applied (`serve`); and a write that lands while they are being served
// makes the runs not yet started stale: they are skipped, and the clients
// are served again from the first, so a client that blocked later never
// takes what an earlier one would have got.
//
// In-process: exact while one server owns the data (memory, SQLite). Across
// servers sharing a FoundationDB cluster, events must travel through the
// cluster (watches, versionstamped logs): not done here yet.
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

/**
 * What a parked client does when woken by a write to `keys` (those of its
 * keys the write touched; none for a flush): runs again, and answers once
 * that run's transaction is applied (a promise), or undefined when it starts
 * no run. The next client woken by a write to the same key waits for it.
 * `current` turns false once a later write to the key was announced: a run
 * that has not started by then must do nothing (the later write wakes the
 * clients again, from the first).
 */
export type Wake = (keys: readonly Uint8Array[], current: () => boolean) => Promise<void> | undefined;

interface Parked {
  readonly ids: readonly string[];
  readonly tenant: string;
  readonly db: number;
  readonly wake: Wake;
}

const ALWAYS_CURRENT = (): boolean => true;

/** How long a wake-up through another server's write waits for a local announcement of the same write. */
const REMOTE_WAKE_GRACE_MS = 2;

export class KeyEvents {
  private readonly listeners: KeyEventListener[] = [];
  /** key id → parked clients, in the order they parked (the longest waiting is woken first). */
  private readonly parked = new Map<string, Set<Parked>>();
  /** key id → the end of the chain of woken clients of that key still being served. */
  private readonly serving = new Map<string, Promise<void>>();
  /** key id (of keys with parked clients) → how many writes woke its clients: a wake-up is current while it is the last. */
  private readonly versions = new Map<string, number>();

  /** True when a write must be announced: the executor then works out its keys. */
  get listening(): boolean {
    if (this.parked.size > 0) return true;
    for (const listener of this.listeners) if (listener.listening) return true;
    return false;
  }

  subscribe(listener: KeyEventListener): void {
    this.listeners.push(listener);
  }

  /**
   * A committed write to `keys` (by the client whose id is `origin`, if
   * known: client tracking's NOLOOP). `wakes` false: the write only took
   * elements away (a pop), which makes nothing ready, so WATCH and tracking
   * hear of it and parked clients do not.
   */
  written(ks: Keyspace, keys: readonly Uint8Array[], origin?: number, wakes = true): void {
    for (const listener of this.listeners) if (listener.listening) listener.written(ks, keys, origin);
    if (wakes) this.wakeParked(ks, keys);
  }

  /**
   * A write to `keys` committed through another server (a FoundationDB
   * watch of a parked client fired: core/remote_wake.ts). Its parked clients
   * are woken as by a write of this server, one after another in the order
   * they parked; WATCH and client tracking, which are per server, do not
   * hear of it.
   */
  writtenElsewhere(ks: Keyspace, keys: readonly Uint8Array[]): void {
    // A watch also fires for this server's own writes, sometimes before their commit is reported here (an
    // unknown result being resolved): the local announcement, which knows the order of the keys a write
    // touched, goes first, and a wake-up it already made is not made again.
    const ids = keys.map((key) => keyId(ks, key));
    const seen = ids.map((id) => this.versions.get(id));
    setTimeout(() => {
      if (ids.every((id, i) => this.versions.get(id) === seen[i])) this.wakeParked(ks, keys);
    }, REMOTE_WAKE_GRACE_MS);
  }

  private wakeParked(ks: Keyspace, keys: readonly Uint8Array[]): void {
    if (this.parked.size === 0) return;
    // Each parked client with the keys of this write it waits on; clients in the order of the keys, then of parking.
    const woken = new Map<Parked, Uint8Array[]>();
    for (const key of keys) {
      const id = keyId(ks, key);
      const waiting = this.parked.get(id);
      if (waiting === undefined) continue;
      this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
      for (const parked of waiting) {
        const hit = woken.get(parked);
        if (hit === undefined) woken.set(parked, [key]);
        else hit.push(key);
      }
    }
    for (const [parked, hit] of woken) {
      const id = keyId(ks, hit[0]!);
      const version = this.versions.get(id);
      this.serve(id, () => parked.wake(hit, () => this.versions.get(id) === version));
    }
  }

  /** Runs `wake` once the clients woken before it on the same key are served. */
  private serve(id: string, wake: () => Promise<void> | undefined): void {
    const previous = this.serving.get(id);
    const done = previous === undefined ? wake() : previous.then(wake);
    if (done === undefined) return;
    const tail: Promise<void> = done.then(() => {
      if (this.serving.get(id) === tail) this.serving.delete(id);
    });
    this.serving.set(id, tail);
  }

  flushed(tenant: string, db: number | undefined): void {
    for (const listener of this.listeners) if (listener.listening) listener.flushed(tenant, db);
    if (this.parked.size === 0) return;
    const woken = new Set<Parked>();
    for (const waiting of this.parked.values()) {
      for (const parked of waiting) if (parked.tenant === tenant && (db === undefined || parked.db === db)) woken.add(parked);
    }
    for (const parked of woken) parked.wake([], ALWAYS_CURRENT);
  }

  /** Calls `wake` after each committed write to one of `keys` (or flush of their database), until cancelled. */
  waitFor(ks: Keyspace, keys: readonly Uint8Array[], wake: Wake): KeyWaiter {
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
          if (waiting.size > 0) continue;
          this.parked.delete(id);
          this.versions.delete(id);
        }
      },
    };
  }
}
