// SqliteDriver over node:sqlite's DatabaseSync, which Deno implements. BLOB
// columns already come back as plain Uint8Array.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqliteDriver, SqliteStatement, SqlRow, SqlValue } from "../../engine/sqlite/driver.ts";
import { LogSync } from "../../engine/sqlite/log_sync.ts";

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
