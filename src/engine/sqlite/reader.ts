// Reads of the SQLite engine's kv table through one connection: the write
// connection (the batch's state, earlier items applied) or a read connection
// holding a snapshot (long_reads.ts).
import type { Bytes, KeyRange, KeyValue, RangeOptions } from "../contract.ts";
import { EngineError } from "../errors.ts";
import type { BaseReader } from "../write_buffer.ts";
import type { SqliteDriver, SqliteStatement, SqlValue } from "./driver.ts";

function blob(value: SqlValue | undefined): Bytes {
  if (value instanceof Uint8Array) return value;
  throw new EngineError("storage_failure", `the kv table holds a ${typeof value} where a BLOB belongs; the file is damaged`);
}

export function storageFailure(what: string, cause: unknown): EngineError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new EngineError("storage_failure", `SQLite ${what} failed: ${detail}`, { cause });
}

/** Reads the kv table as the connection sees it. */
export class SqliteReader implements BaseReader {
  private readonly getStatement: SqliteStatement;
  private readonly forward: SqliteStatement;
  private readonly backward: SqliteStatement;

  constructor(db: SqliteDriver) {
    this.getStatement = db.prepare("SELECT v FROM kv WHERE k = ?");
    // LIMIT -1 is SQLite for "no limit".
    this.forward = db.prepare("SELECT k, v FROM kv WHERE k >= ? AND k < ? ORDER BY k LIMIT ?");
    this.backward = db.prepare("SELECT k, v FROM kv WHERE k >= ? AND k < ? ORDER BY k DESC LIMIT ?");
  }

  get(key: Bytes): Bytes | undefined {
    let row;
    try {
      row = this.getStatement.get(key);
    } catch (error) {
      throw storageFailure("read", error);
    }
    return row === undefined ? undefined : blob(row.v);
  }

  scan(range: KeyRange, options: RangeOptions): KeyValue[] {
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : -1;
    let rows;
    try {
      rows = (options.reverse === true ? this.backward : this.forward).all(range.start, range.end, limit);
    } catch (error) {
      throw storageFailure("range read", error);
    }
    const out: KeyValue[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      out[i] = { key: blob(row.k), value: blob(row.v) };
    }
    return out;
  }
}

/** Which reads a transaction may not make now: those into a range being cleared (deferred_clears.ts). */
export interface ReadFence {
  fencesKey(key: Bytes): boolean;
  fencesRange(start: Bytes, end: Bytes): boolean;
}

/** A reader that refuses fenced reads by throwing `refusal()`, so the engine can park the transaction. */
export class FencedReader implements BaseReader {
  constructor(
    private readonly inner: BaseReader,
    private readonly fence: ReadFence,
    private readonly refusal: () => Error,
  ) {}

  get(key: Bytes): Bytes | undefined {
    if (this.fence.fencesKey(key)) throw this.refusal();
    return this.inner.get(key);
  }

  scan(range: KeyRange, options: RangeOptions): KeyValue[] {
    if (this.fence.fencesRange(range.start, range.end)) throw this.refusal();
    return this.inner.scan(range, options);
  }
}
