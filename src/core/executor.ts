// The one pipeline every operation goes through, whoever asks (a RESP
// command, EXEC, the expiry sweeper; tomorrow scripts and HTTP):
//
//   authorise → transaction → run → meter storage → commit → effects
//
// - `run`: one operation in its own transaction.
// - `runBatch`: several operations in one transaction (EXEC; scripts and
//   HTTP batches later), each authorised when it runs.
// - `runBlocking`: an operation that finds nothing to do parks until one of
//   its keys is written (or a timeout), then runs again.
//
// Effects (usage, key events for WATCH and waiters, an operation's own
// after-commit callbacks) are applied once, when the engine reports the
// commit applied (its onApplied): never for a failed attempt or one that
// is retried, because every attempt collects into a fresh Effects.
//
// The fast path: nothing here waits unless the engine or the operation
// does. On the memory engine a GET or SET returns its value synchronously,
// without a promise (see engine/maybe_promise.ts).
import type { Engine, MaybePromise, Txn } from "../engine/contract.ts";
import { isPromise, sequence, then } from "../engine/maybe_promise.ts";
import { readLong } from "../engine/long_read.ts";
import type { Keyspace } from "../model/keyspace.ts";
import type { UsageChange } from "../model/storage_usage.ts";
import { type Refusal, refusalOf } from "./authorise.ts";
import type { Client } from "./client.ts";
import { Effects, type EffectsSink } from "./effects.ts";
import type { KeyEvents } from "./key_events.ts";
import { metered, type TenantSpaces, type UsageTracker } from "./metering.ts";
import type { MessageSink } from "./messages.ts";
import type { OpContext, Operation, WaitingAttempt } from "./operation.ts";
import { RemoteWake } from "./remote_wake.ts";
import type { DatabaseMaps } from "./database_maps.ts";
import { EngineError } from "../engine/errors.ts";

export interface ExecutorOptions {
  readonly engine: Engine;
  readonly clock: () => number;
  readonly usage: UsageTracker;
  readonly keyEvents: KeyEvents;
  readonly keyspaceOf: (tenant: string, db: number) => Keyspace;
  /**
   * Each tenant's database map (SWAPDB). An attempt that ran under a map
   * that changed meanwhile is retried; on an engine shared by several
   * servers each transaction checks the map it ran under. Absent: identity.
   */
  readonly databases?: DatabaseMaps;
  /** Where committed operations' pub/sub messages and keyspace events go (none: they are dropped). */
  readonly messages?: MessageSink;
  /**
   * Whether `tenant` has keyspace notifications on (notify-keyspace-events):
   * only then do its operations record keyspace events. Absent: never.
   */
  readonly notifying?: (tenant: string) => boolean;
}

export interface ExecuteOptions {
  /**
   * Called when the operation's effects are visible to later operations,
   * possibly before they are durable (the engine's onApplied): a connection
   * starts its next pipelined command then, while the reply waits.
   */
  readonly onApplied?: () => void;
}

/** Thrown (or rejected) by `run` when the client may not run the operation. */
export class Refused extends Error {
  override readonly name = "Refused";
  constructor(readonly refusal: Refusal, readonly operation: string) {
    super(`${operation}: ${refusal}`);
  }
}

/** An operation and its arguments, as a step of a batch. */
export interface BatchStep<A = unknown, R = unknown> {
  readonly op: Operation<A, R>;
  readonly args: A;
}

export interface BatchOptions<R> extends ExecuteOptions {
  /**
   * Checked first, in the batch's transaction (EXEC: no WATCHed key
   * changed); false cancels the batch, which then answers null.
   */
  readonly precondition?: (tx: Txn, nowMs: number) => MaybePromise<boolean>;
  /** A step the client may not run answers this instead; the other steps still run (Redis's EXEC). */
  readonly refused: (refusal: Refusal, op: Operation<unknown, unknown>) => R;
}

