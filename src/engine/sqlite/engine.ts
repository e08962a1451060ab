// The SQLite engine: one file, one process, every transaction through one
// FIFO queue, committed in groups (DESIGN.md "Order and durability").
//
// Group commit. The first transaction to arrive schedules a batch for the
// next turn of the event loop (setImmediate), so everything that arrives in
// the same turn shares it. The batch opens one SQLite transaction (BEGIN
// IMMEDIATE) and runs the bodies strictly one after another, each against its
// own write buffer over the batch's state: a body sees the writes of the items
// before it. When a body succeeds its mutations are applied and `onApplied`
// runs at once, so a pipelining connection can start its next command, which
// joins the same batch. When a body throws, its buffer is dropped: nothing of
// it reached SQLite, so no savepoint is needed to undo it. The batch drains
// the queue until it is empty (also after letting pending microtasks run) or
// a cap is reached, then COMMITs once: one fsync (WAL, synchronous=FULL) for
// the whole group. Only then does any item's promise settle, reads and
// failures included, so no client ever sees data that could still be lost.
//
// Bodies run one at a time, so there are no conflicts to detect; the write
// buffer still enforces FoundationDB's limits. A body that awaits something
// outside the engine holds up the whole queue: bodies must only await the
// transaction's reads.
//
// Durability off the event loop. When the driver can sync the write-ahead log
// on another thread (SqliteDriver.syncLog), SQLite commits with
// synchronous=OFF: COMMIT only writes the log, and the engine then has the
// log fdatasync'ed on the thread pool while the event loop runs the next
// batch. A batch's promises settle only once a sync that started after its
// COMMIT has finished, so the rule above still holds: nothing is answered
// before it is on disk. Reads wait too, for the sync covering every write
// committed before them. Syncs are group commits of their own: while one
// runs, the next batch stays open, running what arrives, and commits when it
// ends; the next sync then covers all of it. Checkpoints (copying the log
// into the database file, after which SQLite overwrites the log from its
// start) would be unsafe without syncs, so
// SQLite's automatic ones are off and the engine runs them itself with
// synchronous=FULL, which syncs the log and then the database file before
// the log can be reused. A failed sync leaves the outcome unknown: the
// transactions waiting for it, and every later one, fail with storage_failure.
// Without syncLog (a driver that cannot, or a test wrapper), SQLite syncs
// inside COMMIT, blocking the event loop; arrivals during it wait in the
// socket buffers and form the next batch.
import type { Bytes, Engine, KeyRange, KeyValue, MaybePromise, RangeOptions, RunOptions, Txn } from "../contract.ts";
import { addToValue } from "../atomic_add.ts";
import { ReadCache, type RowWriter } from "./read_cache.ts";
import { EngineError } from "../errors.ts";
import { MAX_RETRIES } from "../limits.ts";
import { retriesExhausted } from "../retry_policy.ts";
import type { LongReadEngine } from "../long_read.ts";
import { type BaseReader, type MutationSink, WriteBuffer, type WriteBufferOptions } from "../write_buffer.ts";
import type { OpenSqlite, SqliteDriver, SqliteStatement } from "./driver.ts";
import { ReadConnectionPool } from "./long_reads.ts";
import { createPendingClearsTable, DeferredClears, RangeBeingCleared, snapshotFence } from "./deferred_clears.ts";
import { FencedReader, SqliteReader, storageFailure } from "./reader.ts";

/** The database file inside the data directory. */
export const DATA_FILE_NAME = "materia.sqlite3";
/**
 * Held locked by the server that owns the data directory. The database itself
 * is opened in SQLite's normal locking mode, so that this process's read
 * connections (long_reads.ts) can share it; another process is kept out by
 * this file, locked exclusively from open to close (the kernel drops the lock
 * if the process dies, even by SIGKILL).
 */
export const LOCK_FILE_NAME = "materia.lock";
/** Layout version written to `meta`; a newer file is refused rather than misread. */
export const SCHEMA_VERSION = 2; // 2: pending_clears (deferred_clears.ts), which an older version would ignore

export interface SqliteEngineOptions {
  /** The runtime's driver: adapter/bun or adapter/deno `openSqlite`. */
  readonly openDriver: OpenSqlite;
  /** Monotonic milliseconds, for the 5 s transaction limit; tests inject one. */
  readonly clock?: () => number;
  /** SQLite busy timeout once the file is ours (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Most transactions in one commit (default 1000). */
  readonly maxBatchTransactions?: number;
  /** Commit once the batch's transactions add up to this many bytes (default 8 MB). */
  readonly maxBatchBytes?: number;
  /**
   * Sync the log off the event loop when the driver can (default true); false
   * keeps SQLite's own sync inside COMMIT.
   */
  readonly syncOffThread?: boolean;
}

