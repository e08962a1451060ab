// SqliteDriver over bun:sqlite. BLOB columns come back as Uint8Array (Bun may
// hand out Buffer, a subclass); they are normalised to plain Uint8Array views
// over the same memory, without copying.
import { Database, type Statement } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqliteDriver, SqliteStatement, SqlRow, SqlValue } from "../../engine/sqlite/driver.ts";
import { LogSync } from "../../engine/sqlite/log_sync.ts";

function plain(row: Record<string, SqlValue>): SqlRow {
  for (const column in row) {
    const value = row[column];
    if (value instanceof Uint8Array && Object.getPrototypeOf(value) !== Uint8Array.prototype) {
      row[column] = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return row;
}

class BunStatement implements SqliteStatement {
  constructor(private readonly statement: Statement<Record<string, SqlValue>, SqlValue[]>) {}

  get(...params: SqlValue[]): SqlRow | undefined {
    const row = this.statement.get(...params);
    // bun:sqlite answers null for no row.
    return row === null ? undefined : plain(row);
  }

  all(...params: SqlValue[]): SqlRow[] {
    const rows = this.statement.all(...params);
    for (const row of rows) plain(row);
    return rows;
  }

  run(...params: SqlValue[]): { readonly changes: number | bigint } {
    return this.statement.run(...params);
  }
}

class BunSqliteDriver implements SqliteDriver {
  // Kept to finalize on close: SQLite closes a connection with live
  // statements only lazily (sqlite3_close_v2), and until then the file and
  // its exclusive lock stay held, so the same process could not reopen it.
  private readonly statements: Statement<Record<string, SqlValue>, SqlValue[]>[] = [];

  private readonly log: LogSync;

  constructor(private readonly db: Database, path: string) {
    this.log = new LogSync(`${path}-wal`);
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    const statement = this.db.prepare<Record<string, SqlValue>, SqlValue[]>(sql);
    this.statements.push(statement);
    return new BunStatement(statement);
  }

  close(): void {
    this.log.close();
    for (const statement of this.statements.splice(0)) statement.finalize();
    this.db.close(true);
  }

  syncLog(): Promise<void> {
    return this.log.sync();
  }
}

/** Opens the SQLite file at `path`, creating its directory. */
export function openSqlite(path: string): SqliteDriver {
  mkdirSync(dirname(path), { recursive: true });
  return new BunSqliteDriver(new Database(path, { create: true, readwrite: true }), path);
}
