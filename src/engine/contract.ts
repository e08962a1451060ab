// The engine contract: a transactional, ordered key-value store shaped after
// FoundationDB, so that everything above it (model/, commands/) runs unchanged
// on the memory, SQLite and FoundationDB engines.
//
// Keys and values are bytes. Ranges are half-open: [start, end).
// Reads answer now or later (MaybePromise: the in-process engines answer at
// once, FoundationDB with a promise); writes are buffered, synchronous and
// read-your-writes.
import type { MaybePromise } from "./maybe_promise.ts";

export type { MaybePromise };

export type Bytes = Uint8Array;

export interface KeyValue {
  readonly key: Bytes;
  readonly value: Bytes;
}

export interface KeyRange {
  /** Inclusive start. */
  readonly start: Bytes;
  /** Exclusive end. */
  readonly end: Bytes;
}

export interface RangeOptions {
  /** Maximum number of pairs returned; unlimited when absent or 0. */
  readonly limit?: number;
  /** Read from the end of the range backwards. */
  readonly reverse?: boolean;
}

/** Reads. On a serializable transaction each read adds a read conflict. */
export interface ReadTxn {
  get(key: Bytes): MaybePromise<Bytes | undefined>;
  getRange(range: KeyRange, options?: RangeOptions): MaybePromise<KeyValue[]>;
}

export interface Txn extends ReadTxn {
  /** The same transaction, reading without adding read conflicts (FoundationDB snapshot reads). */
  readonly snapshot: ReadTxn;
  set(key: Bytes, value: Bytes): void;
  /**
   * set() of a key the caller knows holds nothing (a new stream entry, whose
   * id is above every id of its stream): layers that account for what a write
   * replaces (the storage meter) need not read the key first. Optional: a
   * transaction without it takes set() (model/db.ts setNewKey).
   */
  setNew?(key: Bytes, value: Bytes): void;
  clear(key: Bytes): void;
  clearRange(range: KeyRange): void;
  /**
   * Atomic add of a signed 64-bit little-endian integer (FoundationDB's ADD
   * mutation): a missing key counts as 0; no read conflict is added.
   */
  add(key: Bytes, delta: bigint): void;
  /**
   * Makes the transaction conflict with any write to [start, end) committed
   * after its read version, as a read of the range would, without reading it
   * (FoundationDB's read conflict range). Engines that run transactions one
   * at a time (SQLite) have nothing to conflict with and ignore it.
   */
  addReadConflictRange(range: KeyRange): void;
  /**
   * Engines shared by several servers only (FoundationDB): settles `changed`
   * some time after the key's value differs from the one this transaction
   * saw, once the transaction has committed (FoundationDB's watch). Lets a
   * client waiting on a key (BLPOP) hear of a write made through another
   * server. Absent where every write passes through this process (memory,
   * SQLite: KeyEvents hears of them directly).
   */
  watch?(key: Bytes): KeyWatch;
}

/** A watch on one key (Txn.watch). */
export interface KeyWatch {
  /** Settles when the key changed; rejects if the transaction did not commit or the engine closed. */
  readonly changed: Promise<void>;
  /** No longer needed: frees it (FoundationDB limits how many a client holds); `changed` then never settles. */
  cancel(): void;
}

/**
 * A log of entries per topic (a tenant), shared by every server of a
 * cluster, read in the same order by all of them: how pub/sub messages and
 * keyspace events published through one server reach subscribers on the
 * others (Engine.eventLog).
 */
export interface EventLog {
  /**
   * Appends entries to `topic`, in its own transaction: committed in the
   * order of the calls made by this process; settles once durable and
   * handed to this process's followers of `topic`, if any.
   */
  append(topic: Bytes, entries: readonly Bytes[]): Promise<void>;
  /**
   * Calls `onEntries` with every entry appended to `topic` (by any server)
   * after this call, in log order, until stopped. Entries appended through
   * this process are read without waiting for a watch to fire.
   */
  follow(topic: Bytes, onEntries: (entries: readonly Bytes[]) => void): EventLogFollower;
}

export interface EventLogFollower {
  /**
   * Settles once every entry committed from then on (through any server)
   * will reach this follower (FoundationDB: its first read of the log is
   * done). A subscription can be confirmed then. Entries appended through
   * this process after follow() reach it even before.
   */
  readonly ready: Promise<void>;
  stop(): void;
}

export interface RunOptions {
  /**
   * Called once, synchronously, when the body's effects are applied and
   * visible to transactions started afterwards, possibly before they are
   * durable. Connections use it to start their next pipelined command while
   * the reply waits for durability (group commit). Never called on failure.
   */
  readonly onApplied?: () => void;
}

export interface Engine {
  /** Short name for logs and INFO: "memory", "sqlite", "fdb". */
  readonly name: string;
  /**
   * Runs `body` as one serializable transaction that only reads. Answers
   * with the body's value; retries the body on retryable errors, so the
   * body must have no side effects.
   *
   * The answer is synchronous when the engine could run the body and commit
   * without waiting (the memory engine, for a body that did not wait
   * either); then failures are thrown rather than rejected. Callers that
   * `await` need not care; the executor's fast path relies on it.
   */
  read<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): MaybePromise<T>;
  /**
   * Runs `body` as one serializable transaction and answers with its value
   * only once the commit is durable. Retries like `read`; synchronous under
   * the same conditions.
   */
  write<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): MaybePromise<T>;
  /**
   * Present on engines that several servers share (FoundationDB): the log
   * through which events cross servers. Absent: this process sees every
   * write, and events are delivered in process.
   */
  readonly eventLog?: EventLog;
  /** Finishes in-flight transactions, then releases files and handles. */
  close(): Promise<void>;
}
