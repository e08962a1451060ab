// Committed values the SQLite engine has read lately, for the reads that run
// at once while the engine is quiet (engine.ts `read`): a GET then costs a
// hash lookup instead of a SQLite statement, which was a sixth of the
// server's CPU under redis-benchmark.
//
// Sound because one process owns the file (materia.lock) and every change
// goes through the engine: the applier forgets a key before writing it,
// inside its batch (a rolled-back batch only leaves the cache emptier), and
// the cache is filled only by those quiet reads, which see committed,
// durable data and never a batch in progress. A range clear forgets
// everything (the cache is not ordered).
import type { Bytes, KeyRange, KeyValue, RangeOptions } from "../contract.ts";
import { keyIdentity } from "../bytes.ts";
import type { BaseReader } from "../write_buffer.ts";

/** Entries kept at most; past it the cache starts again empty (no LRU bookkeeping on the hot path). */
const MAX_ENTRIES = 100_000;

/** Cached absence: a GET of a missing key is as common as one of a present key. */
const ABSENT = new Uint8Array(0);

export class ReadCache implements BaseReader {
  private values = new Map<string, Bytes>();

  constructor(private readonly source: BaseReader) {}

  get(key: Bytes): Bytes | undefined {
    const id = keyIdentity(key);
    let value = this.values.get(id);
    if (value === undefined) {
      value = this.source.get(key) ?? ABSENT;
      if (this.values.size >= MAX_ENTRIES) this.values = new Map();
      this.values.set(id, value);
    }
    // A copy: what a caller does with the bytes it read must not change the cache.
    return value === ABSENT ? undefined : value.slice();
  }

  scan(range: KeyRange, options: RangeOptions): KeyValue[] {
    return this.source.scan(range, options);
  }

  /** `key` is about to change. */
  forget(key: Bytes): void {
    if (this.values.size > 0) this.values.delete(keyIdentity(key));
  }

  /** A range is about to be cleared. */
  forgetAll(): void {
    if (this.values.size > 0) this.values = new Map();
  }
}
