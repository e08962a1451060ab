// SqliteDriver over bun:sqlite. BLOB columns come back as Uint8Array (Bun may
// hand out Buffer, a subclass); they are normalised to plain Uint8Array views
// over the same memory, without copying.
import { Database, type Statement } from "bun:sqlite";
import { closeSync, fdatasync, fstatSync, fsyncSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { SqliteDriver, SqliteStatement, SqlRow, SqlValue } from "../../engine/sqlite/driver.ts";

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

/**
 * fdatasync of the database's `-wal` file on the runtime's thread pool (see
 * SqliteDriver.syncLog). On Linux an fdatasync through any descriptor of a
 * file makes all data written to it before the call durable, whichever
 * descriptor wrote it, so SQLite's writes are covered by ours.
 */
class LogSync {
  private fd = -1;
  private inode = -1;

  constructor(private readonly walPath: string) {}

  sync(): Promise<void> {
    let fd: number;
    try {
      fd = this.descriptor();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** The log, opened again if SQLite replaced the file; a new file's directory entry is made durable first. */
  private descriptor(): number {
    const inode = statSync(this.walPath).ino;
    if (this.fd >= 0 && inode === this.inode) return this.fd;
    this.close();
    const fd = openSync(this.walPath, "r");
    this.inode = fstatSync(fd).ino;
    const directory = openSync(dirname(this.walPath), "r");
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
    this.fd = fd;
    return fd;
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