export interface SqliteEngineStats {
  /** Batches run (each one SQLite transaction). */
  readonly batches: number;
  /** Batches that wrote, and so paid a durable COMMIT (one fsync). */
  readonly commits: number;
  /** Transactions run, read-only ones included. */
  readonly transactions: number;
  /** Transactions in the largest batch so far. */
  readonly largestBatch: number;
  /** Log syncs run off the event loop (each makes every batch committed before it durable). */
  readonly logSyncs: number;
  /** Checkpoints run by the engine (with the log sync off the event loop). */
  readonly checkpoints: number;
  /** Big clears still being deleted in the background (deferred_clears.ts). */
  readonly pendingClears: number;
}

type Body = (tx: Txn) => MaybePromise<unknown>;

/** One queued transaction and, once run, its outcome (settled after the COMMIT). */
class QueueItem {
  resolve: (value: unknown) => void = noop;
  reject: (error: unknown) => void = noop;
  result: unknown = undefined;
  error: unknown = undefined;
  failed = false;

  constructor(
    readonly body: Body,
    readonly onApplied: (() => void) | undefined,
    readonly readOnly: boolean,
    /** A long read (LongReadEngine.readLong): runs beside the batches, on a read connection. */
    readonly long: boolean = false,
  ) {}
}

function noop(): void {}

/** runItem's outcome for a transaction set aside until the pending clears are done. */
const PARKED = Symbol("parked");

function durableMarkerBody(): Promise<unknown> {
  return Promise.resolve(undefined);
}

function closeQuietly(driver: SqliteDriver | undefined): void {
  try {
    driver?.close();
  } catch {
    // Already failing; the first error is the one to report.
  }
}

/** Takes the data directory's lock file (LOCK_FILE_NAME) for this process until it closes; throws "database is locked" when another holds it. */
function holdLock(lock: SqliteDriver): void {
  // No waiting: a lock held by another server must fail fast.
  lock.exec("PRAGMA busy_timeout = 0");
  // In exclusive locking mode the lock taken by the first transaction is kept until the connection closes.
  lock.exec("PRAGMA locking_mode = EXCLUSIVE");
  lock.exec("BEGIN EXCLUSIVE");
  lock.exec("COMMIT");
}

/** Settles run transactions: their outcome is durable. */
function settle(items: readonly QueueItem[]): void {
  for (const item of items) {
    if (item.failed) item.reject(item.error);
    else item.resolve(item.result);
  }
}

// With syncs off the event loop, a checkpoint runs once the batches since the
// last one have written about this many rows. A row changes at least one
// page, so the log stays within about this many pages (SQLite's own default
// is 1000 pages); the estimate is rough but only sets how often it runs.
const CHECKPOINT_AFTER_ROWS = 4000;

// Microtask turns to wait for more work before committing: bodies are async
// and a connection may enqueue its next command a few promise hops after
// `onApplied`. Each turn costs next to nothing next to an fsync.
const DRAIN_TURNS = 4;

/**
 * Applies a finished transaction's mutations inside the open batch. Point
 * writes wait in the row cache (read_cache.ts) until `flush`, so that a key
 * written by many transactions of one batch reaches SQLite once; range reads
 * and clears flush first, since SQLite answers them.
 */
class SqliteApplier implements MutationSink {
  /** Rows changed since the counter was last reset (the checkpoint's estimate of the log's size). */
  rows = 0;
  /** Set when a flush failed: part of the batch may be in SQLite, so only a rollback of the whole batch undoes it. */
  failure: EngineError | null = null;
  private readonly writer: RowWriter;
  private readonly removeRange: SqliteStatement;

