// Turns FDBFutures into promises. One long-lived thread-safe callback serves
// every future: its parameter is a small integer id, looked up in a table of
// pending promises (api-c.html: the callback runs at most once, on the network
// thread unless the future is ready already). The adapter's callback returns to
// C at once and runs the handler on the JS thread, so it never blocks the
// network thread for long.
import { type FdbNativeLibrary, isNull, type Ptr } from "./fdb_c.ts";

/** A FoundationDB error code with the library's own description. */
export class FdbError extends Error {
  readonly code: number;
  constructor(code: number, description: string) {
    super(`FoundationDB error ${code} (${description})`);
    this.name = "FdbError";
    this.code = code;
  }
}

const MAX_ID = 0x7fff_ffff;

export class FutureTable {
  private readonly waiting = new Map<number, () => void>();
  private nextId = 1;

  constructor(private readonly lib: FdbNativeLibrary) {
    lib.onFutureReady((id) => this.settle(id));
  }

  /** Futures awaited right now. */
  get pending(): number {
    return this.waiting.size;
  }

  /** An FdbError for `code`, described by fdb_get_error. */
  error(code: number): FdbError {
    return new FdbError(code, this.lib.c.fdb_get_error(code));
  }

  /** Resolves once `future` is ready (successfully or not); does not destroy it. */
  ready(future: Ptr): Promise<void> {
    const c = this.lib.c;
    if (isNull(future)) return Promise.reject(new Error("libfdb_c returned a NULL future"));
    if (c.fdb_future_is_ready(future) !== 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const id = this.nextId;
      this.nextId = id >= MAX_ID ? 1 : id + 1;
      this.waiting.set(id, resolve);
      if (this.waiting.size === 1) this.lib.keepAlive(true);
      const code = c.fdb_future_set_callback(future, this.lib.callback, id);
      if (code !== 0) {
        this.forget(id);
        reject(this.error(code));
      }
    });
  }

  /**
   * Waits for `future`, reads its result with `read` (the result's memory
   * belongs to the future: `read` must copy it) and destroys the future,
   * whatever happens. Rejects with an FdbError when the future failed.
   */
  async take<T>(future: Ptr, read: (future: Ptr) => T): Promise<T> {
    try {
      await this.ready(future);
      const code = this.lib.c.fdb_future_get_error(future);
      if (code !== 0) throw this.error(code);
      return read(future);
    } finally {
      if (!isNull(future)) this.lib.c.fdb_future_destroy(future);
    }
  }

  private settle(id: number): void {
    const resolve = this.waiting.get(id);
    if (resolve === undefined) return;
    this.forget(id);
    resolve();
  }

  private forget(id: number): void {
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.lib.keepAlive(false);
  }
}
