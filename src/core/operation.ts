// What the core runs: an operation over typed arguments, declared once and
// run the same way by every front end (the RESP commands, EXEC, the expiry
// sweeper; tomorrow scripts and HTTP). An operation says what it touches
// (`keys`, `access`) and what it does (`run`); the executor does the rest:
// authorisation, the transaction, metering, commit, and effects after commit.
import type { MaybePromise, Txn } from "../engine/contract.ts";
import type { Keyspace } from "../model/keyspace.ts";
import type { Effects } from "./effects.ts";

/** What an operation may use while it runs: replaces the positional (tx, ks, nowMs) of model calls. */
export interface OpContext {
  readonly tx: Txn;
  /** The keyspace of the client's tenant and selected database. */
  readonly ks: Keyspace;
  /** The time the operation runs at: expiry is judged against it. */
  readonly nowMs: number;
  /** What to do once the transaction commits; discarded when it does not. */
  readonly effects: Effects;
  /** True when the operation is one step of a batch (EXEC): its effects wait for the whole batch to commit. */
  readonly batched?: boolean;
  /**
   * Set when the executor runs the operation for a client that waits
   * (runBlocking): the operation may then answer WOULD_BLOCK. Undefined
   * elsewhere (EXEC, scripts): a blocking command then acts as if its
   * timeout had already passed, as Redis's do inside MULTI.
   */
  readonly waiting?: WaitingAttempt;
}

/** Which run of a waiting operation this is, and what woke it. */
export interface WaitingAttempt {
  /** 1 for the run before any wait (Redis checks the keys' types then), 2, 3... for the runs after wake-ups. */
  readonly attempt: number;
  /**
   * The keys (of those it waits on) whose committed writes woke it since the
   * previous run, in the order they were announced, repeats included; empty
   * for the first run. Redis serves a woken client from the key signalled
   * first, not from its first key in argument order.
   */
  readonly woken: readonly Uint8Array[];
}

/** The rights an operation needs, declared rather than derived from its name. */
export interface OperationTraits {
  /** Lower-case name ("get", "client|list"): the name in refusals. */
  readonly name: string;
  /**
   * "read": a read transaction; "write": a metered write transaction;
   * "none": no engine at all (connection and server state: SELECT, CLIENT,
   * CONFIG), run directly.
   */
  readonly access: "read" | "write" | "none";
  /** Needs the principal's write right (Redis's `write` flag). */
  readonly writes: boolean;
  /** Needs the principal's read right (Redis's `readonly` flag): reads data of the keyspace. */
  readonly reads: boolean;
  /** Changes what every tenant sees (CONFIG SET): only an operator may run it. */
  readonly operatorOnly?: boolean;
  /**
   * May run without credentials or rights (AUTH, HELLO, PING for health
   * checks): "always" also under expired ones, "unauthenticated" only until
   * the client authenticates (then its rights apply).
   */
  readonly public?: "always" | "unauthenticated";
  /**
   * A read that may take long (KEYS, LRANGE of a million items): it pages and
   * yields to the event loop, so it runs where that holds nobody up
   * (engine/long_read.ts: beside SQLite's write queue).
   */
  readonly longRead?: boolean;
  /** FLUSHDB / FLUSHALL: a write that changes every key of the database or of the tenant. */
  readonly touchesAll?: "database" | "tenant";
}

export interface Operation<A, R> extends OperationTraits {
  /**
   * The keys the operation reads or writes, from its arguments: the key
   * scope of a token is checked against them, and a write announces them
   * (WATCH, waiting clients). Called only when something needs them.
   */
  keys(args: A): readonly Uint8Array[];
  /**
   * The keys a write changes, when only some of `keys` (SUNIONSTORE changes
   * its destination, not its sources): the keys announced after the commit,
   * as Redis touches only modified keys. Absent: all of `keys`.
   */
  writtenKeys?(args: A): readonly Uint8Array[];
  /**
   * Pub/sub commands: the names that a token limited to key prefixes must
   * cover, from the channels or patterns the command names
   * (core/pubsub/channel_scope.ts). Absent: the operation names no channel.
   */
  channels?(args: A): readonly Uint8Array[];
  /** The work itself: synchronous when it need not wait (the fast path), else a promise. Runs again on a retry. */
  run(ctx: OpContext, args: A): MaybePromise<R>;
}