  constructor(
    db: SqliteDriver,
    private readonly deferred: DeferredClears,
    private readonly cache: ReadCache,
  ) {
    // REPLACE is an upsert here (no triggers, no foreign keys) and measurably cheaper than ON CONFLICT.
    const upsert = db.prepare("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
    const remove = db.prepare("DELETE FROM kv WHERE k = ?");
    this.writer = {
      upsert: (key, value) => void upsert.run(key, value),
      remove: (key) => void remove.run(key),
    };
    this.removeRange = db.prepare("DELETE FROM kv WHERE k >= ? AND k < ?");
  }

  /** Hands the batch's waiting rows to SQLite; throws (and remembers) a storage failure. */
  flush(): void {
    if (this.cache.dirtyCount === 0) return;
    try {
      this.rows += this.cache.flush(this.writer);
    } catch (error) {
      this.failure = storageFailure("write", error);
      throw this.failure;
    }
  }

  clearRange(start: Bytes, end: Bytes): void {
    this.flush();
    this.cache.forgetAll();
    // A big clear (FLUSHALL) is fenced now and deleted in the background (deferred_clears.ts).
    if (this.deferred.tryDefer(start, end)) return;
    this.rows += Number(this.removeRange.run(start, end).changes);
  }

  set(key: Bytes, value: Bytes): void {
    // Rows of a pending clear at this key go now, before the new row can be written.
    if (this.deferred.active) this.rows += this.deferred.finishAt(key);
    this.cache.write(key, value);
  }

  clear(key: Bytes): void {
    this.cache.remove(key);
  }

  add(key: Bytes, delta: bigint): void {
    if (this.deferred.active) this.rows += this.deferred.finishAt(key);
    this.cache.write(key, addToValue(this.cache.get(key), delta));
  }
}

/** The batch's reads: point reads from the row cache, range reads from SQLite once it holds the batch's rows. */
class BatchReader implements BaseReader {
  constructor(
    private readonly cache: ReadCache,
    private readonly applier: SqliteApplier,
  ) {}

  get(key: Bytes): Bytes | undefined {
    return this.cache.get(key);
  }

  scan(range: KeyRange, options: RangeOptions): KeyValue[] {
    this.applier.flush();
    return this.cache.scan(range, options);
  }
}

export class SqliteEngine implements Engine, LongReadEngine {
  readonly name = "sqlite";
  private readonly reader: SqliteReader;
  /** Committed values of quiet reads (read_cache.ts). */
  private readonly readCache: ReadCache;
  /** The reader of transactions while some clear is pending: reads into it park the transaction. */
  private readonly fencedReader: FencedReader;
  /** The reader of batch bodies: the row cache, SQLite for range reads. */
  private readonly batchReader: BatchReader;
  private readonly applier: SqliteApplier;
  private readonly deferred: DeferredClears;
  /** Transactions set aside because they touch a range being cleared; they run again once it is gone. */
  private parked: QueueItem[] = [];
  /** Called once no clear is pending any more (long reads waiting to start over). */
  private clearsDone: (() => void)[] = [];
  private readonly begin: SqliteStatement;
  private readonly commitStatement: SqliteStatement;
  private readonly readBufferOptions: WriteBufferOptions;
  private readonly writeBufferOptions: WriteBufferOptions;
  private readonly maxBatchTransactions: number;
  private readonly maxBatchBytes: number;
  // A FIFO as an array and a head index: shift() would be O(n) per item.
  private queue: (QueueItem | undefined)[] = [];
  private head = 0;
  private scheduled = false;
  private running = false;
  private closed = false;
  private whenIdle: (() => void) | null = null;
  private closing: Promise<void> | null = null;
  private batches = 0;
  private commits = 0;
  private transactions = 0;
  private largestBatch = 0;
  private logSyncs = 0;
  private checkpoints = 0;
  /** Syncs the log off the event loop, when the driver can and it is wanted. */
  private readonly syncLog: (() => Promise<void>) | null;
  /** Settled transactions committed since the last sync started: the next sync covers them. */
  private unsynced: QueueItem[] = [];
  /** Transactions the running sync covers, or null when no sync runs. */
  private syncing: QueueItem[] | null = null;
  /** Set by a failed sync: nothing can be promised durable any more. */
  private syncFailure: EngineError | null = null;
  /** Resumes a batch held open while a sync runs: called on an arrival or when the sync ends. */
  private wakeBatch: (() => void) | null = null;
  /** Read connections for long reads, opened on demand. */
  private readonly readConnections: ReadConnectionPool;
  /** Long reads started and not yet finished: close() waits for them. */
  private longReadsRunning = 0;
  private readonly startBatches = (): void => {
    this.scheduled = false;
    void this.drain();
  };

