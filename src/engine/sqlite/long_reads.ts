// Read connections for the SQLite engine's long reads (engine/long_read.ts).
//
// The engine's write connection runs every transaction in its FIFO, one body
// after another inside a batch. A long read that yields to the event loop
// between pages cannot run there: the whole queue would wait for it, and on
// one connection it could not keep a snapshot while later batches commit. So
// each long read runs on a read connection of its own, in a read transaction:
// in WAL mode SQLite gives such a transaction the database as of its first
// read, however many commits land on the write connection meanwhile, and
// readers never block the writer (nor the writer them). While a reader holds
// its snapshot, checkpoints cannot copy past it and the log cannot restart,
// so the log grows a little for the few seconds a long read may last (the
// write buffer's 5 s transaction limit applies to it as to every body).
import type { SqliteDriver, SqliteStatement } from "./driver.ts";
import { SqliteReader, storageFailure } from "./reader.ts";

/** Read connections kept open at most; more concurrent long reads wait for one. */
export const MAX_READ_CONNECTIONS = 4;

/** One read connection and its prepared reads. */
export class ReadConnection {
  readonly reader: SqliteReader;
  private readonly pin: SqliteStatement;
  private readonly begin: SqliteStatement;
  private readonly end: SqliteStatement;

  constructor(readonly db: SqliteDriver) {
    // Only the write connection checkpoints (engine.ts runs them with the log synced first).
    db.exec("PRAGMA wal_autocheckpoint = 0");
    db.exec("PRAGMA query_only = 1");
    this.reader = new SqliteReader(db);
    this.begin = db.prepare("BEGIN");
    // A WAL read transaction takes its snapshot at its first read, not at BEGIN.
    this.pin = db.prepare("SELECT 1 FROM kv LIMIT 1");
    this.end = db.prepare("COMMIT");
  }

  /** Starts a read transaction whose snapshot is the database as committed now. */
  takeSnapshot(): void {
    try {
      this.begin.run();
      this.pin.get();
    } catch (error) {
      this.releaseSnapshot();
      throw storageFailure("read snapshot", error);
    }
  }

  releaseSnapshot(): void {
    try {
      this.end.run();
    } catch {
      // No transaction open (BEGIN failed): nothing to end.
    }
  }
}

/** Opens read connections on demand, up to MAX_READ_CONNECTIONS, and lends them out one long read at a time. */
export class ReadConnectionPool {
  private readonly idle: ReadConnection[] = [];
  private readonly all: ReadConnection[] = [];
  private readonly waiting: ((connection: ReadConnection) => void)[] = [];

  constructor(private readonly open: () => SqliteDriver) {}

  /** A free connection now, or a promise of the next one released. */
  acquire(): ReadConnection | Promise<ReadConnection> {
    const free = this.idle.pop();
    if (free !== undefined) return free;
    if (this.all.length < MAX_READ_CONNECTIONS) {
      let connection: ReadConnection;
      try {
        connection = new ReadConnection(this.open());
      } catch (error) {
        throw storageFailure("opening a read connection", error);
      }
      this.all.push(connection);
      return connection;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(connection: ReadConnection): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(connection);
    else this.idle.push(connection);
  }

  /** Closes every connection; call once no long read runs. */
  closeAll(): void {
    for (const connection of this.all.splice(0)) {
      try {
        connection.db.close();
      } catch {
        // Closing anyway; a read connection holds nothing to lose.
      }
    }
    this.idle.length = 0;
  }
}
