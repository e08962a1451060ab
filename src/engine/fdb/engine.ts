// The FoundationDB engine: the Engine contract over a FoundationDB cluster,
// through the thin binding of fdb_c.ts / client.ts and a runtime adapter's
// FFI (adapter/<runtime>/fdb_ffi.ts).
//
// - Each read or write is one FoundationDB transaction, run by the retry loop
//   of developer-guide.html: on an error, fdb_transaction_on_error decides
//   (with FoundationDB's backoff) whether to run the body again. On top of it,
//   the engine's own policy: at most MAX_RETRIES retries, none started after
//   RETRY_DEADLINE_MS, and a database-wide `transaction_timeout` so that no
//   call waits forever on an unreachable cluster.
// - Writes are durable when the commit succeeds; `onApplied` runs right then,
//   before the promise resolves (FoundationDB has no "applied but not yet
//   durable" state to expose). A write body that wrote nothing does not commit.
// - commit_unknown_result (1021): see idempotency.ts. With markers on (the
//   default), no body's effects apply twice; without, a retried INCR may
//   count twice (at-least-once).
// - Connections run concurrently: FoundationDB's optimistic concurrency
//   orders them, and conflicts (1020) are retried. Within this process,
//   attempts retried after a conflict go one at a time, and transactions that
//   read a key known to conflict take turns on it (hot_keys.ts), so a hot
//   counter does not turn into a retry storm that ends in TRYAGAIN.
// - Watches (Txn.watch, watches.ts): an attempt that made watches commits
//   even if it only read (a watch starts at the commit); an attempt that
//   does not commit has its watches cancelled, so only the committed
//   attempt's stay live. close() cancels the live ones.
// - The event log (Engine.eventLog, event_log.ts) runs its transactions
//   through the same retry loop.
import type { Engine, MaybePromise, RunOptions, Txn } from "../contract.ts";
import { EngineError } from "../errors.ts";
import { MAX_BACKOFF_MS, MAX_RETRIES, MAX_TRANSACTION_MS, RETRY_DEADLINE_MS } from "../limits.ts";
import { outcomeUnknownAfterRetries, retriesExhausted } from "../retry_policy.ts";
import { type FdbDatabase, FdbClient, type FdbTransaction } from "./client.ts";
import { ClusterFileError, resolveClusterFile } from "./cluster_file.ts";
import { asEngineError, engineErrorOf, retryCodeOf } from "./error_map.ts";
import { FdbEventLog, type EventLogOptions } from "./event_log.ts";
import { DatabaseOption, FdbErrorCode, type FdbNativeLibrary, int64Option, TransactionOption } from "./fdb_c.ts";
import { FdbError } from "./futures.ts";
import { attemptOfMarker, KEEP_MINUTES, MARKER_SPACE, markersBefore, markerValue, minuteOf, newMarkerKey } from "./idempotency.ts";
import { HotKeys, type Release } from "./hot_keys.ts";
import { FdbTxn } from "./txn.ts";
import { WATCH_FALLBACK_MS, WatchTable, type WatchStats } from "./watches.ts";

export interface FdbEngineOptions {
  /** libfdb_c, loaded by the runtime's adapter. */
  readonly library: FdbNativeLibrary;
  /** Cluster file path; undefined: FoundationDB's default lookup (./fdb.cluster, then the system's). */
  readonly clusterFile?: string;
  /** Monotonic milliseconds for the 5 s transaction limit; tests inject one. */
  readonly clock?: () => number;
  /** Wall-clock milliseconds, for the minute buckets of idempotency markers. */
  readonly wallClock?: () => number;
  /** Idempotency markers (default on): no body applies twice after commit_unknown_result. */
  readonly idempotencyMarkers?: boolean;
  /** How long `open` waits for the cluster to answer (default 3000 ms). */
  readonly connectTimeoutMs?: number;
  /** Stop the process's network thread when this engine closes (the server does; tests open many engines). */
  readonly stopNetworkOnClose?: boolean;
  /**
   * FoundationDB's `max_watches` for this database handle (default: the
   * library's, 10,000). Each client blocked on a key holds one watch per key,
   * each followed event-log topic one. Past it, watches fall back to polling
   * every `watchFallbackMs` (watches.ts).
   */
  readonly maxWatches?: number;
  /** The poll period of watches refused with too_many_watches (default WATCH_FALLBACK_MS). */
  readonly watchFallbackMs?: number;
  /** Retention and paging of the event log. */
  readonly eventLog?: EventLogOptions;
}