  private constructor(
    private readonly db: SqliteDriver,
    private readonly lock: SqliteDriver,
    path: string,
    options: SqliteEngineOptions,
  ) {
    this.readConnections = new ReadConnectionPool(() => {
      const reader = options.openDriver(path);
      reader.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      return reader;
    });
    const clock = options.clock ?? (() => performance.now());
    this.readBufferOptions = { clock, readOnly: true };
    this.writeBufferOptions = { clock };
    this.maxBatchTransactions = options.maxBatchTransactions ?? 1000;
    this.maxBatchBytes = options.maxBatchBytes ?? 8_000_000;
    this.reader = new SqliteReader(db);
    this.readCache = new ReadCache(this.reader);
    this.deferred = new DeferredClears(db);
    this.applier = new SqliteApplier(db, this.deferred, this.readCache);
    this.batchReader = new BatchReader(this.readCache, this.applier);
    this.fencedReader = new FencedReader(this.batchReader, this.deferred, () => new RangeBeingCleared());
    this.begin = db.prepare("BEGIN IMMEDIATE");
    this.commitStatement = db.prepare("COMMIT");
    const syncLog = options.syncOffThread === false ? undefined : db.syncLog;
    this.syncLog = syncLog === undefined ? null : () => syncLog.call(db);
    if (this.syncLog !== null) {
      // From here on COMMIT only writes the log; the engine syncs it and runs the checkpoints.
      db.exec("PRAGMA wal_autocheckpoint = 0");
      db.exec("PRAGMA synchronous = OFF");
    }
    // Clears left pending by the last run (a crash or a close): fenced already, finished in the background.
    if (this.deferred.active) {
      this.scheduled = true;
      setImmediate(this.startBatches);
    }
  }

