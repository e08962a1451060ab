// Waking a blocked operation when another server writes one of its keys
// (Executor.runBlocking), on engines shared by several servers, whose
// transactions offer `watch` (FoundationDB). KeyEvents hears only of this
// process's writes; this hears of the others' through the engine.
//
// An attempt that answers WOULD_BLOCK also watches the meta key of each of
// its keys, in its own transaction: creating, changing or deleting a key
// rewrites its meta, and a watch fires on any write committed after the
// attempt's read, so no write between that read and the watch is missed.
// The first watch of a round to fire runs the attempt again and cancels the
// others; the next WOULD_BLOCK sets a new round. On engines without watches
// (memory, SQLite) nothing happens here.
//
// It also watches the tenant's database map: a SWAPDB through another server
// changes what its keys hold, and Redis re-checks the clients blocked on
// swapped databases.
import type { KeyWatch, MaybePromise } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import type { OpContext, Operation } from "./operation.ts";
import { databaseMapKey } from "../model/database_map.ts";

/** After a watch failed (not a change: the engine closing...), the wait before running the attempt again. */
const WATCH_FAILED_RETRY_MS = 100;

export class RemoteWake<A, R> {
  /** `op`, whose WOULD_BLOCK attempts watch their keys: run this one. */
  readonly op: Operation<A, R>;
  /** Made by the latest transaction attempt (the engine cancels those of attempts it retries). */
  private made: KeyWatch[] = [];
  /** Armed: those of the last attempt that blocked. */
  private round: KeyWatch[] = [];

  /** `keys`: those whose writes wake the operation (BLMOVE: its source only). */
  constructor(op: Operation<A, R>, blocked: unknown, private readonly keys: readonly Uint8Array[], private readonly wake: (key: Uint8Array) => void) {
    this.op = Object.create(op, {
      run: {
        value: (ctx: OpContext, args: A): MaybePromise<R> => {
          this.made = [];
          return then(op.run(ctx, args), (value) => {
            const { tx, ks } = ctx;
            if (value === blocked && tx.watch !== undefined) {
              this.made = this.keys.map((key) => tx.watch!(ks.metaKey(key)));
              if (this.keys.length > 0) this.made.push(tx.watch(databaseMapKey(ks.tenant)));
            }
            return value;
          });
        },
      },
    });
  }

  /** An attempt starts: it reads the keys afresh, so the armed round is not needed any more. */
  attempting(): void {
    this.disarm();
  }

  /** The attempt just finished answered WOULD_BLOCK: its watches wake the waiter. */
  arm(): void {
    this.disarm();
    const round = this.taken();
    this.round = round;
    const fired = (key: Uint8Array): void => {
      if (this.round !== round) return;
      this.disarm();
      this.wake(key);
    };
    // round[i] watches keys[i]'s meta key; the last, the database map (a swap wakes as a write of the first key would).
    round.forEach((watch, i) => {
      const key = this.keys[i] ?? this.keys[0]!;
      watch.changed.then(() => fired(key), () => setTimeout(() => fired(key), WATCH_FAILED_RETRY_MS));
    });
  }

  /** The wait is over: frees every watch. */
  stop(): void {
    this.disarm();
    for (const watch of this.taken()) watch.cancel();
  }

  private taken(): KeyWatch[] {
    const made = this.made;
    this.made = [];
    return made;
  }

  private disarm(): void {
    for (const watch of this.round) watch.cancel();
    this.round = [];
  }
}
