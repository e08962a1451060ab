// What every blocking command (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
// BZPOPMIN, BZPOPMAX, BZMPOP) shares: the timeout argument, the declaration
// helper that derives a command's MULTI behaviour from its one `attempt`, the
// order in which a woken command tries its keys, and the run through the
// executor's runBlocking with the connection's wait (CLIENT UNBLOCK, CLIENT
// LIST's `b` flag, disconnects, shutdown).
//
// Redis 7.0 semantics (events.md §2), and how they are met:
// - Waiters of a key are served in the order they blocked: KeyEvents wakes
//   parked clients in parking order, one after another, each woken run a
//   transaction of its own; so a push of three elements serves three
//   waiters, one element each, each from its own end.
// - The element popped is removed in the transaction that answers the
//   waiter; a pop wakes nobody (it only took elements away).
// - The first run checks types (WRONGTYPE at once); a run after a wake-up
//   tries the keys that woke it first, and skips keys of another type or
//   missing (the client stays blocked), except BLMOVE's destination, whose
//   wrong type is the waiter's error.
// - Inside MULTI, `exec` runs the attempt once without waiting and answers
//   nil: a null array, or for BLMOVE and BRPOPLPUSH a null bulk string (a
//   real timeout answers a null array for every command).
import { type WaitingAttempt } from "../core/operation.ts";
import { WOULD_BLOCK, type WouldBlock } from "../core/executor.ts";
import { byteString } from "../engine/bytes.ts";
import type { MaybePromise } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { ceilOfProduct, parseLongDouble } from "../model/long_double.ts";
import { NullArray, type ErrorReply, type Reply } from "../resp/reply.ts";
import { blockingOperation, type CommandCall } from "./command_operation.ts";
import { SHUTTING_DOWN, TIMEOUT_NEGATIVE, TIMEOUT_NOT_FLOAT, UNBLOCKED_BY_CLIENT_UNBLOCK } from "./errors.ts";
import type { CommandWait, BlockingSpec, EngineCommandSpec, ServerServices, Session, TxContext, UnblockReason } from "./spec.ts";

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/** What every blocking command answers when its timeout passes (or CLIENT UNBLOCK TIMEOUT): RESP2 `*-1`, RESP3 `_`. */
export const TIMEOUT_REPLY: Reply = NullArray.instance;

/**
 * A timeout in seconds as Redis 7.0's getTimeoutFromObjectOrReply reads it:
 * strtold (hex and `inf` accepted), times 1000 in long double, rounded up to
 * milliseconds, then cast to a long long. Kept quirks: a value whose
 * milliseconds do not fit (inf, 1e400, 1e16) casts to LLONG_MIN and is
 * "negative"; a tiny negative one (-0.0005, even -0.001) rounds up to 0,
 * which blocks forever. Returns milliseconds, 0 meaning no limit.
 */
export function parseTimeout(raw: Uint8Array): number | ErrorReply {
  const seconds = parseLongDouble(raw);
  if (seconds === undefined) return TIMEOUT_NOT_FLOAT;
  let ms = ceilOfProduct(seconds, 1000n);
  if (ms === undefined || ms > LLONG_MAX || ms < LLONG_MIN) ms = LLONG_MIN;
  if (ms < 0n) return TIMEOUT_NEGATIVE;
  // Past 2^53 ms (285,000 years) the wait is as good as endless; Redis's deadline even overflows there.
  return ms > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(ms);
}

/** The declaration of a blocking command, less `exec` and `blocking`, which blockingCommand derives. */
export type BlockingCommandDeclaration<P> = Omit<EngineCommandSpec<P>, "exec" | "blocking" | "access"> & {
  /** "read" for a command that only reads (XREAD); default "write": it pops what it finds. */
  readonly access?: "read" | "write";
  readonly timeoutMs: (parsed: P) => number;
  /** Whether a call may wait at all (XREAD: only with BLOCK); absent: always. */
  readonly waits?: (parsed: P) => boolean;
  /** The keys whose writes may give it something to do (BLMOVE: its source, not its destination). */
  readonly waitKeys: (parsed: P) => readonly Uint8Array[];
  readonly attempt: BlockingSpec<P>["attempt"];
  /** Its reply inside MULTI when there is nothing to pop: a null array, or (BLMOVE, BRPOPLPUSH) a null bulk string. */
  readonly nothingInMulti: Reply;
};