  /**
   * Opens (creating it) the data directory's database and takes it for this
   * process alone. Throws storage_failure naming the directory when another
   * live process holds it. Async so that a driver may one day open
   * asynchronously; today all the work is synchronous.
   */
  static open(dataDir: string, options: SqliteEngineOptions): Promise<SqliteEngine> {
    try {
      return Promise.resolve(SqliteEngine.openNow(dataDir, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `open`, synchronously. */
  static openNow(dataDir: string, options: SqliteEngineOptions): SqliteEngine {
    const path = `${dataDir.replace(/[\\/]+$/, "")}/${DATA_FILE_NAME}`;
    const lockPath = `${dataDir.replace(/[\\/]+$/, "")}/${LOCK_FILE_NAME}`;
    let lock: SqliteDriver | undefined;
    let db: SqliteDriver | undefined;
    try {
      lock = options.openDriver(lockPath);
      db = options.openDriver(path);
    } catch (error) {
      closeQuietly(lock);
      throw new EngineError("storage_failure", `cannot open the data directory ${dataDir}: ${message(error)}`, {
        cause: error,
      });
    }
    try {
      holdLock(lock);
      prepareFile(db, dataDir, options.busyTimeoutMs ?? 5000);
      return new SqliteEngine(db, lock, path, options);
    } catch (error) {
      // Already failing; the first error is the one to report.
      closeQuietly(db);
      closeQuietly(lock);
      if (error instanceof EngineError) throw error;
      if (/locked|busy/i.test(message(error))) {
        throw new EngineError(
          "storage_failure",
          `the data directory ${dataDir} is locked: another materia server is using it; stop that server or choose another data directory`,
          { cause: error },
        );
      }
      throw new EngineError("storage_failure", `cannot open the database in ${dataDir}: ${message(error)}`, {
        cause: error,
      });
    }
  }

  get stats(): SqliteEngineStats {
    return {
      batches: this.batches,
      commits: this.commits,
      transactions: this.transactions,
      largestBatch: this.largestBatch,
      logSyncs: this.logSyncs,
      checkpoints: this.checkpoints,
      pendingClears: this.deferred.pendingCount,
    };
  }

  /**
   * A read arriving while the engine is quiet (no batch queued or running,
   * everything committed already durable, no clear pending) runs at once,
   * over autocommit reads of the committed state, and answers synchronously
   * when its body does: nothing can commit in between, since batches start
   * only from the event loop and no other process opens the file
   * (materia.lock). Otherwise it takes its place in the queue.
   */
  read<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): MaybePromise<T> {
    if (!this.quiet) return this.enqueue(body, options, true) as Promise<T>;
    const tx = new WriteBuffer(this.readCache, this.readBufferOptions);
    let result: MaybePromise<T>;
    try {
      result = body(tx);
    } catch (error) {
      tx.abandon();
      if (error instanceof EngineError && error.retryable) return this.enqueue(body, options, true) as Promise<T>;
      throw error;
    }
    if (!(result instanceof Promise)) return this.answerNow(tx, result, options);
    // The body waits, on its own reads only (microtasks): it still sees one state unless a batch committed meanwhile.
    const commitsBefore = this.commits;
    return result.then(
      (value) => (this.commits === commitsBefore ? this.answerNow(tx, value, options) : this.enqueue(body, options, true) as Promise<T>),
      (error: unknown) => {
        tx.abandon();
        if (error instanceof EngineError && error.retryable) return this.enqueue(body, options, true) as Promise<T>;
        throw error;
      },
    );
  }

  /** True when a read may run at once: see read(). */
  private get quiet(): boolean {
    return !this.running && !this.scheduled && this.head >= this.queue.length && this.syncing === null && this.unsynced.length === 0 &&
      !this.closed && this.syncFailure === null && !this.deferred.active && this.parked.length === 0;
  }

  private answerNow<T>(tx: WriteBuffer, value: T, options: RunOptions | undefined): T {
    tx.finish();
    this.transactions++;
    options?.onApplied?.();
    return value;
  }

  write<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): Promise<T> {
    return this.enqueue(body, options, false) as Promise<T>;
  }

  /**
   * A long read takes its place in the FIFO like any transaction: the batch
   * running when it comes up commits first, so its snapshot holds every
   * write queued before it; then it runs on a read connection while the
   * batches go on (long_reads.ts).
   */
  readLong<T>(body: (tx: Txn) => Promise<T>, options?: RunOptions): Promise<T> {
    return this.enqueue(body, options, true, true) as Promise<T>;
  }

  /** Refuses new transactions, finishes the queued ones, then closes the file. */
  close(): Promise<void> {
    if (this.closing === null) {
      this.closed = true;
      this.closing = this.finishAndClose();
    }
    return this.closing;
  }

  private async finishAndClose(): Promise<void> {
    if (this.running || this.scheduled || this.head < this.queue.length || this.syncing !== null) {
      await new Promise<void>((resolve) => {
        this.whenIdle = resolve;
      });
    }
    if (this.syncLog !== null && this.syncFailure === null) {
      // Closing checkpoints the log into the database: with syncs on, as SQLite needs for that to be safe.
      try {
        this.db.exec("PRAGMA synchronous = FULL");
      } catch {
        // Closing anyway; every answered write was synced already.
      }
    }
    this.readConnections.closeAll();
    this.db.close();
    this.lock.close();
  }

  /** True once no batch runs or waits, no sync and no long read runs: close() may proceed. */
  private get idle(): boolean {
    return !this.running && !this.scheduled && this.head >= this.queue.length && this.syncing === null && this.longReadsRunning === 0 &&
      this.parked.length === 0;
  }

  private notifyIfIdle(): void {
    if (this.whenIdle !== null && this.idle) {
      const resolve = this.whenIdle;
      this.whenIdle = null;
      resolve();
    }
  }

  private enqueue(body: Body, options: RunOptions | undefined, readOnly: boolean, long = false): Promise<unknown> {
    if (this.closed) return Promise.reject(new EngineError("engine_closed", "the SQLite engine is closed"));
    if (this.syncFailure !== null) return Promise.reject(this.syncFailure);
    const item = new QueueItem(body, options?.onApplied, readOnly, long);
    const promise = new Promise<unknown>((resolve, reject) => {
      item.resolve = resolve;
      item.reject = reject;
    });
    this.queue.push(item);
    this.wakeBatch?.();
    if (!this.running && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.startBatches);
    }
    return promise;
  }

  private dequeue(): QueueItem | undefined {
    if (this.head >= this.queue.length) return undefined;
    const item = this.queue[this.head];
    // Let the settled item be collected while the queue keeps growing.
    this.queue[this.head] = undefined;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    return item;
  }

  /** The next item, unless the queue is empty or a long read comes next (which ends the batch). */
  private dequeueForBatch(): QueueItem | undefined {
    const next = this.queue[this.head];
    return next === undefined || next.long ? undefined : this.dequeue();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // With nothing queued, a batch still runs for the background cleanup of pending clears.
      if (this.head >= this.queue.length && this.deferred.active) await this.runBatch();
      while (this.head < this.queue.length) {
        if (this.queue[this.head]!.long) this.startLongRead(this.dequeue()!);
        else await this.runBatch();
      }
    } finally {
      this.running = false;
      // The cleanup goes on, one batch per turn, so other work comes in between (on close, only while transactions wait for it).
      if (this.deferred.active && !this.scheduled && (!this.closed || this.parked.length > 0)) {
        this.scheduled = true;
        setImmediate(this.startBatches);
      }
      this.notifyIfIdle();
    }
  }

