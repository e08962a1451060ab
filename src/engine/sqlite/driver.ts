// The little of SQLite the SQLite engine needs, so the engine imports no
// runtime module: adapter/bun wraps bun:sqlite, adapter/deno wraps node:sqlite.

/** Values bound to `?` placeholders. BLOBs are Uint8Array in both directions. */
export type SqlValue = Uint8Array | number | bigint | string | null;

/** One result row, by column name. */
export type SqlRow = Readonly<Record<string, SqlValue>>;

export interface SqliteStatement {
  /** The first row, or undefined. */
  get(...params: SqlValue[]): SqlRow | undefined;
  all(...params: SqlValue[]): SqlRow[];
  /** Runs the statement; `changes` counts the rows it inserted, updated or deleted. */
  run(...params: SqlValue[]): { readonly changes: number | bigint };
}

export interface SqliteDriver {
  /** Runs one or more statements without results (PRAGMA, DDL, BEGIN/COMMIT). */
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
  /**
   * Makes everything written so far to the database's write-ahead log (the
   * `-wal` file) durable, off the calling thread: an fdatasync on a thread
   * pool, so the event loop runs on meanwhile. Resolves once the data written
   * before the call is on disk. Drivers that cannot do this leave it out, and
   * the engine then lets SQLite sync inside COMMIT.
   */
  syncLog?(): Promise<void>;
}

/**
 * Opens (creating it and its directory if needed) the SQLite file at `path`.
 * Adapters provide it; SqliteEngine.open takes it as an option.
 */
export type OpenSqlite = (path: string) => SqliteDriver;