/** Returned by a blocking operation that found nothing to do yet: runBlocking parks it. */
export const WOULD_BLOCK: unique symbol = Symbol("would block");
export type WouldBlock = typeof WOULD_BLOCK;

export interface BlockingOptions {
  /** Milliseconds to wait at most; 0 waits until woken or cancelled. */
  readonly timeoutMs: number;
  /**
   * Aborting it ends the wait (the client disconnected, CLIENT UNBLOCK). A
   * run already under way when it aborts still finishes, and its result, if
   * any, is the wait's: what it popped is answered, never dropped.
   */
  readonly signal?: AbortSignal;
  /** The keys whose writes wake the operation (BLMOVE: its source only); default: all of `op.keys(args)`. */
  readonly keys?: readonly Uint8Array[];
  /** Called once, when the first run found nothing to do: from then on the client is blocked (CLIENT LIST's `b`). */
  readonly onBlocked?: () => void;
}

const ALWAYS_CURRENT = (): boolean => true;

/** An attempt ran under a database map that a SWAPDB replaced: it runs again under the new one. */
function mapChanged(): EngineError {
  return new EngineError("not_committed", "the tenant's database map changed (SWAPDB) while the command ran; retrying");
}

/** The longest delay setTimeout takes (about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A write of one operation, to announce once its transaction commits. */
interface Written {
  readonly op: Operation<unknown, unknown>;
  readonly args: unknown;
  readonly ks: Keyspace;
}

/**
 * The keyspace an operation of `client` sees: its selected database, limited
 * to its token's key prefixes if it has any (model/scoped_keys.ts looks at
 * that scope, once, for KEYS, SCAN, DBSIZE, RANDOMKEY and the flushes).
 */
function viewOf(client: Client): Keyspace {
  const scope = client.principal?.keys;
  return scope === undefined ? client.keyspace : client.keyspace.scopedTo(scope);
}

/** The Txn of an operation declared not to touch the engine: using it is a bug in its declaration. */
const NO_TRANSACTION: Txn = new Proxy({} as Txn, {
  get(_target, property): never {
    throw new Error(`an operation declared access "none" used the engine (tx.${String(property)})`);
  },
});

export class Executor {
  private readonly engine: Engine;
  private readonly clock: () => number;
  private readonly usage: UsageTracker;
  private readonly keyEvents: KeyEvents;
  private readonly keyspaceOf: (tenant: string, db: number) => Keyspace;
  /** tenant → its keyspace of each database, for the meter: built once per tenant rather than a closure per write. */
  private readonly tenantSpaces = new Map<string, TenantSpaces>();
  /** Where every committed attempt's Effects go: key events, messages, keyspace events. */
  private readonly sink: EffectsSink;
  private readonly notifying: ((tenant: string) => boolean) | undefined;
  /** The database maps when other servers may change them (FoundationDB): each transaction then checks its map. */
  private readonly sharedMaps: DatabaseMaps | undefined;

  constructor(options: ExecutorOptions) {
    this.engine = options.engine;
    this.clock = options.clock;
    this.usage = options.usage;
    this.keyEvents = options.keyEvents;
    this.keyspaceOf = options.keyspaceOf;
    this.notifying = options.notifying;
    this.sharedMaps = options.databases?.shared === true ? options.databases : undefined;
    const keyEvents = this.keyEvents;
    const messages = options.messages;
    this.sink = {
      wrote: (written, origin) => keyEvents.written(written.ks, written.keys, origin, written.removedOnly !== true),
      changedDatabase: (tenant, db) => keyEvents.flushed(tenant, db),
      published: (tenant, sent) => messages?.publish(tenant, sent),
      keyspaceEvents: (events) => messages?.keyspaceEvents(events),
    };
  }

  /** Why `client` may not run `op` now, if it may not (front ends check early, to order their errors as Redis does). */
  refusal<A>(client: Client, op: Operation<A, unknown>, args: A): Refusal | undefined {
    return refusalOf(client, op, args, this.clock);
  }

