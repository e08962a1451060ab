// The memory engine: FoundationDB's behaviour in one process, for tests and
// development. It is deliberately not "a Map": keys are ordered, every
// transaction reads a consistent snapshot at its read version, commits are
// checked against what they read (optimistic concurrency) and can be made to
// fail on purpose, so code that is correct here is correct on FoundationDB.
//
// - A transaction takes its read version at its first read; a transaction
//   that never reads is a blind write and never conflicts, as on FoundationDB.
//   Transactions reading at the same version share one view of the map, which
//   is frozen into a snapshot only when a commit lands while they still run:
//   transactions that do not overlap read the live map and copy nothing.
// - Non-snapshot reads record read conflict ranges; a commit fails with
//   not_committed when a commit after its read version wrote into them.
//   `add` and snapshot reads record nothing. Commits are remembered for 5 s
//   (and at most `maxHistory` of them); a read version older than what is
//   remembered cannot be checked and fails with transaction_too_old (retried).
// - A transaction that lives longer than 5 s fails with transaction_timed_out
//   (the write buffer's limit), which is not retried.
// - Commits are applied synchronously, so a commit is durable (for memory)
//   the moment it is applied; `onApplied` runs right then.
// - With `faults`, commits fail with not_committed, commit_unknown_result or
//   transaction_too_old at a seeded rate (or only those in `faults.codes`).
//   commit_unknown_result sometimes follows a commit that really happened, as
//   on FoundationDB: the body then runs again and its writes apply twice, so
//   callers must be idempotent-aware (an INCR retried after 1021 may count
//   twice; SET is naturally idempotent).
import type { Bytes, Engine, KeyRange, KeyValue, MaybePromise, RangeOptions, RunOptions, Txn } from "../contract.ts";
import { addToValue } from "../atomic_add.ts";
import { EngineError } from "../errors.ts";
import { MAX_RETRIES, MAX_TRANSACTION_MS, RETRY_DEADLINE_MS } from "../limits.ts";
import { OrderedMap, type OrderedSnapshot } from "../ordered_map.ts";
import { backoffMs, retriesExhausted, sleep } from "../retry_policy.ts";
import { SeededRandom } from "../seeded_random.ts";
import { type BaseReader, type MutationSink, WriteBuffer, type WriteBufferOptions } from "../write_buffer.ts";
import { CommitWrites, ConflictHistory } from "./conflict_history.ts";
import { LiveIndex } from "./live_index.ts";
import { type FaultOptions, FaultInjector } from "./fault_injector.ts";

export interface MemoryEngineOptions {
  /** Inject FoundationDB's retryable commit errors at `rate`, reproducibly from `seed`. */
  readonly faults?: FaultOptions;
  /** Seeds the retry jitter (default: the fault seed, else 1). */
  readonly seed?: number;
  /** Monotonic milliseconds; tests inject one to age transactions without waiting. */
  readonly clock?: () => number;
  /** Commits remembered for conflict checks (default 100,000); older read versions become too old. */
  readonly maxHistory?: number;
}

export interface MemoryEngineStats {
  /** Transactions that committed (read-only ones included). */
  readonly commits: number;
  /** Commits refused because of a read-write conflict. */
  readonly conflicts: number;
  /** Bodies run again after a retryable error. */
  readonly retries: number;
  /** Faults injected by the seeded injector. */
  readonly injectedFaults: number;
}

const defaultClock = (): number => performance.now();

/**
 * The committed state at one version, shared by every transaction that took
 * it as its read version. It is the live store until a commit happens while
 * some of those transactions still run: only then is the store frozen into a
 * snapshot (after which commits copy the tree nodes they change). Transactions
 * that do not overlap, the common case, read the live store and cost no copies.
 */
class ReadView {
  readers = 0;
  snapshot: OrderedSnapshot<Bytes> | null = null;
  constructor(readonly version: number) {}
}

/** Reads the map as it was at the transaction's read version, taken at the first read. */
class SnapshotReader implements BaseReader {
  private view: ReadView | null = null;
  private released = false;
  /** The read version, or -1 before the first read. */
  version = -1;

  constructor(private readonly engine: MemoryEngine) {}

  get(key: Bytes): Bytes | undefined {
    const source = this.source();
    const value = source === this.engine.store ? this.engine.liveIndex.get(key) : source.get(key);
    // Copies, so a caller editing what it read cannot edit the store.
    return value === undefined ? undefined : value.slice();
  }

  scan(range: KeyRange, options: RangeOptions): KeyValue[] {
    const entries = this.source().scan(range, options);
    const out: KeyValue[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      out[i] = { key: entry.key.slice(), value: entry.value.slice() };
    }
    return out;
  }

  /** The transaction is over (committing or failed): its version need not stay readable. */
  release(): void {
    this.released = true;
    const view = this.view;
    if (view === null) return;
    this.view = null;
    // Nobody reads a frozen version any more: let its old nodes go.
    if (--view.readers === 0) view.snapshot = null;
  }

