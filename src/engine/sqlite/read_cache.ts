// The rows of the SQLite write connection as it sees them now: values read
// lately (clean) and rows written by the open batch but not yet handed to
// SQLite (dirty).
//
// Clean values serve the reads that run at once while the engine is quiet
// (engine.ts `read`: a GET then costs a hash lookup instead of a SQLite
// statement, which was a sixth of the server's CPU under redis-benchmark)
// and the reads of batch bodies (SET reads the key's meta before writing it).
// Sound because one process owns the file (materia.lock) and every change
// goes through the engine's applier, which writes here first.
//
// Dirty rows are the batch's writes, kept until `flush` hands them to SQLite
// (before COMMIT, and before any range read or range clear, which SQLite
// answers): a key written by twenty transactions of one batch (a hot key, a
// tenant's counters) costs one SQLite statement instead of twenty. A batch
// that fails drops them with everything else (`discard`).
import type { Bytes, KeyRange, KeyValue, RangeOptions } from "../contract.ts";
import { keyIdentity } from "../bytes.ts";
import type { BaseReader } from "../write_buffer.ts";

/** Clean entries kept at most; past it they start again empty (no LRU bookkeeping on the hot path). Dirty rows are never dropped. */
const MAX_ENTRIES = 100_000;

/** Cached absence: a GET of a missing key is as common as one of a present key. */
const ABSENT = new Uint8Array(0);

/** A row the batch wrote: its new value, or ABSENT for a deletion. */
interface DirtyRow {
  readonly key: Bytes;
  readonly value: Bytes;
  /** The row was read (cached) before this write: kept cached after the flush. */
  readonly wasRead: boolean;
}

/** Where dirty rows go on a flush: the SQLite statements of the batch. */
export interface RowWriter {
  upsert(key: Bytes, value: Bytes): void;
  remove(key: Bytes): void;
}

export class ReadCache implements BaseReader {
  private values = new Map<string, Bytes>();
  private dirty = new Map<string, DirtyRow>();

  constructor(private readonly source: BaseReader) {}

  /** Rows written and not yet flushed. */
  get dirtyCount(): number {
    return this.dirty.size;
  }

  get(key: Bytes): Bytes | undefined {
    const id = keyIdentity(key);
    let value = this.dirty.get(id)?.value ?? this.values.get(id);
    if (value === undefined) {
      value = this.source.get(key) ?? ABSENT;
      if (this.values.size >= MAX_ENTRIES) this.values = new Map();
      this.values.set(id, value);
    }
    // A copy: what a caller does with the bytes it read must not change the cache.
    return value === ABSENT ? undefined : value.slice();
  }

  /** SQLite answers range reads, so it must hold the batch's writes first: call `flush` before. */
  scan(range: KeyRange, options: RangeOptions): KeyValue[] {
    return this.source.scan(range, options);
  }

  /** The batch sets `key` (copied: the caller may reuse its buffers). */
  write(key: Bytes, value: Bytes): void {
    this.markDirty(key, value.slice());
  }

  /** The batch deletes `key`. */
  remove(key: Bytes): void {
    this.markDirty(key, ABSENT);
  }

  /** Hands the dirty rows to SQLite, in no particular order (each key once); those read before stay cached, clean. Returns how many. */
  flush(writer: RowWriter): number {
    const rows = this.dirty;
    if (rows.size === 0) return 0;
    this.dirty = new Map();
    for (const [id, row] of rows) {
      if (row.value === ABSENT) writer.remove(row.key);
      else writer.upsert(row.key, row.value);
      // Rows only ever written (a new stream entry) are left out: nobody may read them, and a full cache starts again empty.
      if (row.wasRead && this.values.size < MAX_ENTRIES) this.values.set(id, row.value);
    }
    return rows.size;
  }

  /** A range is about to be cleared in SQLite: flush first, since dirty rows would survive this. */
  forgetAll(): void {
    if (this.values.size > 0) this.values = new Map();
  }

  /** The batch failed: its unflushed rows never happened, and what SQLite rolled back must not stay cached. */
  discard(): void {
    if (this.dirty.size > 0) this.dirty = new Map();
    this.forgetAll();
  }

  private markDirty(key: Bytes, value: Bytes): void {
    const id = keyIdentity(key);
    // The dirty row answers from now on; a clean entry would only be stale.
    const wasRead = this.values.delete(id) || this.dirty.get(id)?.wasRead === true;
    this.dirty.set(id, { key: key.slice(), value, wasRead });
  }
}