  /** Runs `op` for `client` in its own transaction; throws Refused, QuotaExceeded or the engine's error. */
  run<A, R>(client: Client, op: Operation<A, R>, args: A, options?: ExecuteOptions): MaybePromise<R> {
    return this.runOnce(client, op, args, options, undefined);
  }

  /** `run`, telling the operation which run of a wait this is (runBlocking), if it is one. */
  private runOnce<A, R>(client: Client, op: Operation<A, R>, args: A, options: ExecuteOptions | undefined, waiting: WaitingAttempt | undefined): MaybePromise<R> {
    const refusal = refusalOf(client, op, args, this.clock);
    if (refusal !== undefined) throw new Refused(refusal, op.name);
    if (op.access === "read") return this.read(client, op, args, options, waiting);
    if (op.access === "write") return this.write(client, op, args, options, waiting);
    return this.local(viewOf(client), op, args, options, waiting);
  }

  private local<A, R>(ks: Keyspace, op: Operation<A, R>, args: A, options: ExecuteOptions | undefined, waiting?: WaitingAttempt): MaybePromise<R> {
    const effects = new Effects();
    const seen = this.notifies(ks.tenant) ? ks.withEvents(effects) : ks;
    return then(op.run({ tx: NO_TRANSACTION, ks: seen, nowMs: this.clock(), effects, waiting }, args), (value) => {
      effects.apply(this.sink);
      options?.onApplied?.();
      return value;
    });
  }

  private read<A, R>(client: Client, op: Operation<A, R>, args: A, options: ExecuteOptions | undefined, waiting?: WaitingAttempt): MaybePromise<R> {
    let effects: Effects | undefined;
    let ks = viewOf(client);
    const notifying = this.notifies(ks.tenant);
    const body = (tx: Txn): MaybePromise<R> => {
      const attempt = new Effects();
      effects = attempt;
      // Per attempt: a retry after a SWAPDB runs under the new map.
      if (ks.retired) ks = viewOf(client);
      const mapCheck = this.sharedMaps?.check(tx, ks.tenant);
      const result = op.run({ tx, ks: notifying ? ks.withEvents(attempt) : ks, nowMs: this.clock(), effects: attempt, waiting }, args);
      return mapCheck === undefined && !isPromise(result) ? result : this.checked(ks, mapCheck, result);
    };
    const runOptions = {
      onApplied: () => {
        effects?.apply(this.sink);
        options?.onApplied?.();
      },
    };
    return op.longRead === true ? readLong(this.engine, body, runOptions) : this.engine.read(body, runOptions);
  }

  private write<A, R>(client: Client, op: Operation<A, R>, args: A, options: ExecuteOptions | undefined, waiting?: WaitingAttempt): MaybePromise<R> {
    let effects: Effects | undefined;
    let change: UsageChange | undefined;
    let wrote = false;
    const origin = client.id;
    let ks = viewOf(client);
    const tenant = ks.tenant;
    const spaces = this.spacesOf(tenant);
    const notifying = this.notifies(tenant);
    return this.engine.write((tx) => {
      const attempt = new Effects();
      effects = attempt;
      change = undefined;
      const nowMs = this.clock();
      // Per attempt: a retry after a SWAPDB runs under the new map.
      if (ks.retired) ks = viewOf(client);
      const view = ks;
      const mapCheck = this.sharedMaps?.check(tx, tenant);
      const seen = notifying ? view.withEvents(attempt) : view;
      const result = then(metered(this.usage, spaces, tx, (meter) => op.run({ tx: meter, ks: seen, nowMs, effects: attempt, waiting }, args)), (done) => {
        change = done.change;
        wrote = done.wrote;
        return done.value;
      });
      return mapCheck === undefined && !isPromise(result) ? result : this.checked(view, mapCheck, result);
    }, {
      onApplied: () => {
        if (change !== undefined) this.usage.applied(tenant, change);
        // A write that changed nothing (SET NX on an existing key, a pop that found nothing) is not announced:
        // it must not break a WATCH or wake a waiter, least of all the one that ran it.
        if (wrote) this.announce({ op: op as Operation<unknown, unknown>, args, ks }, origin);
        effects?.apply(this.sink, origin);
        options?.onApplied?.();
      },
    });
  }

