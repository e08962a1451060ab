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
  /** Finishes in-flight transactions, then releases files and handles. */
  close(): Promise<void>;
}