export interface FdbEngineStats {
  /** Write transactions committed. */
  readonly commits: number;
  /** Commits refused by a conflict (1020). */
  readonly conflicts: number;
  /** Bodies run again (or marker checks made) after a retryable error. */
  readonly retries: number;
  /** Commits whose outcome was unknown (1021 and other maybe-committed errors). */
  readonly unknownResults: number;
  /** Unknown results that the marker showed had committed: answered without running the body again. */
  readonly resolvedByMarker: number;
  /** Range clears of old marker buckets. */
  readonly markerSweeps: number;
}

/** What one engine.read/write call carries from attempt to attempt. */
interface CallState<T> {
  readonly body: (tx: Txn) => MaybePromise<T>;
  readonly options: RunOptions | undefined;
  readonly readOnly: boolean;
  readonly marker: Uint8Array | undefined;
  /** Results of attempts whose commit's outcome was unknown, by attempt number. */
  readonly committedResults: Map<number, T>;
  /** Some attempt's commit may have applied: later attempts check the marker first. */
  uncertain: boolean;
}

/** How far one attempt got, for its error handler. */
interface AttemptProgress<T> {
  committing: boolean;
  result: T | undefined;
  /** The keys the attempt read with conflicts. */
  conflictKeys: readonly Uint8Array[];
}

/** Every transaction, retries included, gives up after this long: a backstop against an unreachable cluster. */
const TRANSACTION_TIMEOUT_MS = RETRY_DEADLINE_MS + MAX_TRANSACTION_MS;

export class FdbEngine implements Engine {
  readonly name = "fdb";
  private readonly clock: () => number;
  private readonly wallClock: () => number;
  private readonly markers: boolean;
  private inFlight = 0;
  private closed = false;
  /** The database handle is destroyed: nothing runs any more. */
  private released = false;
  private closing: Promise<void> | null = null;
  private drained: (() => void) | null = null;
  private sweptMinute = -1;
  /** The tail of the queue of attempts retried after a conflict (oneAtATime). */
  private conflictQueue: Promise<void> = Promise.resolve();
  private readonly hotKeys: HotKeys;
  private counts = { commits: 0, conflicts: 0, retries: 0, unknownResults: 0, resolvedByMarker: 0, markerSweeps: 0 };
  private readonly watches: WatchTable;
  /** Pub/sub messages and keyspace events between the servers of the cluster. */
  readonly eventLog: FdbEventLog;

  private constructor(
    private readonly client: FdbClient,
    private readonly db: FdbDatabase,
    private readonly options: FdbEngineOptions,
  ) {
    this.clock = options.clock ?? (() => performance.now());
    this.wallClock = options.wallClock ?? (() => Date.now());
    this.markers = options.idempotencyMarkers ?? true;
    this.hotKeys = new HotKeys(() => performance.now());
    this.watches = new WatchTable(client, options.watchFallbackMs ?? WATCH_FALLBACK_MS);
    this.eventLog = new FdbEventLog({
      read: (body) => this.run((tx) => body(tx as FdbTxn), undefined, { readOnly: true, internal: true }),
      write: (body) => {
        if (this.markers) this.sweepOldMarkers();
        return this.run((tx) => body(tx as FdbTxn), undefined, { readOnly: false, internal: true });
      },
      wallClock: this.wallClock,
    }, options.eventLog);
  }

  /**
   * Starts the client (once per process), opens the database and checks that
   * the cluster answers. Fails with storage_failure naming what is missing:
   * the cluster file, or a cluster that does not answer in time.
   */
  static async open(options: FdbEngineOptions): Promise<FdbEngine> {
    let clusterFile: string;
    try {
      clusterFile = resolveClusterFile(options.clusterFile);
    } catch (error) {
      if (error instanceof ClusterFileError) throw new EngineError("storage_failure", error.message);
      throw error;
    }
    const client = FdbClient.start(options.library);
    let db: FdbDatabase;
    try {
      db = client.createDatabase(clusterFile);
    } catch (error) {
      if (options.stopNetworkOnClose) await client.stopNetwork().catch(() => {});
      throw new EngineError(
        "storage_failure",
        `cannot open the FoundationDB cluster file ${clusterFile}: ${message(error)}; check its contents (description:id@host:port,...) or pass another with --fdb-cluster-file`,
        { cause: error },
      );
    }
    try {
      db.setOption(DatabaseOption.TRANSACTION_TIMEOUT, int64Option(TRANSACTION_TIMEOUT_MS));
      db.setOption(DatabaseOption.TRANSACTION_MAX_RETRY_DELAY, int64Option(MAX_BACKOFF_MS));
      if (options.maxWatches !== undefined) db.setOption(DatabaseOption.MAX_WATCHES, int64Option(options.maxWatches));
      const engine = new FdbEngine(client, db, options);
      await engine.probe(clusterFile, options.connectTimeoutMs ?? 3000);
      return engine;
    } catch (error) {
      db.destroy();
      // The process is about to report the error and exit: exiting with the network running is undefined behaviour.
      if (options.stopNetworkOnClose) await client.stopNetwork().catch(() => {});
      throw error;
    }
  }

