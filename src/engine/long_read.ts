// Long reads: read-only transactions that may take a while (KEYS, LRANGE of a
// million items...) and yield to the event loop between pages
// (model/paged_read.ts). Every engine runs them as ordinary reads except
// where that would hold others up: the SQLite engine runs ordinary reads
// inside its write queue, where a body that waits for the event loop would
// hold up every write behind it, so it runs long reads beside the queue, on
// a read connection holding its own snapshot (sqlite/long_reads.ts).
import type { Engine, MaybePromise, RunOptions, Txn } from "./contract.ts";

/** An engine with a separate way to run long reads. */
export interface LongReadEngine extends Engine {
  /**
   * Runs `body` as one read-only transaction over one consistent snapshot
   * that includes every write whose transaction started before this call,
   * without keeping other transactions waiting while the body yields to the
   * event loop. Resolves once what it read is durable; retries like `read`.
   * `onApplied` runs once the snapshot is taken.
   */
  readLong<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): Promise<T>;
}

function hasLongReads(engine: Engine): engine is LongReadEngine {
  return typeof (engine as Partial<LongReadEngine>).readLong === "function";
}

/** Runs a long read: `engine.readLong` where the engine has it, else `engine.read`. */
export function readLong<T>(engine: Engine, body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): MaybePromise<T> {
  return hasLongReads(engine) ? engine.readLong(body, options) : engine.read(body, options);
}