  /**
   * Runs `steps` in one write transaction, in order, all or nothing: EXEC.
   * A step's own failure (WRONGTYPE...) is its value and does not undo the
   * others; an engine failure or a quota refusal fails the whole batch.
   * Steps that change the client's database (SELECT) take effect for the
   * later steps; a retried attempt starts again from the first database.
   */
  runBatch<R>(client: Client & { db: number }, steps: readonly BatchStep<unknown, R>[], options: BatchOptions<R>): MaybePromise<R[] | null> {
    const startDb = client.db;
    const tenant = client.keyspace.tenant;
    const spaces = this.spacesOf(tenant);
    const notifying = this.notifies(tenant);
    let writes: Written[] = [];
    let effects: Effects[] = [];
    let change: UsageChange | undefined;
    return this.engine.write((outerTx) => {
      client.db = startDb;
      writes = [];
      effects = [];
      change = undefined;
      const nowMs = this.clock();
      const proceed = options.precondition === undefined ? true : options.precondition(outerTx, nowMs);
      return then(proceed, (go) => {
        if (!go) return null;
        const body = (tx: Txn): MaybePromise<R[]> =>
          sequence(steps, ({ op, args }) => {
            const refusal = refusalOf(client, op, args, this.clock);
            if (refusal !== undefined) return options.refused(refusal, op);
            const attempt = new Effects();
            const view = viewOf(client);
            const ks = notifying ? view.withEvents(attempt) : view;
            effects.push(attempt);
            const ctx: OpContext = { tx: op.access === "none" ? NO_TRANSACTION : tx, ks, nowMs, effects: attempt, batched: true };
            if (op.access === "write") writes.push({ op, args, ks });
            return op.run(ctx, args);
          });
        const mapCheck = this.sharedMaps?.check(outerTx, tenant);
        // Every step is metered; a batch that would pass the storage quota fails whole.
        return then(metered(this.usage, spaces, outerTx, body), (done) => {
          change = done.change;
          // A batch that wrote nothing announces nothing (its steps' writes are not told apart).
          if (!done.wrote) writes = [];
          // Each step's keyspace was current when it ran; one a later step retired (SWAPDB in the batch) is fine.
          return this.checked(undefined, mapCheck, done.value);
        });
      });
    }, {
      onApplied: () => {
        if (change !== undefined) this.usage.applied(tenant, change);
        for (const written of writes) this.announce(written, client.id);
        for (const attempt of effects) attempt.apply(this.sink, client.id);
        options.onApplied?.();
      },
    });
  }

  /**
   * Runs `op` as one step of an operation already under way (a script's
   * redis.call): authorised now, against the client's current database, in
   * the running operation's transaction, its effects (and the keys it writes)
   * joining that operation's, applied once when it commits. Throws Refused.
   */
  runInside<A, R>(client: Client, ctx: OpContext, op: Operation<A, R>, args: A): MaybePromise<R> {
    const refusal = refusalOf(client, op, args, this.clock);
    if (refusal !== undefined) throw new Refused(refusal, op.name);
    const view = viewOf(client);
    const effects = ctx.effects;
    const ks = this.notifies(view.tenant) ? view.withEvents(effects) : view;
    const tx = op.access === "none" ? NO_TRANSACTION : ctx.tx;
    const result = op.run({ tx, ks, nowMs: ctx.nowMs, effects, batched: true }, args);
    if (op.access === "write") {
      // Announced after the commit, and the keys worked out only if someone listens then (WATCH, a blocked client, client tracking), as announce() does.
      const events = this.keyEvents;
      const touchesAll = op.touchesAll;
      effects.afterCommit(() => {
        if (!events.listening) return;
        if (touchesAll !== undefined) events.flushed(view.tenant, touchesAll === "database" ? view.db : undefined);
        else events.written(view, op.writtenKeys?.(args) ?? op.keys(args), client.id);
      });
    }
    return result;
  }