/** A blocking command: `exec` (run inside MULTI) is its attempt without a wait, nothing answering `nothingInMulti`. */
export function blockingCommand<P>(declaration: BlockingCommandDeclaration<P>): EngineCommandSpec<P> {
  const { timeoutMs, waitKeys, waits, attempt, nothingInMulti, access, ...common } = declaration;
  if (!common.flags.includes("blocking")) throw new Error(`${common.name}: a blocking command carries the "blocking" flag`);
  return {
    ...common,
    access: access ?? "write",
    blocking: waits === undefined ? { timeoutMs, waitKeys, attempt } : { timeoutMs, waitKeys, waits, attempt },
    exec: (ctx: TxContext, parsed: P): MaybePromise<Reply> => then(attempt(ctx, parsed, undefined), (reply) => (reply === WOULD_BLOCK ? nothingInMulti : reply)),
  };
}

/** True on a run that must report a key of the wrong type (the first, or inside MULTI); later runs stay blocked. */
export function checksTypes(waiting: WaitingAttempt | undefined): boolean {
  return waiting === undefined || waiting.attempt === 1;
}

/**
 * The keys a run tries, in order: on its first run (or inside MULTI) the
 * command's keys in argument order; after a wake-up, the keys whose writes
 * woke it, in the order they were announced (Redis serves a client from the
 * key signalled first), then the others, in case a write was announced before
 * the run that missed it had started.
 */
export function keysToTry(keys: readonly Uint8Array[], waiting: WaitingAttempt | undefined): Uint8Array[] {
  if (waiting === undefined || waiting.woken.length === 0) return [...keys];
  const mine = new Map<string, Uint8Array>();
  for (const key of keys) if (!mine.has(byteString(key))) mine.set(byteString(key), key);
  const order: Uint8Array[] = [];
  for (const key of [...waiting.woken, ...keys]) {
    const id = byteString(key);
    const own = mine.get(id);
    if (own === undefined) continue;
    order.push(own);
    mine.delete(id);
  }
  return order;
}

/** A connection's wait: an abort signal for runBlocking, and why it ended. */
export class BlockedState implements CommandWait {
  private readonly controller = new AbortController();
  blocked = false;
  reason: UnblockReason | undefined;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  unblock(reason: UnblockReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller.abort();
  }

  /** The reply of a wait that ended without a result. */
  endReply(): Reply {
    switch (this.reason) {
      case "error":
        return UNBLOCKED_BY_CLIENT_UNBLOCK;
      case "shutdown":
        return SHUTTING_DOWN;
      default:
        return TIMEOUT_REPLY;
    }
  }
}

/**
 * Runs a blocking command for `session` outside MULTI: its wait is
 * session.wait until its reply is known, blocked once its first run found
 * nothing. The reply is a promise
 * even when the first run finds something, and the connection runs none of
 * its later commands before it settles, as in Redis.
 */
export function runBlockingCommand(
  server: ServerServices,
  session: Session,
  command: { readonly spec: EngineCommandSpec; readonly fullName: string; readonly call: CommandCall },
): Promise<Reply> {
  const blocking = command.spec.blocking!;
  const parsed = command.call.parsed;
  const wait = new BlockedState();
  session.wait = wait;
  const op = blockingOperation(command.spec, command.fullName);
  const waiting = server.executor.runBlocking(session, op, command.call, {
    timeoutMs: blocking.timeoutMs(parsed),
    signal: wait.signal,
    keys: blocking.waitKeys(parsed),
    onBlocked: () => (wait.blocked = true),
  });
  const done = (): void => {
    wait.blocked = false;
    if (session.wait === wait) session.wait = undefined;
  };
  return waiting.then((reply) => {
    done();
    return reply ?? wait.endReply();
  }, (error: unknown) => {
    done();
    throw error;
  });
}

/** WOULD_BLOCK, re-exported for the families' attempts. */
export { WOULD_BLOCK, type WouldBlock };