  private source(): OrderedMap<Bytes> | OrderedSnapshot<Bytes> {
    let view = this.view;
    if (view === null) {
      if (this.released) throw new Error("memory engine: read after the transaction ended");
      view = this.engine.acquireView();
      this.view = view;
      this.version = view.version;
    }
    return view.snapshot ?? this.engine.store;
  }
}

/** Applies a transaction's mutations to the store and notes its write set when some transaction could conflict with it. */
class Applier implements MutationSink {
  writes: CommitWrites | null = null;

  constructor(private readonly store: OrderedMap<Bytes>, private readonly index: LiveIndex) {}

  clearRange(start: Bytes, end: Bytes): void {
    this.index.clearing(start, end);
    this.store.deleteRange({ start, end });
    if (this.writes !== null) {
      this.writes.rangeStarts.push(start);
      this.writes.rangeEnds.push(end);
    }
  }

  set(key: Bytes, value: Bytes): void {
    // The store keeps its own copies: callers may reuse their buffers.
    const stored = key.slice();
    const copy = value.slice();
    this.store.set(stored, copy);
    this.index.set(stored, copy);
    this.writes?.points.push(stored);
  }

  clear(key: Bytes): void {
    this.store.delete(key);
    this.index.delete(key);
    this.writes?.points.push(key);
  }

  add(key: Bytes, delta: bigint): void {
    const stored = key.slice();
    const sum = addToValue(this.index.get(key), delta);
    this.store.set(stored, sum);
    this.index.set(stored, sum);
    this.writes?.points.push(stored);
  }
}

export class MemoryEngine implements Engine {
  readonly name = "memory";
  /** @internal The committed keyspace. */
  readonly store = new OrderedMap<Bytes>();
  /** @internal Point reads of the live store by hash (live_index.ts). */
  readonly liveIndex = new LiveIndex(this.store);
  private version = 0;
  private readonly clock: () => number;
  private readonly random: SeededRandom;
  private readonly faults: FaultInjector | null;
  private readonly history: ConflictHistory;
  private readonly applier: Applier;
  private readonly readBufferOptions: WriteBufferOptions;
  private readonly writeBufferOptions: WriteBufferOptions;
  private inFlight = 0;
  /** The view of the current version, once a transaction has read at it. */
  private currentView: ReadView | null = null;
  /** Views frozen by a commit while read, oldest first; the conflict history must cover the oldest live one. */
  private frozenViews: ReadView[] = [];
  private closed = false;
  private drained: (() => void) | null = null;
  private commitCount = 0;
  private conflictCount = 0;
  private retryCount = 0;

  constructor(options: MemoryEngineOptions = {}) {
    this.clock = options.clock ?? defaultClock;
    this.faults = options.faults === undefined ? null : new FaultInjector(options.faults);
    this.random = new SeededRandom(options.seed ?? options.faults?.seed ?? 1);
    this.history = new ConflictHistory({ retainMs: MAX_TRANSACTION_MS, maxCommits: options.maxHistory ?? 100_000 });
    this.applier = new Applier(this.store, this.liveIndex);
    // Read-only transactions never conflict, so they record no read set.
    this.readBufferOptions = { clock: this.clock, readOnly: true, ageCheckedAfterWait: true };
    this.writeBufferOptions = { clock: this.clock, trackReads: true, ageCheckedAfterWait: true };
  }

  /** The version of the last commit that wrote; read versions are taken from it. */
  get committedVersion(): number {
    return this.version;
  }

  /** @internal The view a transaction's first read takes: the current version, shared. */
  acquireView(): ReadView {
    let view = this.currentView;
    if (view === null) {
      view = new ReadView(this.version);
      this.currentView = view;
    }
    view.readers++;
    return view;
  }

  /** Number of keys stored. */
  get size(): number {
    return this.store.size;
  }

  get stats(): MemoryEngineStats {
    return {
      commits: this.commitCount,
      conflicts: this.conflictCount,
      retries: this.retryCount,
      injectedFaults: this.faults?.injected ?? 0,
    };
  }

