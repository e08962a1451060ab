// SqliteDriver over node:sqlite's DatabaseSync, which Deno implements. BLOB
// columns already come back as plain Uint8Array.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { closeSync, fdatasync, fstatSync, fsyncSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { SqliteDriver, SqliteStatement, SqlRow, SqlValue } from "../../engine/sqlite/driver.ts";

class DenoStatement implements SqliteStatement {
  constructor(private readonly statement: StatementSync) {}

  get(...params: SqlValue[]): SqlRow | undefined {
    return this.statement.get(...params) as SqlRow | undefined;
  }

  all(...params: SqlValue[]): SqlRow[] {
    return this.statement.all(...params) as SqlRow[];
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

class DenoSqliteDriver implements SqliteDriver {
  private readonly log: LogSync;

  constructor(private readonly db: DatabaseSync, path: string) {
    this.log = new LogSync(`${path}-wal`);
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    return new DenoStatement(this.db.prepare(sql));
  }

  close(): void {
    this.log.close();
    this.db.close();
  }

  syncLog(): Promise<void> {
    return this.log.sync();
  }
}

/** Opens the SQLite file at `path`, creating its directory. */
export function openSqlite(path: string): SqliteDriver {
  mkdirSync(dirname(path), { recursive: true });
  return new DenoSqliteDriver(new DatabaseSync(path), path);
}