  private async runBatch(): Promise<void> {
    this.batches++;
    try {
      this.begin.run();
    } catch (error) {
      const failure = storageFailure("BEGIN", error);
      for (let item = this.dequeue(); item !== undefined; item = this.dequeue()) item.reject(failure);
      return;
    }
    const done: QueueItem[] = [];
    let bytes = 0;
    let wrote = false;
    let broken: EngineError | null = null;
    if (this.deferred.active) {
      broken = this.cleanupStep();
      // Deletions to sync and checkpoint like any write.
      wrote = true;
    }
    while (broken === null) {
      let item = this.dequeueForBatch();
      for (let turn = 0; item === undefined && turn < DRAIN_TURNS && this.queue[this.head]?.long !== true; turn++) {
        await Promise.resolve();
        item = this.dequeueForBatch();
      }
      if (item === undefined) {
        // A long read comes next: commit now, so that its snapshot holds everything queued before it.
        if (this.queue[this.head]?.long === true) break;
        // While a sync runs, this batch could not be answered before the next one anyway: keep it open
        // and keep running what arrives, so that the next sync covers as much as possible.
        if (this.syncing === null || this.syncFailure !== null) break;
        await new Promise<void>((resolve) => {
          this.wakeBatch = resolve;
        });
        this.wakeBatch = null;
        continue;
      }
      done.push(item);
      const outcome = await this.runItem(item);
      // A flush for a range read failed inside the body: rows of earlier items may be half in SQLite.
      if (this.applier.failure !== null) {
        broken = this.applier.failure;
        break;
      }
      if (outcome === PARKED) {
        done.pop();
        continue;
      }
      if (outcome instanceof EngineError) {
        broken = outcome;
        break;
      }
      if (outcome > 0) {
        wrote = true;
        bytes += outcome;
      }
      if (done.length >= this.maxBatchTransactions || bytes >= this.maxBatchBytes) break;
    }
    this.transactions += done.length;
    if (done.length > this.largestBatch) this.largestBatch = done.length;
    if (broken === null) {
      try {
        this.applier.flush();
      } catch (error) {
        broken = error instanceof EngineError ? error : storageFailure("write", error);
      }
    }
    if (broken === null) {
      try {
        this.commitStatement.run();
        this.deferred.markCommitted();
        // Long reads waiting for the clears start over now that the last deletions are committed: their new snapshots hold them.
        if (this.deferred.committedRanges.length === 0 && this.clearsDone.length > 0) {
          const waiting = this.clearsDone;
          this.clearsDone = [];
          for (const resume of waiting) resume();
        }
        if (wrote) this.commits++;
      } catch (error) {
        broken = storageFailure("COMMIT", error);
      }
    }
    if (broken !== null) {
      this.rollback();
      for (const item of done) item.reject(broken);
      return;
    }
    if (this.syncLog === null) {
      settle(done);
      return;
    }
    this.awaitSync(done, wrote);
  }

  /**
   * Settles a committed batch once it is durable: a batch that wrote, or that
   * may have read writes not synced yet, waits for a sync started after its
   * COMMIT; a read-only batch with nothing unsynced before it settles now.
   */
  private awaitSync(done: QueueItem[], wrote: boolean): void {
    if (this.syncFailure !== null) {
      for (const item of done) item.reject(this.syncFailure);
      return;
    }
    if (!wrote && this.unsynced.length === 0) {
      // What it read was synced already, or is being synced by the running sync.
      if (this.syncing === null) settle(done);
      else for (const item of done) this.syncing.push(item);
      return;
    }
    for (const item of done) this.unsynced.push(item);
    if (wrote && this.applier.rows >= CHECKPOINT_AFTER_ROWS) this.checkpoint();
    this.startSync();
  }

  private startSync(): void {
    if (this.syncing !== null || this.unsynced.length === 0 || this.syncLog === null) return;
    const covered = this.unsynced;
    this.unsynced = [];
    this.syncing = covered;
    this.logSyncs++;
    this.syncLog().then(
      () => {
        this.syncing = null;
        settle(covered);
        this.startSync();
        this.wakeBatch?.();
        this.notifyIfIdle();
      },
      (error: unknown) => {
        this.syncing = null;
        this.failSyncs(storageFailure("fdatasync of the write-ahead log (the outcome of these writes is unknown; restart the server)", error), covered);
        this.wakeBatch?.();
        this.notifyIfIdle();
      },
    );
  }

