// Makes SQLite's write-ahead log durable off the event loop (used by both
// runtimes' SQLite drivers): only node:fs, so it is runtime-neutral.
import { closeSync, fdatasync, fstatSync, fsyncSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * fdatasync of the database's `-wal` file on the runtime's thread pool (see
 * SqliteDriver.syncLog). On Linux an fdatasync through any descriptor of a
 * file makes all data written to it before the call durable, whichever
 * descriptor wrote it, so SQLite's writes are covered by ours.
 */
export class LogSync {
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
