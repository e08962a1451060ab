// Watches (fdb_transaction_watch) behind the engine's KeyWatch, and the
// engine's table of the live ones.
//
// Life of a watch (api-c.html): made inside a transaction, it reports
// changes by others only once that transaction commits; a failed commit
// sets it to the commit's error; it outlives its transaction and holds one
// of the database handle's `max_watches` slots (10,000 by default) until it
// fires, fails or is cancelled. So:
// - an attempt that does not commit (retried, given up) has its watches
//   failed and cancelled by the engine (engine.ts, attemptOnce); only the
//   committed attempt's watches stay live;
// - cancel() calls fdb_future_cancel, whose callback then runs, and the
//   future is destroyed once (never before its callback, never twice);
// - engine.close() cancels every live watch and waits until each future is
//   destroyed: no future outlives its database.
//
// too_many_watches (1032): past the handle's limit, FoundationDB refuses the
// watch at once. A client must not fail for that, so the watch degrades to
// a timer: `changed` settles after `fallbackMs` whatever happened, and the
// waiter (a blocked pop, an event-log follower) checks again, as a poll.
// That costs one transaction per waiter per period, which is why the limit
// is raised (`maxWatches`) rather than relied on.
//
// `changed` of a cancelled watch never settles: whoever cancels it no
// longer listens. It rejects (with an EngineError) when the transaction did
// not commit, or the engine closed, and never goes unhandled.
import type { KeyWatch } from "../contract.ts";
import { EngineError } from "../errors.ts";
import type { FdbClient, FdbTransaction } from "./client.ts";
import { engineErrorOf } from "./error_map.ts";
import { FdbErrorCode, isNull, type Ptr } from "./fdb_c.ts";

/** How long a watch refused with too_many_watches waits before telling its owner to check again. */
export const WATCH_FALLBACK_MS = 200;

export interface WatchStats {
  /** Watches live now (made, not yet fired, failed or cancelled). */
  readonly live: number;
  /** Watches that fired (the key changed). */
  readonly fired: number;
  /** Watches refused with too_many_watches that fell back to a timer. */
  readonly fallbacks: number;
}

type State = "new" | "issued" | "done";

/** One watch of one transaction attempt. */
export class FdbKeyWatch implements KeyWatch {
  readonly changed: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;
  private state: State = "new";
  private cancelled = false;
  private future: Ptr = null;
  /** True from the moment the future is destroyed: cancel() must not touch it after. */
  private destroyed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Settles once the future is destroyed (or was never made). */
  released: Promise<void> = Promise.resolve();

  constructor(private readonly table: WatchTable) {
    this.changed = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.changed.catch(() => {});
  }

  /** Sends the watch to FoundationDB, in `tr`, on `key`. Once; nothing after cancel(). */
  issue(tr: FdbTransaction, key: Uint8Array): void {
    if (this.state !== "new" || this.cancelled) return;
    this.state = "issued";
    this.future = tr.watch(key);
    this.released = this.wait();
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.state === "issued" && !this.destroyed && !isNull(this.future)) {
      // Its callback runs (operation_cancelled), then wait() destroys it and lets it go.
      this.table.client.lib.c.fdb_future_cancel(this.future);
    } else {
      this.finish();
    }
  }

  /** Its transaction did not commit, or the engine is closing: tells the owner, then frees the watch. */
  fail(reason: unknown): void {
    this.reject(reason);
    this.cancel();
  }

  private async wait(): Promise<void> {
    const future = this.future;
    const { client } = this.table;
    let code: number;
    try {
      await client.futures.ready(future);
      code = client.lib.c.fdb_future_get_error(future);
    } catch (error) {
      // fdb_future_set_callback failed: the watch cannot report anything.
      this.finish();
      this.reject(error);
      return;
    } finally {
      this.destroyed = true;
      if (!isNull(future)) client.lib.c.fdb_future_destroy(future);
    }
    if (this.cancelled) {
      this.finish();
      return;
    }
    if (code === 0) {
      this.table.noteFired();
      this.finish();
      this.resolve();
      return;
    }
    if (code === FdbErrorCode.TOO_MANY_WATCHES) {
      // Degrade to a poll: settle after a while, whatever happened (see the top of this file).
      this.table.noteFallback();
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.finish();
        this.resolve();
      }, this.table.fallbackMs);
      return;
    }
    this.finish();
    this.reject(engineErrorOf(client.futures.error(code), client));
  }

  private finish(): void {
    this.state = "done";
    this.table.forget(this);
  }
}

/** The live watches of one engine (one database handle). */
export class WatchTable {
  private readonly live = new Set<FdbKeyWatch>();
  private closed = false;
  private fired = 0;
  private fallbacks = 0;

  constructor(
    readonly client: FdbClient,
    readonly fallbackMs: number,
  ) {}

  get stats(): WatchStats {
    return { live: this.live.size, fired: this.fired, fallbacks: this.fallbacks };
  }

  /** A watch not yet sent to FoundationDB (FdbTxn issues it in call order). */
  create(): FdbKeyWatch {
    const watch = new FdbKeyWatch(this);
    if (this.closed) {
      watch.fail(closedError());
      return watch;
    }
    this.live.add(watch);
    return watch;
  }

  /** Cancels every live watch and waits until their futures are destroyed. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.live];
    const reason = closedError();
    for (const watch of all) watch.fail(reason);
    await Promise.all(all.map((watch) => watch.released));
  }

  /** @internal */
  forget(watch: FdbKeyWatch): void {
    this.live.delete(watch);
  }

  /** @internal */
  noteFired(): void {
    this.fired++;
  }

  /** @internal */
  noteFallback(): void {
    this.fallbacks++;
  }
}

function closedError(): EngineError {
  return new EngineError("engine_closed", "the FoundationDB engine closed while a watch was waiting; open the engine again to wait for changes");
}
