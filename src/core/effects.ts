// What an operation changes outside the engine, collected while it runs and
// applied exactly once after its transaction commits: never for an attempt
// that failed or is retried (a fresh Effects is made for every attempt), so a
// retried body cannot touch a WATCH, count usage or wake a waiter twice.
import type { Keyspace } from "../model/keyspace.ts";

/** Keys written by one committed operation, for WATCH and waiting clients. */
export interface WrittenKeys {
  readonly ks: Keyspace;
  readonly keys: readonly Uint8Array[];
}

export class Effects {
  /** Keys written outside the operation's declared keys (another database: MOVE, COPY ... DB). */
  private extraWrites: WrittenKeys[] | null = null;
  private callbacks: (() => void)[] | null = null;

  /** Announces a write to keys the operation did not declare (its declared keys are announced by the executor). */
  wrote(ks: Keyspace, keys: readonly Uint8Array[]): void {
    (this.extraWrites ??= []).push({ ks, keys });
  }

  /** Runs `callback` once the transaction has committed (cursors, connection state). */
  afterCommit(callback: () => void): void {
    (this.callbacks ??= []).push(callback);
  }

  /** @internal Called by the executor, once, when the commit is applied. */
  apply(announce: (written: WrittenKeys) => void): void {
    if (this.extraWrites !== null) for (const written of this.extraWrites) announce(written);
    if (this.callbacks !== null) for (const callback of this.callbacks) callback();
  }
}
