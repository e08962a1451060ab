// Big range clears on the SQLite engine, done in the background without
// ever being seen half done.
//
// FLUSHALL of a tenant with a million keys is one clearRange over millions
// of rows; SQLite deletes them at about 0.4 µs a row, a second in which the
// whole server (one thread) answers nobody. FoundationDB clears a range in
// O(1); here a clear of more than DEFER_ABOVE_ROWS rows becomes:
//
// 1. The logical step, in the clearing transaction's batch: the range is
//    written to the `pending_clears` table, durable with that batch's
//    COMMIT, and from that moment the range is *fenced*: a later transaction
//    that reads into it, or writes into it, is set aside ("parked") before
//    anything of it reaches SQLite, and runs again once the range is gone. A
//    long read whose snapshot includes the clear restarts after it too. So
//    no client ever sees a row the clear removed, and the counters that live
//    in the range (DBSIZE, the storage usage) are read only once exact.
// 2. The cleanup: every batch, before its transactions, deletes the next
//    CLEANUP_ROWS rows of the oldest pending range (a few milliseconds) and
//    moves the range's start past them, in the same commit; when a range is
//    empty its row goes and the transactions parked on it run. Batches run
//    while cleanup remains even with nothing queued, one per event-loop turn.
//
// A crash between the two leaves the pending row: the next open fences the
// range again and finishes the cleanup, so the clear stays atomic across
// restarts. Only the clearing transaction itself may write into its own range
// (SET over a big hash writes the new value where the members were): its
// first write there deletes the rest of the range at once, as before.
import { compareBytes } from "../bytes.ts";
import type { Bytes } from "../contract.ts";
import type { SqliteDriver, SqliteStatement } from "./driver.ts";
import { storageFailure } from "./reader.ts";

/** Clears of more rows than this are deferred; smaller ones run at once (this many rows take about 4 ms). */
export const DEFER_ABOVE_ROWS = 10_000;
/** Rows deleted per batch by the cleanup. */
export const CLEANUP_ROWS = 10_000;

/** Thrown by a fenced read: the transaction is parked until the pending clears are done. */
export class RangeBeingCleared extends Error {
  override readonly name = "RangeBeingCleared";
  constructor() {
    super("the range is being cleared in the background; the transaction runs again once it is done");
  }
}

interface ClearedRange {
  readonly start: Bytes;
  readonly end: Bytes;
}

interface PendingClear extends ClearedRange {
  readonly id: number;
  /** Rows before `start` are deleted already (in the open batch, perhaps not committed yet). */
  start: Bytes;
}

function overlaps(range: ClearedRange, start: Bytes, end: Bytes): boolean {
  return compareBytes(start, range.end) < 0 && compareBytes(range.start, end) < 0;
}

function contains(range: ClearedRange, key: Bytes): boolean {
  return compareBytes(range.start, key) <= 0 && compareBytes(key, range.end) < 0;
}

export class DeferredClears {
  private pending: PendingClear[] = [];
  /**
   * The pending clears as of the last COMMIT: what a read snapshot taken now
   * (which sees committed data only) holds undone. Replaced, never changed.
   */
  committedRanges: readonly ClearedRange[] = [];
  private readonly nthRow: SqliteStatement;
  private readonly removeRange: SqliteStatement;
  private readonly insertPending: SqliteStatement;
  private readonly movePending: SqliteStatement;
  private readonly deletePending: SqliteStatement;
  private readonly loadPending: SqliteStatement;

  constructor(private readonly db: SqliteDriver) {
    this.nthRow = db.prepare("SELECT k FROM kv WHERE k >= ? AND k < ? ORDER BY k LIMIT 1 OFFSET ?");
    this.removeRange = db.prepare("DELETE FROM kv WHERE k >= ? AND k < ?");
    this.insertPending = db.prepare("INSERT INTO pending_clears (start, end) VALUES (?, ?) RETURNING id");
    this.movePending = db.prepare("UPDATE pending_clears SET start = ? WHERE id = ?");
    this.deletePending = db.prepare("DELETE FROM pending_clears WHERE id = ?");
    this.loadPending = db.prepare("SELECT id, start, end FROM pending_clears ORDER BY id");
    this.reload();
    this.markCommitted();
  }