  get stats(): FdbEngineStats {
    return { ...this.counts };
  }

  /** Watches of this engine: live, fired, fallen back to polling. */
  get watchStats(): WatchStats {
    return this.watches.stats;
  }

  /** The API version selected for this process. */
  get apiVersion(): number {
    return this.client.apiVersion;
  }

  read<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): Promise<T> {
    return this.run(body, options, { readOnly: true, internal: false });
  }

  write<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): Promise<T> {
    if (this.markers && !this.closed) this.sweepOldMarkers();
    return this.run(body, options, { readOnly: false, internal: false });
  }

  /**
   * Refuses new transactions, lets the event log commit the appends it
   * accepted and stop its followers, waits for the running transactions,
   * cancels the live watches, then releases the database (and the network
   * if owned). No future outlives it.
   */
  close(): Promise<void> {
    if (this.closing === null) {
      this.closed = true;
      this.closing = (async () => {
        await this.eventLog.close();
        if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
        await this.watches.close();
        this.released = true;
        this.db.destroy();
        if (this.options.stopNetworkOnClose) await this.client.stopNetwork();
      })();
    }
    return this.closing;
  }

  private async run<T>(
    body: (tx: Txn) => MaybePromise<T>,
    options: RunOptions | undefined,
    kind: { readonly readOnly: boolean; readonly internal: boolean },
  ): Promise<T> {
    const { readOnly } = kind;
    // The event log's own transactions still run while close() lets it finish.
    if (this.released || (this.closed && !kind.internal)) {
      throw new EngineError("engine_closed", "the FoundationDB engine is closed");
    }
    this.inFlight++;
    let tr: FdbTransaction | undefined;
    try {
      try {
        tr = this.db.createTransaction();
      } catch (error) {
        throw asEngineError(error, this.client);
      }
      return await this.attempts(tr, body, { options, readOnly });
    } finally {
      tr?.destroy();
      this.finished();
    }
  }

  private async attempts<T>(
    tr: FdbTransaction,
    body: (tx: Txn) => MaybePromise<T>,
    run: { readonly options: RunOptions | undefined; readonly readOnly: boolean },
  ): Promise<T> {
    const call: CallState<T> = {
      ...run,
      body,
      // Made once per call, before the first attempt: every attempt writes the same marker.
      marker: run.readOnly || !this.markers ? undefined : newMarkerKey(this.wallClock()),
      committedResults: new Map<number, T>(),
      uncertain: false,
    };
    const deadline = this.clock() + RETRY_DEADLINE_MS;
    let conflicted: readonly Uint8Array[] | undefined;
    for (let attempt = 0; ; attempt++) {
      const progress: AttemptProgress<T> = { committing: false, result: undefined, conflictKeys: [] };
      try {
        if (conflicted === undefined) return await this.attemptOnce(tr, call, { attempt, progress, held: [] });
        const suspects = conflicted;
        // After a conflict: in turn with this process's other retries, and holding the hot keys read last time.
        return await this.oneAtATime(async () => {
          const held = await this.hotKeys.acquireAll(suspects);
          return this.attemptOnce(tr, call, { attempt, progress, held });
        });
      } catch (error) {
        const code = retryCodeOf(error, this.client);
        if (code === undefined) throw asEngineError(error, this.client);
        conflicted = undefined;
        if (code === FdbErrorCode.NOT_COMMITTED) {
          this.counts.conflicts++;
          this.hotKeys.markConflicted(progress.conflictKeys);
          conflicted = progress.conflictKeys;
        }
        if (progress.committing && this.client.maybeCommitted(code)) {
          this.counts.unknownResults++;
          call.uncertain = true;
          call.committedResults.set(attempt, progress.result as T);
        }
        const last = asEngineError(error, this.client) as EngineError;
        if (attempt >= MAX_RETRIES || this.clock() >= deadline) {
          // An earlier attempt's commit may have landed (no later attempt found its marker): not a plain TRYAGAIN.
          throw call.uncertain ? outcomeUnknownAfterRetries(last, attempt + 1) : retriesExhausted(last, attempt + 1);
        }
        try {
          await tr.onError(code);
        } catch (failure) {
          throw failure instanceof FdbError ? engineErrorOf(failure, this.client) : failure;
        }
        this.counts.retries++;
      }
    }
  }

  /** One attempt: the marker check after an unknown result, the body, the commit. */
  private async attemptOnce<T>(
    tr: FdbTransaction,
    call: CallState<T>,
    at: { readonly attempt: number; readonly progress: AttemptProgress<T>; readonly held: Release[] },
  ): Promise<T> {
    const { options, readOnly, marker } = call;
    const txn = new FdbTxn(tr, {
      clock: this.clock,
      readOnly,
      hidden: MARKER_SPACE,
      classify: this.client,
      hotKeys: readOnly ? undefined : this.hotKeys,
      held: at.held,
      watches: this.watches,
    });
    let committed = false;
    let failure: unknown;
    try {
      if (call.uncertain && marker !== undefined) {
        const seen = await txn.getUnchecked(marker);
        if (seen !== undefined) {
          const earlier = attemptOfMarker(seen);
          if (!call.committedResults.has(earlier)) {
            throw new EngineError("commit_unknown_result", `idempotency marker names attempt ${earlier}, which never committed`);
          }
          txn.abandon();
          this.counts.resolvedByMarker++;
          options?.onApplied?.();
          return call.committedResults.get(earlier)!;
        }
      }
      const result = await call.body(txn);
      // Operations the body called without awaiting may still queue (txn.ts, "Call order").
      const issued = txn.whenIssued();
      if (issued !== undefined) await issued;
      at.progress.result = result;
      txn.finish();
      // After an unknown result, commit even without writes: the marker read then conflicts with a late commit.
      if (!readOnly && (txn.hasWrites || call.uncertain)) {
        if (marker !== undefined) txn.setUnchecked(marker, markerValue(at.attempt));
        at.progress.committing = true;
        await tr.commit();
        this.counts.commits++;
      } else if (txn.hasWatches) {
        // Nothing written, but its watches start only at the commit (a read-only commit: no round trip, no conflict).
        await tr.commit();
      }
      committed = true;
      options?.onApplied?.();
      return result;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // Retried or given up: this attempt's watches would report a transaction that never committed.
      if (!committed) txn.dropWatches(asEngineError(failure ?? new EngineError("not_committed", "the attempt that made this watch did not commit"), this.client));
      txn.abandon();
      txn.releaseHotKeys();
      at.progress.conflictKeys = txn.conflictKeys;
    }
  }

  /**
   * Runs attempts that follow a conflict one at a time in this process. The
   * losers of a conflict on a hot key would otherwise all retry together and
   * collide again until their retries run out; queued, each commits in turn.
   * First attempts never wait here, and conflicts are rare on keys that are
   * not hot, so the queue costs nothing in the common case.
   */
  private async oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.conflictQueue;
    let release = (): void => {};
    this.conflictQueue = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      return await fn();
    } finally {
      release();
    }
  }

  /** Once a minute: one range clear of the marker buckets older than KEEP_MINUTES, in the background. */
  private sweepOldMarkers(): void {
    const minute = minuteOf(this.wallClock());
    if (minute === this.sweptMinute) return;
    this.sweptMinute = minute;
    this.inFlight++;
    void this.clearMarkersBefore(minute - KEEP_MINUTES)
      .catch(() => {
        // Harmless: the next minute's sweep clears these buckets too.
      })
      .finally(() => this.finished());
  }

  private async clearMarkersBefore(minute: number): Promise<void> {
    const tr = this.db.createTransaction();
    try {
      tr.setOption(TransactionOption.PRIORITY_BATCH);
      const { start, end } = markersBefore(minute);
      for (let attempt = 0; ; attempt++) {
        try {
          tr.clearRange(start, end);
          await tr.commit();
          this.counts.markerSweeps++;
          return;
        } catch (error) {
          // A blind range clear: applying it twice is harmless, so any retryable error is retried.
          if (!(error instanceof FdbError) || attempt >= MAX_RETRIES) throw error;
          await tr.onError(error.code);
        }
      }
    } finally {
      tr.destroy();
    }
  }

  private async probe(clusterFile: string, timeoutMs: number): Promise<void> {
    const tr = this.db.createTransaction();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      tr.setOption(TransactionOption.TIMEOUT, int64Option(timeoutMs));
      // The library's own timeout should fire first; this one covers a library that ignores it.
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs + 1000);
      });
      await Promise.race([tr.getReadVersion(), late]);
    } catch (error) {
      tr.cancel();
      throw new EngineError(
        "storage_failure",
        `cannot reach the FoundationDB cluster of ${clusterFile} within ${timeoutMs} ms (${message(error)}); ` +
          `check that the cluster is running and reachable, and that this cluster file describes it (--fdb-cluster-file or FDB_CLUSTER_FILE)`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
      tr.destroy();
    }
  }

  private finished(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.drained !== null) {
      const drained = this.drained;
      this.drained = null;
      drained();
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