  /**
   * Runs `op` until it does something: while it answers WOULD_BLOCK, the
   * client waits for a committed write to one of its keys (then it runs
   * again, in a new transaction) or for the timeout (then: undefined).
   * Each run is told its number and the keys that woke it (OpContext.waiting).
   * Clients woken by the same write run in the order they started waiting,
   * one run at a time per client. A timeout or an abort that comes while a
   * run is under way lets that run finish: if it did something, its result
   * is the answer (so nothing it popped is lost); a run that starts after
   * them does nothing (WOULD_BLOCK) before touching the keys. Writes through
   * other servers (FoundationDB) wake it through watches its blocked runs set
   * on its keys (remote_wake.ts).
   */
  runBlocking<A, R>(client: Client, op: Operation<A, R | WouldBlock>, args: A, options: BlockingOptions): Promise<R | undefined> {
    return new Promise<R | undefined>((resolve, reject) => {
      let settled = false;
      let running = false;
      let wokenWhileRunning = false;
      /** The timeout passed or the signal aborted: no run may do anything from now on. */
      let ending = false;
      let attempts = 0;
      let woken: Uint8Array[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (value: R | undefined, error?: unknown): void => {
        if (settled) return;
        settled = true;
        waiter.cancel();
        remote.stop();
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener("abort", end);
        if (error !== undefined) reject(error);
        else resolve(value);
      };
      const end = (): void => {
        if (settled) return;
        ending = true;
        // A run under way decides: it may have popped something, which must be answered.
        if (!running) settle(undefined);
      };
      /** Whether the wake-up behind the run under way is still the last write to its key (KeyEvents' Wake). */
      let current: () => boolean = ALWAYS_CURRENT;
      /** The same for the last wake-up, for a run it asked for while another was under way. */
      let lastCurrent: () => boolean = ALWAYS_CURRENT;
      // Checked in the transaction's body, on every engine attempt: a run that starts once the wait ended, or
      // whose wake-up a later write made stale (the clients are then served again, in order), touches nothing.
      const guarded: Operation<A, R | WouldBlock> = { ...op, run: (ctx, a) => (ending || !current() ? WOULD_BLOCK : op.run(ctx, a)) };
      const waitKeys = options.keys ?? op.keys(args);
      // A write through another server (FoundationDB) wakes the key's parked clients of this server, in the order they parked.
      const remote = new RemoteWake(guarded, WOULD_BLOCK, waitKeys, (key) => this.keyEvents.writtenElsewhere(client.keyspace, [key]));
      /** Settles when the run asked for by a wake-up during the run under way is applied (or will not happen). */
      let rerunApplied: { readonly promise: Promise<void>; readonly resolve: () => void } | undefined;
      const rerunSettled = (): void => {
        rerunApplied?.resolve();
        rerunApplied = undefined;
      };
      /**
       * Runs the operation once; the promise settles when that run's
       * transaction is applied, or at once when no run starts. While a run is
       * under way, a wake-up asks for another after it, and its promise
       * settles when that one is applied: the next waiter of the key waits
       * for it, rather than overtaking a client that waited longer.
       */
      const attempt = (): Promise<void> | undefined => {
        if (settled || ending) return undefined;
        if (running) {
          // A write landed while the operation ran: what it read may be stale, so it runs once more.
          wokenWhileRunning = true;
          if (rerunApplied === undefined) {
            let resolve!: () => void;
            const promise = new Promise<void>((r) => (resolve = r));
            rerunApplied = { promise, resolve };
          }
          return rerunApplied.promise;
        }
        running = true;
        wokenWhileRunning = false;
        current = lastCurrent;
        const waiting: WaitingAttempt = { attempt: ++attempts, woken };
        woken = [];
        let applied!: () => void;
        const done = new Promise<void>((resolve) => (applied = resolve));
        remote.attempting();
        Promise.resolve()
          .then(() => this.runOnce(client, remote.op, args, { onApplied: applied }, waiting))
          .then((value) => {
            applied();
            running = false;
            if (value !== WOULD_BLOCK) settle(value as R);
            else if (ending) settle(undefined);
            else {
              remote.arm();
              if (waiting.attempt === 1) options.onBlocked?.();
              if (wokenWhileRunning) {
                const next = rerunApplied;
                rerunApplied = undefined;
                const rerun = attempt();
                if (next !== undefined) void (rerun ?? Promise.resolve()).then(next.resolve);
              }
            }
            rerunSettled();
          }, (error) => {
            applied();
            running = false;
            settle(undefined, error ?? new Error("blocking operation failed"));
            rerunSettled();
          });
        return done;
      };
      // Parked before the first run: a write that commits while it runs wakes it again, rather than being missed.
      const waiter = this.keyEvents.waitFor(client.keyspace, waitKeys, (keys, isCurrent) => {
        for (const key of keys) woken.push(key);
        // A later write to the key already woke the clients again: this turn is theirs to take.
        if (!isCurrent()) return undefined;
        lastCurrent = isCurrent;
        return attempt();
      });
      if (options.timeoutMs > 0) {
        // In steps setTimeout can take; timers, not the clock (which tests may stop), measure the wait.
        let left = options.timeoutMs;
        const arm = (): void => {
          if (left <= 0) return end();
          const step = Math.min(left, MAX_TIMER_MS);
          left -= step;
          timer = setTimeout(arm, step);
        };
        arm();
      }
      if (options.signal?.aborted) return settle(undefined);
      options.signal?.addEventListener("abort", end);
      void attempt();
    });
  }

  /**
   * An attempt's value, once its database map is known to be the one it ran
   * under: `ks` not retired meanwhile (a SWAPDB of this server committed
   * while the attempt waited), and on a shared engine the map read in the
   * transaction the same as the cached one. Otherwise the attempt is retried.
   */
  private checked<R>(ks: Keyspace | undefined, mapCheck: (() => MaybePromise<void>) | undefined, result: MaybePromise<R>): MaybePromise<R> {
    if (mapCheck === undefined) {
      // An attempt that did not wait ran whole before any other commit: nothing to check (the fast path).
      if (ks === undefined || !isPromise(result)) return result;
      return result.then((value) => {
        if (ks.retired) throw mapChanged();
        return value;
      });
    }
    return then(result, (value) => then(mapCheck(), () => {
      if (ks?.retired === true) throw mapChanged();
      return value;
    }));
  }

  /** A committed write of `op`: WATCH, waiters and (tomorrow) notifications hear of its keys. */
  private announce(written: Written, origin: number | undefined): void {
    const events = this.keyEvents;
    if (!events.listening) return;
    const { op, args, ks } = written;
    if (op.touchesAll !== undefined) events.flushed(ks.tenant, op.touchesAll === "database" ? ks.db : undefined);
    else events.written(ks, op.writtenKeys?.(args) ?? op.keys(args), origin);
  }

  /**
   * Whether operations of `tenant` record keyspace events. Asked once per
   * operation, before its transaction (the answer may read the tenant's
   * setting from the engine); a tenant without notifications then costs
   * nothing: no keyspace view, no event.
   */
  private notifies(tenant: string): boolean {
    return this.notifying !== undefined && this.notifying(tenant);
  }

  private spacesOf(tenant: string): TenantSpaces {
    let spaces = this.tenantSpaces.get(tenant);
    if (spaces === undefined) {
      // Each database's keyspace looked up once: the meter asks for it at every write.
      const byDb: Keyspace[] = [];
      spaces = { name: tenant, keyspaceOf: (db) => (byDb[db] ??= this.keyspaceOf(tenant, db)) };
      this.tenantSpaces.set(tenant, spaces);
    }
    return spaces;
  }
}