  /** True while some clear is pending: fences apply and batches run the cleanup. */
  get active(): boolean {
    return this.pending.length > 0;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Reads what the table holds (at open, and after a batch rolled back). */
  reload(): void {
    this.pending = this.loadPending.all().map((row) => ({ id: Number(row.id), start: row.start as Bytes, end: row.end as Bytes }));
  }

  /** The open batch committed: snapshots taken from now on see its clears and deletions. */
  markCommitted(): void {
    if (this.pending.length === 0 && this.committedRanges.length === 0) return;
    this.committedRanges = this.pending.map((range) => ({ start: range.start, end: range.end }));
  }

  /**
   * Inside the open batch: defers the clear of [start, end) when it holds
   * more than DEFER_ABOVE_ROWS rows. Returns false when the caller must
   * delete the rows itself.
   */
  tryDefer(start: Bytes, end: Bytes): boolean {
    if (this.nthRow.get(start, end, DEFER_ABOVE_ROWS) === undefined) return false;
    const row = this.insertPending.get(start, end);
    this.pending.push({ id: Number(row!.id), start, end });
    return true;
  }

  /** Whether a transaction of the open batch must not read or write [start, end). */
  fencesRange(start: Bytes, end: Bytes): boolean {
    for (const range of this.pending) if (overlaps(range, start, end)) return true;
    return false;
  }

  fencesKey(key: Bytes): boolean {
    for (const range of this.pending) if (contains(range, key)) return true;
    return false;
  }

  /**
   * The clearing transaction writes into its own pending range: deletes the
   * rest of that range now, so the write lands among no dead rows. Returns
   * the rows deleted.
   */
  finishAt(key: Bytes): number {
    const index = this.pending.findIndex((range) => contains(range, key));
    if (index < 0) return 0;
    const range = this.pending[index]!;
    const rows = Number(this.run(this.removeRange, range.start, range.end));
    this.run(this.deletePending, range.id);
    this.pending.splice(index, 1);
    return rows;
  }

  /**
   * Inside the open batch: deletes the next CLEANUP_ROWS rows of the oldest
   * pending range. Returns the rows deleted and whether every clear is done.
   */
  step(): { rows: number; finished: boolean } {
    const range = this.pending[0];
    if (range === undefined) return { rows: 0, finished: true };
    const boundary = this.nthRow.get(range.start, range.end, CLEANUP_ROWS)?.k as Bytes | undefined;
    if (boundary !== undefined) {
      const rows = Number(this.run(this.removeRange, range.start, boundary));
      this.run(this.movePending, boundary, range.id);
      range.start = boundary;
      return { rows, finished: false };
    }
    const rows = Number(this.run(this.removeRange, range.start, range.end));
    this.run(this.deletePending, range.id);
    this.pending.shift();
    return { rows, finished: this.pending.length === 0 };
  }

  private run(statement: SqliteStatement, ...params: (Bytes | number)[]): number | bigint {
    try {
      return statement.run(...params).changes;
    } catch (error) {
      throw storageFailure("background clear", error);
    }
  }
}

/** The fence of a read snapshot: the clears it holds undone (DeferredClears.committedRanges when it was taken). */
export function snapshotFence(ranges: readonly ClearedRange[]): { fencesKey(key: Bytes): boolean; fencesRange(start: Bytes, end: Bytes): boolean } {
  return {
    fencesKey: (key) => ranges.some((range) => contains(range, key)),
    fencesRange: (start, end) => ranges.some((range) => overlaps(range, start, end)),
  };
}

/** Creates the table of pending clears (in the schema's transaction). */
export function createPendingClearsTable(db: SqliteDriver): void {
  db.exec("CREATE TABLE IF NOT EXISTS pending_clears (id INTEGER PRIMARY KEY, start BLOB NOT NULL, end BLOB NOT NULL)");
}