  /**
   * Copies the log into the database file. With synchronous=FULL for the
   * duration, SQLite syncs the log first (so every committed batch is durable:
   * the waiting ones settle now) and the database file after, before the log
   * is ever overwritten. Blocks the event loop, as SQLite's own checkpoints do.
   */
  private checkpoint(): void {
    try {
      this.db.exec("PRAGMA synchronous = FULL");
      try {
        this.db.exec("PRAGMA wal_checkpoint(PASSIVE)");
      } finally {
        this.db.exec("PRAGMA synchronous = OFF");
      }
    } catch (error) {
      this.failSyncs(storageFailure("checkpoint (the outcome of these writes is unknown; restart the server)", error), []);
      return;
    }
    this.checkpoints++;
    this.applier.rows = 0;
    const durable = this.unsynced;
    this.unsynced = [];
    settle(durable);
  }

  /**
   * Resolves once everything committed so far is durable: a marker that the
   * sync covering those commits settles (or fails) with them.
   */
  private whenDurable(): Promise<void> {
    if (this.syncLog === null) return Promise.resolve();
    if (this.syncFailure !== null) return Promise.reject(this.syncFailure);
    // Unsynced commits always have a sync running, and the next one starts when it ends.
    const waiting = this.unsynced.length > 0 ? this.unsynced : this.syncing;
    if (waiting === null) return Promise.resolve();
    const marker = new QueueItem(durableMarkerBody, undefined, true);
    const durable = new Promise<void>((resolve, reject) => {
      marker.resolve = () => resolve();
      marker.reject = reject;
    });
    waiting.push(marker);
    return durable;
  }

  /** Runs a long read beside the batches; the FIFO moves on at once. */
  private startLongRead(item: QueueItem): void {
    this.longReadsRunning++;
    void this.runLongRead(item).finally(() => {
      this.longReadsRunning--;
      this.notifyIfIdle();
    });
  }

  /**
   * A long read's `onApplied` runs only when it is done, not when its snapshot
   * is taken: a long read that meets a pending clear starts over on a newer
   * snapshot, which must not hold its own connection's later writes.
   */
  private async runLongRead(item: QueueItem): Promise<void> {
    let result: unknown;
    try {
      for (;;) {
        const acquired = this.readConnections.acquire();
        const connection = acquired instanceof Promise ? await acquired : acquired;
        let durable: Promise<void>;
        try {
          connection.takeSnapshot();
          // What the snapshot holds may not be synced yet: the reply waits until it is, as every read does.
          durable = this.whenDurable();
          durable.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
          // The clears this snapshot holds undone: reading into them would show rows already gone for everyone else.
          const undone = this.deferred.committedRanges;
          const reader = undone.length === 0 ? connection.reader : new FencedReader(connection.reader, snapshotFence(undone), () => new RangeBeingCleared());
          result = await this.runReadBody(item, reader);
        } catch (error) {
          if (!(error instanceof RangeBeingCleared)) throw error;
          if (this.deferred.committedRanges.length > 0) await new Promise<void>((resume) => this.clearsDone.push(resume));
          continue;
        } finally {
          connection.releaseSnapshot();
          this.readConnections.release(connection);
        }
        await durable;
        break;
      }
      item.onApplied?.();
    } catch (error) {
      item.reject(error);
      return;
    }
    item.resolve(result);
  }