  read<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): MaybePromise<T> {
    return this.run(body, options, true);
  }

  write<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): MaybePromise<T> {
    return this.run(body, options, false);
  }

  /** Refuses new transactions and resolves once the running ones have finished. */
  close(): Promise<void> {
    this.closed = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.drained;
      this.drained = () => {
        previous?.();
        resolve();
      };
    });
  }

  /**
   * The first attempt runs synchronously: a body that does not wait commits
   * and answers in the same call, without a promise (the executor's fast
   * path). A body that waits, and every retry (which sleeps first), continue
   * asynchronously.
   */
  private run<T>(body: (tx: Txn) => MaybePromise<T>, options: RunOptions | undefined, readOnly: boolean): MaybePromise<T> {
    if (this.closed) throw new EngineError("engine_closed", "the memory engine is closed");
    this.inFlight++;
    // The retry deadline counts from the first failure: the fast path reads no clock.
    let first: MaybePromise<T>;
    try {
      first = this.attempt(body, options, readOnly);
    } catch (error) {
      if (error instanceof EngineError && error.retryable) return this.retried(error, 0, body, options, readOnly);
      // Synchronous to the end: the caller of a body that failed at once learns it at once.
      this.finished();
      throw error;
    }
    if (!(first instanceof Promise)) {
      this.finished();
      return first;
    }
    return first.then(
      (value) => {
        this.finished();
        return value;
      },
      (error) => this.retried(error, 0, body, options, readOnly),
    );
  }

  /** After attempt number `retry` failed with `error`: rethrows it, or retries after a backoff. */
  private async retried<T>(
    error: unknown,
    retry: number,
    body: (tx: Txn) => MaybePromise<T>,
    options: RunOptions | undefined,
    readOnly: boolean,
  ): Promise<T> {
    const deadline = this.clock() + RETRY_DEADLINE_MS;
    try {
      for (;; retry++) {
        if (!(error instanceof EngineError) || !error.retryable) throw error;
        // No new attempt once the retry deadline has passed.
        if (retry >= MAX_RETRIES || this.clock() >= deadline) throw retriesExhausted(error, retry + 1);
        this.retryCount++;
        await sleep(backoffMs(retry, () => this.random.next()));
        try {
          return await this.attempt(body, options, readOnly);
        } catch (next) {
          error = next;
        }
      }
    } finally {
      this.finished();
    }
  }

  private finished(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.drained !== null) this.drained();
  }

  private attempt<T>(body: (tx: Txn) => MaybePromise<T>, options: RunOptions | undefined, readOnly: boolean): MaybePromise<T> {
    const reader = new SnapshotReader(this);
    const tx = new WriteBuffer(reader, readOnly ? this.readBufferOptions : this.writeBufferOptions);
    let result: MaybePromise<T>;
    try {
      result = body(tx);
    } catch (error) {
      this.abandon(tx, reader);
      throw error;
    }
    if (result instanceof Promise) {
      tx.waiting();
      return result.then(
        (value) => this.complete(tx, reader, value, options),
        (error) => {
          this.abandon(tx, reader);
          throw error;
        },
      );
    }
    return this.complete(tx, reader, result, options);
  }

  private abandon(tx: WriteBuffer, reader: SnapshotReader): void {
    tx.abandon();
    reader.release();
  }

  /** The body finished: commit what it wrote and answer its value. */
  private complete<T>(tx: WriteBuffer, reader: SnapshotReader, value: T, options: RunOptions | undefined): T {
    try {
      tx.finish();
    } finally {
      // Before the commit: a transaction that no longer reads does not make it freeze the store.
      reader.release();
    }
    this.commit(tx, reader.version);
    options?.onApplied?.();
    return value;
  }

  private commit(tx: WriteBuffer, readVersion: number): void {
    const fault = this.faults?.next(!tx.hasWrites) ?? null;
    if (fault !== null && fault !== "commit_unknown_result") throw injected(fault);
    if (!tx.hasWrites) {
      // Read-only: serializable at its read version, nothing to check.
      this.commitCount++;
      return;
    }
    const starts = tx.readConflictStarts;
    if (readVersion >= 0 && starts.length > 0) {
      if (readVersion < this.history.floor) {
        throw new EngineError(
          "transaction_too_old",
          "transaction's read version is older than the conflict history (FoundationDB 1007)",
        );
      }
      if (this.history.conflicts(readVersion, starts, tx.readConflictEnds)) {
        this.conflictCount++;
        throw new EngineError(
          "not_committed",
          "another transaction wrote what this one read (FoundationDB 1020); it will be retried",
        );
      }
    }
    if (fault === "commit_unknown_result") {
      if (this.faults!.committedAnyway()) this.apply(tx);
      throw injected(fault);
    }
    this.apply(tx);
    this.commitCount++;
  }

  private apply(tx: WriteBuffer): void {
    const view = this.currentView;
    this.currentView = null;
    if (view !== null && view.readers > 0) {
      // Transactions still read at this version: keep it for them.
      view.snapshot = this.store.snapshot();
      this.frozenViews.push(view);
    }
    const version = ++this.version;
    const oldest = this.oldestLiveView();
    if (oldest === undefined) {
      // No running transaction read before this commit, so none can conflict with it.
      this.history.forgetThrough(version);
      tx.replay(this.applier);
      return;
    }
    const writes = new CommitWrites(version, this.clock());
    this.applier.writes = writes;
    tx.replay(this.applier);
    this.applier.writes = null;
    this.history.record(writes);
    // Commits at or below the oldest running read version cannot conflict with anything any more.
    this.history.forgetThrough(oldest.version, false);
  }

  /** The oldest frozen view still read, dropping finished ones. */
  private oldestLiveView(): ReadView | undefined {
    const views = this.frozenViews;
    let head = 0;
    while (head < views.length && views[head]!.readers === 0) head++;
    if (head > 0) views.splice(0, head);
    return views[0];
  }
}

function injected(fault: "not_committed" | "commit_unknown_result" | "transaction_too_old"): EngineError {
  return new EngineError(fault, `injected fault: ${fault} (memory engine fault injection)`);
}