  /** A long read's body on its snapshot, again on a retryable error. */
  private async runReadBody(item: QueueItem, reader: BaseReader): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const tx = new WriteBuffer(reader, this.readBufferOptions);
      try {
        const result = await item.body(tx);
        tx.finish();
        return result;
      } catch (error) {
        tx.abandon();
        if (!(error instanceof EngineError) || !error.retryable) throw error;
        if (attempt >= MAX_RETRIES) throw retriesExhausted(error, attempt + 1);
      }
    }
  }

  /** A sync failed: its transactions, those waiting and all later ones fail. */
  private failSyncs(failure: EngineError, covered: QueueItem[]): void {
    this.syncFailure = failure;
    for (const item of covered) item.reject(failure);
    for (const item of this.unsynced) item.reject(failure);
    this.unsynced = [];
    for (let item = this.dequeue(); item !== undefined; item = this.dequeue()) item.reject(failure);
  }

  /**
   * Runs one item's body (again on a retryable error) and applies its
   * writes. Returns the bytes it wrote (0 for none or a failed body), or the
   * storage failure that breaks the whole batch.
   */
  private async runItem(item: QueueItem): Promise<number | EngineError | typeof PARKED> {
    const options = item.readOnly ? this.readBufferOptions : this.writeBufferOptions;
    // Nothing here conflicts, so a retryable error can only come from the body
    // itself; it runs again at once, since a backoff would stall the queue.
    for (let attempt = 0; ; attempt++) {
      const fenced = this.deferred.active;
      const tx = new WriteBuffer(fenced ? this.fencedReader : this.batchReader, options);
      try {
        item.result = await item.body(tx);
        tx.finish();
        if (fenced && tx.hasWrites && this.writesIntoFence(tx)) throw new RangeBeingCleared();
      } catch (error) {
        tx.abandon();
        if (error instanceof RangeBeingCleared) {
          // Nothing of it reached SQLite: it runs again, from the start, once the clear is done.
          item.result = undefined;
          this.parked.push(item);
          return PARKED;
        }
        if (error instanceof EngineError && error.retryable) {
          if (attempt < MAX_RETRIES) continue;
          item.error = retriesExhausted(error, attempt + 1);
        } else {
          item.error = error;
        }
        item.failed = true;
        return 0;
      }
      let written = 0;
      if (tx.hasWrites) {
        try {
          tx.replay(this.applier);
        } catch (error) {
          // Part of this item may be in SQLite already: only dropping the whole batch undoes it.
          return storageFailure("write", error);
        }
        written = tx.size;
      }
      if (item.onApplied !== undefined) {
        try {
          item.onApplied();
        } catch (error) {
          // The writes stand (as on the memory engine); the caller hears of its callback's error.
          item.failed = true;
          item.error = error;
        }
      }
      return written;
    }
  }

  private rollback(): void {
    // Rows waiting for a flush never happened; cached rows may have been rolled back.
    this.readCache.discard();
    this.applier.failure = null;
    try {
      this.db.exec("ROLLBACK");
    } catch {
      // SQLite may have rolled back already (a failed COMMIT often does).
    }
    // Clears the batch deferred are undone with it; the cleanup's progress too.
    try {
      this.deferred.reload();
    } catch {
      // The next batch fails the same way and reports it.
    }
  }

  /** One step of the background cleanup, first in the batch; once nothing is pending, the parked transactions run. */
  private cleanupStep(): EngineError | null {
    let finished: boolean;
    try {
      const step = this.deferred.step();
      this.applier.rows += step.rows;
      finished = step.finished;
    } catch (error) {
      return error instanceof EngineError ? error : storageFailure("background clear", error);
    }
    if (finished) {
      // Back at the head of the queue, in their order: they run in this batch, after the last rows went.
      this.queue.splice(this.head, 0, ...this.parked);
      this.parked = [];
    }
    return null;
  }

  /** True when the transaction writes into a range being cleared: it must wait, as a read there would. */
  private writesIntoFence(tx: WriteBuffer): boolean {
    const fence = this.deferred;
    let touches = false;
    tx.replay({
      clearRange: (start, end) => void (touches ||= fence.fencesRange(start, end)),
      set: (key) => void (touches ||= fence.fencesKey(key)),
      clear: (key) => void (touches ||= fence.fencesKey(key)),
      add: (key) => void (touches ||= fence.fencesKey(key)),
    });
    return touches;
  }
}

/** Locks the file for this process, sets durability, creates or checks the schema. */
function prepareFile(db: SqliteDriver, dataDir: string, busyTimeoutMs: number): void {
  // The lock file (holdLock) keeps other servers out; this process's own read connections share the file.
  db.exec("PRAGMA busy_timeout = 0");
  const mode = db.prepare("PRAGMA journal_mode = WAL").get();
  if (mode?.journal_mode !== "wal") {
    throw new EngineError("storage_failure", `cannot switch ${dataDir} to WAL mode (got ${String(mode?.journal_mode)})`);
  }
  db.exec("PRAGMA synchronous = FULL");
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
    db.exec("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID");
    createPendingClearsTable(db);
    const row = db.prepare("SELECT value FROM meta WHERE name = 'schema_version'").get();
    if (row === undefined) {
      db.prepare("INSERT INTO meta (name, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
    } else if (Number(row.value) < SCHEMA_VERSION) {
      // Its tables are all created above by now: the file is at this version, which older versions refuse.
      db.prepare("UPDATE meta SET value = ? WHERE name = 'schema_version'").run(SCHEMA_VERSION);
    } else if (Number(row.value) > SCHEMA_VERSION) {
      throw new EngineError(
        "storage_failure",
        `the database in ${dataDir} has schema version ${String(row.value)}, newer than this materia (${SCHEMA_VERSION}); upgrade materia`,
      );
    }
    db.exec("COMMIT");
  } catch (error) {
    try {
      db.exec("ROLLBACK");
    } catch {
      // The error that got us here is the one to report.
    }
    throw error;
  }
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
